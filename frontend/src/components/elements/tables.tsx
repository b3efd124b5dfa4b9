// Static tables, and the dataframe: its rows fetched from `data.url`
// (rowcache.ts), sortable, scrolling, drawing only the rows in view (plus a
// little overscan) between two spacer rows.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { columnWidths, nextSort, sortOrder, visibleWindow, type Sort } from '../../dataframe';
import { cellText } from '../../format';
import type { DataframeEl, Json, TableEl } from '../../protocol';
import { loadErrorText, rowCache, RowsError, type Rows } from '../../rowcache';
import type { LeafProps } from '../props';

function isNum(v: Json | undefined): boolean {
  return typeof v === 'number';
}

function Cell({ v }: { v: Json | undefined }) {
  const text = cellText(v);
  return (
    <td class={isNum(v) ? 'bk-num' : undefined} title={text.length > 40 ? text : undefined}>
      {text}
    </td>
  );
}

export function TableView({ el }: LeafProps<TableEl>) {
  const columns = el.columns ?? [];
  const rows = el.rows ?? [];
  return (
    <div class="bk-table-wrap">
      <table class="bk-tbl">
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((_, c) => (
                <Cell key={c} v={r?.[c]} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Spacer({ px, span }: { px: number; span: number }) {
  return (
    <tr class="bk-spacer" aria-hidden="true">
      <td colSpan={Math.max(1, span)} style={{ height: px + 'px' }} />
    </tr>
  );
}

/** Must match `.bk-df td` height in styles.css. */
export const ROW_HEIGHT = 32;
const HEADER_HEIGHT = 34;
const OVERSCAN = 8;

const NO_ROWS: Rows = [];

type Loaded = { url: string; rows: Rows } | { url: string; error: string };

/**
 * The rows of `url`, fetched when it changes. Until the new ones are here,
 * the last ones loaded stay (`current` false), so a rerun that changes the
 * data does not flash an empty table; a failure shows instead of them.
 */
function useRows(url: string): { rows: Rows | null; current: boolean; error: string | null } {
  const [loaded, setLoaded] = useState<Loaded | null>(() => {
    const rows = url ? rowCache.get(url) : undefined;
    return rows ? { url, rows } : null;
  });
  // Seen in the cache during render, the new rows show without waiting for
  // the effect (no "Loading…" frame for data already here).
  const cached = loaded?.url !== url && url ? rowCache.get(url) : undefined;
  useEffect(() => {
    if (!url) return;
    let live = true;
    rowCache.load(url).then(
      (rows) => live && setLoaded((l) => (l?.url === url && 'rows' in l && l.rows === rows ? l : { url, rows })),
      (e: unknown) => live && setLoaded({ url, error: loadErrorText(e) }),
    );
    // A newer url wins over an answer still on its way for this one.
    return () => {
      live = false;
    };
  }, [url]);
  if (!url) return { rows: null, current: true, error: loadErrorText(new RowsError('no data url')) };
  if (cached) return { rows: cached, current: true, error: null };
  if (loaded?.url === url) {
    return 'rows' in loaded
      ? { rows: loaded.rows, current: true, error: null }
      : { rows: null, current: true, error: loaded.error };
  }
  return { rows: loaded && 'rows' in loaded ? loaded.rows : null, current: false, error: null };
}

export function DataframeView({ el }: LeafProps<DataframeEl>) {
  const columns = el.columns ?? [];
  const url = typeof el.data?.url === 'string' ? el.data.url : '';
  const fetched = useRows(url);
  const rows = fetched.rows ?? NO_ROWS;
  const loading = !fetched.current;
  const height = el.height > 0 ? el.height : 400;
  const [sort, setSort] = useState<Sort | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef(0);
  const order = useMemo(() => sortOrder(rows, sort), [rows, sort]);
  const widths = useMemo(() => columnWidths(columns, rows), [columns, rows]);

  const { start, end } = visibleWindow(scrollTop, height - HEADER_HEIGHT, ROW_HEIGHT, rows.length, OVERSCAN);
  const body = [];
  for (let i = start; i < end; i++) {
    const r = rows[order[i] as number];
    body.push(
      // Keyed by slot in the window, so scrolling reuses the row elements
      // and only their text changes.
      <tr key={i - start}>
        {columns.map((_, c) => (
          <Cell key={c} v={r?.[c]} />
        ))}
      </tr>,
    );
  }
  const onScroll = (e: Event) => {
    const target = e.currentTarget as HTMLElement;
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setScrollTop(target.scrollTop);
    });
  };
  const total = widths.reduce((a, b) => a + b, 0);
  // The count of the rows drawn once they are here; until then the server's.
  const count =
    (loading || fetched.rows === null) && typeof el.row_count === 'number' ? el.row_count : rows.length;
  const state = fetched.error !== null ? 'error' : loading ? 'loading' : 'ready';
  let note = null;
  if (fetched.error !== null) {
    note = (
      <div class="bk-df-note bk-df-failed" role="alert">
        {fetched.error}
      </div>
    );
  } else if (fetched.rows === null) {
    note = <div class="bk-df-note">Loading…</div>;
  }
  return (
    <div class="bk-df-box" data-state={state} aria-busy={loading}>
      <div class="bk-df-scroll" style={{ maxHeight: height + 'px' }} onScroll={onScroll} tabIndex={0}>
        <table class="bk-tbl bk-df" style={{ width: total + 'px' }} aria-rowcount={rows.length + 1}>
          <colgroup>
            {widths.map((w, i) => (
              <col key={i} style={{ width: w + 'px' }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {columns.map((c, i) => {
                const dir = sort && sort.col === i ? sort.dir : null;
                const toggle = () => setSort(nextSort(sort, i));
                // The header cell itself is the control (no nested button),
                // so column names do not add buttons to the page.
                return (
                  <th
                    key={i}
                    scope="col"
                    tabIndex={0}
                    title="Sort"
                    aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
                    onClick={toggle}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        toggle();
                      }
                    }}
                  >
                    <div class="bk-sort">
                      <span>{c}</span>
                      <span class="bk-sort-mark" aria-hidden="true">
                        {dir === 'asc' ? '↑' : dir === 'desc' ? '↓' : ''}
                      </span>
                    </div>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            <Spacer px={start * ROW_HEIGHT} span={columns.length} />
            {body}
            <Spacer px={(rows.length - end) * ROW_HEIGHT} span={columns.length} />
          </tbody>
        </table>
        {note}
      </div>
      <div class="bk-df-count">
        {count.toLocaleString('en-US')} {count === 1 ? 'row' : 'rows'} × {columns.length}{' '}
        {columns.length === 1 ? 'column' : 'columns'}
      </div>
    </div>
  );
}
