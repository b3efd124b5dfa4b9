// The dataframe: a windowed grid over rows that stay on the server.
//
// The element brings the columns and the first rows (`head`, drawn at once);
// other rows come as windows asked for over the WebSocket (windows.ts), as
// the person scrolls, sorts or searches. Only the rows in view (plus a few)
// are in the DOM, absolutely placed in a spacer as tall as the rows would be,
// up to 8,000,000 px: past that, scrolling is scaled (dataframe.ts,
// `geometry`), so the scrollbar still reaches every row.
//
// DOM (see the README's test hooks): div.bk-df-box[data-state] >
// div.bk-df-frame > div.bk-df-scroll[role=grid] > div.bk-df-canvas >
// div.bk-df-head[role=row] + div.bk-df-row[role=row]…; then the footer line
// div.bk-df-foot > div.bk-df-count (the count) + div.bk-df-tools (the
// toolbar, at its right, in the flow: it covers nothing); then a layer's
// controls. Cells are drawn by cells.tsx (shared with static tables).
//
// The data editor (editor.tsx) is this grid plus a layer (`GridLayer`): rows
// after the server's, how each row looks (edited cells, deleted rows, the
// cell being edited), keys and clicks on cells, and controls under the grid.

import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  asSelection,
  csvUrl,
  footerText,
  foundText,
  ensureVisible,
  geometry,
  gridHeight,
  GridRows,
  gridKey,
  HEADER_HEIGHT,
  layoutColumns,
  nextSort,
  planFetch,
  posFromScroll,
  requestKey,
  rowsToDraw,
  rowTop,
  scrollFromPos,
  scrollLeftFor,
  SEARCHING,
  searchState,
  toggleColumn,
  toggleRow,
  trimToMissing,
  visibleRows,
  type CachedRow,
  type ColumnLayout,
  type Cursor,
  type Geometry,
  type GridColumn,
} from '../../dataframe';
import type { ColumnSpec, DataframeEl, SelectionValue, WindowRequest, WindowSort } from '../../protocol';
import { windows, type WindowView } from '../../windows';
import { domId, pure } from '../common';
import { cellBody, keepGridFocus } from './cells';
import type { LeafProps } from '../props';
import { useLocal, WidgetError } from '../widgets/common';

const NO_NAMES: ReadonlySet<string> = new Set();
/** `useLocal`'s element when the grid has no selection (it needs one). */
const NO_SELECTION_WIDGET = { id: '' };
const SEARCH_DEBOUNCE_MS = 250;
/** The server's limit (characters). */
const SEARCH_MAX_CHARS = 200;

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function stop(e: Event): void {
  e.stopPropagation();
}

function columnClass(c: GridColumn, layout: ColumnLayout): string {
  let cls = '';
  if (c.sticky) {
    cls += ' bk-df-stick';
    if (c.left + c.width === layout.stickyWidth) cls += ' bk-df-stick-end';
  }
  if (c.kind === 'select') cls += ' bk-df-selcol';
  else if (c.kind === 'index') cls += ' bk-df-idx';
  else {
    cls += ' bk-df-t-' + c.spec.type;
    if (c.spec.align === 'right') cls += ' bk-df-right';
    else if (c.spec.align === 'center') cls += ' bk-df-center';
  }
  return cls;
}

/** What rows call back into the grid with (one object for the grid's life, so rows stay pure). */
interface RowActions {
  /** The row's checkbox: original row position `index`, at view position `pos`. */
  toggleRow(index: number, pos: number): void;
}

// ----- the layer over the grid (the data editor's, editor.tsx) -----

/** How a layer draws one row (the same object while nothing about the row changes, so rows stay pure). */
export interface RowLook {
  /** The row to draw: the server's, with edited cells, or an added row. */
  row: CachedRow;
  /** Cells (by cell index) marked as edited. */
  edited: ReadonlySet<number> | null;
  /** Cells (by cell index) that can be edited; the others are `aria-readonly`. */
  editable: ReadonlySet<number>;
  deleted: boolean;
  /** A row the layer added (after the server's rows). */
  added: boolean;
  /** The index cell's text (default: the original row position). */
  indexText: string | null;
  /** The row's checkbox, and its accessible name. */
  checked: boolean;
  checkLabel: string;
  /** The row's accessible name ("deleted"). */
  label: string | undefined;
  /** The cell being edited (cell index; -1: none) and what is drawn in it. */
  editing: number;
  editor: ComponentChildren;
}

/** What the grid tells its layer: refreshed at every render (one object for the grid's life). */
export interface GridCtx {
  /** Rows of the server's view (the layer's rows come after them). */
  viewRows: number;
  layout: ColumnLayout;
  cursor: Cursor;
  /** The server's row at view position `i`, if here. */
  row(i: number): { row: CachedRow; stale: boolean } | undefined;
  /** Makes a cell active and scrolls it into view. */
  moveTo(c: Cursor): void;
  /** Gives the keyboard focus back to the grid. */
  focus(): void;
}

export interface GridLayer {
  /** Rows drawn after the view's rows. */
  extraRows: number;
  /** Rows get a checkbox column (the layer's, see `toggleCheck`). */
  checks: boolean;
  /** Nothing in the grid can be edited. */
  readonly: boolean;
  /** The look of the row at view position `i` (`row`: the server's; null for rows past them). */
  look(i: number, row: CachedRow | null): RowLook | null;
  /** A key on the grid itself; true when the layer handled it. */
  key(e: KeyboardEvent, cur: Cursor): boolean;
  click(cur: Cursor, e: MouseEvent): void;
  dblclick(cur: Cursor, e: MouseEvent): void;
  /** The row checkbox at view position `pos` was toggled. */
  toggleCheck(pos: number): void;
  /** The footer (`matched`: rows of the view while searching, else null). */
  footer(matched: number | null): string;
  /** Drawn under the grid. */
  controls: ComponentChildren;
}

/** The fields the grid draws: a dataframe's (a data editor has them all). */
export type GridEl = Omit<DataframeEl, 'kind'>;

interface RowProps {
  /** Position in the view. */
  i: number;
  top: number;
  row: CachedRow | null;
  /** The row belongs to the previous view (shown until the new one arrives). */
  stale: boolean;
  /** null: rows are not selectable. */
  selected: boolean | null;
  layout: ColumnLayout;
  /** The active cell's column in this row (-1: none). */
  active: number;
  idBase: string;
  colSel: ReadonlySet<string>;
  act: RowActions;
  /** The layer's look of the row (null: no layer, or the row is not here). */
  look?: RowLook | null;
}

/** One body row; re-renders only when one of its props changes (not on every scroll). */
const Row = pure(function Row(p: RowProps) {
  const { layout } = p;
  const look = p.look ?? null;
  const row = look ? look.row : p.row;
  let cls = 'bk-df-row';
  if (!row) cls += ' bk-df-pending';
  if (p.stale) cls += ' bk-df-stale';
  if (p.selected) cls += ' bk-df-selected';
  if (look?.deleted) cls += ' bk-de-deleted';
  if (look?.added) cls += ' bk-de-new';
  return (
    <div
      class={cls}
      role="row"
      aria-rowindex={p.i + 2}
      aria-selected={p.selected === null ? undefined : p.selected}
      aria-label={look?.label}
      data-r={p.i}
      style={{ top: p.top + 'px', gridTemplateColumns: layout.template }}
    >
      {layout.columns.map((c, ci) => {
        let body: ComponentChildren = null;
        let title: string | undefined;
        let cls = 'bk-df-cell' + columnClass(c, layout);
        if (row) {
          if (c.kind === 'select') {
            body = (
              <input
                type="checkbox"
                class="bk-df-check"
                tabIndex={-1}
                checked={look ? look.checked : !!p.selected}
                aria-label={look ? look.checkLabel : `Select row ${row.index}`}
                onMouseDown={keepGridFocus}
                onClick={stop}
                onChange={() => p.act.toggleRow(row.index, p.i)}
              />
            );
          } else if (c.kind === 'index') {
            body = look?.indexText ?? String(row.index);
          } else if (look && look.editing === c.cell) {
            body = look.editor;
            cls += ' bk-de-editing';
          } else {
            const out = cellBody(c.spec, row.cells[c.cell], c.width);
            body = out.body;
            title = out.title;
          }
        }
        let readonly: true | undefined;
        if (look && c.kind !== 'select') {
          if (c.kind === 'data' && look.editable.has(c.cell)) {
            if (c.spec.type === 'checkbox') cls += ' bk-de-toggle';
          } else readonly = true;
          if (c.kind === 'data' && look.edited?.has(c.cell)) cls += ' bk-de-edited';
        }
        if (c.kind === 'data' && p.colSel.has(c.spec.name)) cls += ' bk-df-colsel';
        if (ci === p.active) cls += ' bk-df-active';
        return (
          <div
            key={ci}
            id={`${p.idBase}-${p.i}-${ci}`}
            class={cls}
            role="gridcell"
            aria-readonly={readonly}
            data-c={ci}
            title={title}
            style={c.sticky ? { left: c.left + 'px' } : undefined}
          >
            {body}
          </div>
        );
      })}
    </div>
  );
});

// ----- toolbar icons (inline SVG: no files, nothing for the CSP to refuse) -----

function Icon({ d }: { d: string }) {
  return (
    <svg class="bk-df-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
const ICON_SEARCH = 'M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14zM16.5 16.5L21 21';
const ICON_DOWNLOAD = 'M12 4v11M7 10l5 5l5-5M5 20h14';
const ICON_FULL = 'M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5';
const ICON_EXIT = 'M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5';
const ICON_COLUMNS = 'M4 5h16v14H4zM9.5 5v14M14.5 5v14';

// ----- the grid -----

/**
 * A dataframe, or (with `useLayer`, a hook the grid calls at each render,
 * the same for the grid's life) a grid with a layer over it.
 */
export function DataframeView({ el, path, useLayer }: LeafProps<GridEl> & { useLayer?: (ctx: GridCtx) => GridLayer }) {
  const specs: ColumnSpec[] = Array.isArray(el.columns) ? el.columns : [];
  const frame = typeof el.frame === 'string' ? el.frame : '';
  const rowCount = typeof el.row_count === 'number' ? el.row_count : 0;
  const selection = el.selection ?? null;
  const selectRows = selection?.rows ?? null;
  const selectCols = selection?.columns ?? null;
  const idBase = domId(path, '-df');

  const [sort, setSort] = useState<WindowSort | null>(null);
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [searchOpen, setSearchOpen] = useState(false);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(NO_NAMES);
  const [full, setFull] = useState(false);
  const [menu, setMenu] = useState(false);
  const [cursor, setCursor] = useState<Cursor>({ row: 0, col: 0 });
  const [scroll, setScroll] = useState({ top: 0, pos: 0 });
  const [clientHeight, setClientHeight] = useState<number | null>(null);
  const [, setTick] = useState(0);

  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const viewRef = useRef<WindowView | null>(null);
  /** The position last scrolled to by the grid itself, and the scrollTop that gave. */
  const programmatic = useRef<{ top: number; pos: number } | null>(null);
  const geomRef = useRef<Geometry | null>(null);
  const dataRef = useRef<GridRows | null>(null);
  if (!dataRef.current) dataRef.current = new GridRows(frame, el.head);
  const data = dataRef.current;
  const ctx = useRef<GridCtx | null>(null);
  ctx.current ??= { viewRows: 0, layout: { columns: [], width: 0, stickyWidth: 0, template: '' }, cursor: { row: 0, col: 0 }, row: () => undefined, moveTo: () => {}, focus: () => {} };
  const layer = useLayer ? useLayer(ctx.current) : null;
  const checkRows = selectRows !== null || !!layer?.checks;

  // A sort by a column the frame no longer has (or cannot sort) is dropped.
  const sortSpec = sort ? specs.find((s) => s.name === sort.column) : undefined;
  const activeSort = sort && sortSpec && sortSpec.sortable !== false ? sort : null;
  data.setView(frame, activeSort, search, el.head);

  // Selection: the element's value, or the one just committed until the rerun brings it.
  const serverSel = useMemo(() => asSelection(selection?.value), [selection?.value]);
  const sel = useLocal<SelectionValue>(selection ?? NO_SELECTION_WIDGET, serverSel, asSelection);
  const selValue = sel.value;
  const selRows = useMemo(() => new Set(selValue.rows), [selValue]);
  const selCols = useMemo(() => new Set(selValue.columns), [selValue]);

  const layout = useMemo(
    () => layoutColumns(specs, { index: el.index ?? null, selectRows: checkRows, hidden }),
    [specs, el.index?.width, el.index === null, checkRows, hidden],
  );

  /** Rows of the server's view; the layer's own rows come after them. */
  const viewRows = data.total(rowCount);
  const total = viewRows + (layer?.extraRows ?? 0);
  const height = gridHeight(el.height, rowCount + (layer?.extraRows ?? 0));
  const viewport = Math.max(0, (clientHeight ?? height - 2) - HEADER_HEIGHT);
  const g = geometry(total, viewport);
  geomRef.current = g;
  const pos = clamp(scroll.pos, 0, g.maxPos);
  const scrollTop = Math.min(scroll.top, g.scrollMax);
  const drawn = rowsToDraw(pos, scrollTop, g);
  const visible = visibleRows(pos, g);
  const state = data.error !== null ? 'error' : data.ready(visible.first, visible.end) ? 'ready' : 'loading';

  // ----- rows from the server -----

  useEffect(() => {
    const view = windows.open(
      (reply, request) => {
        if (dataRef.current?.accept(reply, request)) setTick((n) => n + 1);
      },
      // When the reply is in, what was waiting is trimmed of what it brought.
      (waiting: WindowRequest) => {
        const d = dataRef.current;
        if (!d || d.error !== null || requestKey(waiting) !== d.key) return null;
        const end = Math.min(waiting.start + waiting.count, d.cache.total ?? Infinity);
        const r = trimToMissing(waiting.start, end, (i) => d.cache.has(i));
        return r ? { ...waiting, start: r.start, count: r.end - r.start } : null;
      },
    );
    viewRef.current = view;
    return () => {
      view.close();
      viewRef.current = null;
    };
  }, []);

  // After every render: ask for the rows in view if they are not here.
  useEffect(() => {
    const view = viewRef.current;
    if (!view || data.error !== null || !frame) return;
    const key = data.key;
    const { inFlight, waiting } = view.pending();
    const pending = [inFlight, waiting]
      .filter((r): r is WindowRequest => r !== null && requestKey(r) === key)
      .map((r) => ({ start: r.start, end: r.start + r.count }));
    const plan = planFetch({ pos, rows: g.rows, total: data.knownTotal(rowCount), has: (i) => data.cache.has(i), pending });
    if (plan) view.request({ frame, start: plan.start, count: plan.count, sort: activeSort, search });
  });

  // ----- size and scrolling -----

  useLayoutEffect(() => {
    const box = scrollRef.current;
    if (!box) return;
    const measure = () => setClientHeight(box.clientHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(box);
    return () => ro.disconnect();
  }, []);

  const onScroll = () => {
    const box = scrollRef.current;
    const geom = geomRef.current;
    if (!box || !geom) return;
    const top = box.scrollTop;
    const p = programmatic.current;
    let next: number;
    if (p && Math.abs(top - p.top) < 1) next = p.pos;
    else {
      programmatic.current = null;
      next = posFromScroll(top, geom);
    }
    setScroll((s) => (s.top === top && s.pos === next ? s : { top, pos: next }));
  };

  /** Scrolls so that position `next` is at the top (exactly, even where 1 px of scroll is several rows). */
  const scrollToPos = (next: number) => {
    const box = scrollRef.current;
    if (!box) return;
    box.scrollTop = scrollFromPos(next, g);
    const top = box.scrollTop;
    programmatic.current = { top, pos: next };
    setScroll({ top, pos: next });
  };

  const toTop = () => {
    const box = scrollRef.current;
    if (box) box.scrollTop = 0;
    programmatic.current = null;
    setScroll({ top: 0, pos: 0 });
  };

  // ----- actions -----

  const sortBy = (name: string) => {
    setSort(nextSort(activeSort, name));
    toTop();
  };

  const commitSel = (v: SelectionValue) => sel.commit(v, v);

  const act = useRef<RowActions>({ toggleRow: () => {} }).current;
  act.toggleRow = (index, pos) => {
    if (layer?.checks) layer.toggleCheck(pos);
    else if (selectRows) commitSel(toggleRow(selValue, index, selectRows));
  };
  const toggleCol = (name: string) => {
    if (selectCols) commitSel(toggleColumn(selValue, name, selectCols, specs.map((s) => s.name)));
  };

  const moveTo = (c: Cursor) => {
    setCursor(c);
    const box = scrollRef.current;
    if (c.row >= 0) {
      const next = ensureVisible(pos, c.row, g);
      if (next !== pos) scrollToPos(next);
    }
    const col = layout.columns[c.col];
    if (box && col) {
      // The first column: all the way to the left (a sticky one is in view anyway).
      const left = c.col === 0 ? 0 : scrollLeftFor(col, box.scrollLeft, box.clientWidth, layout.stickyWidth);
      if (left !== box.scrollLeft) box.scrollLeft = left;
    }
  };

  const cur: Cursor = {
    row: clamp(cursor.row, -1, total - 1),
    col: clamp(cursor.col, 0, Math.max(0, layout.columns.length - 1)),
  };

  Object.assign(ctx.current, {
    viewRows,
    layout,
    cursor: cur,
    row: (i: number) => data.row(i),
    moveTo,
    focus: () => scrollRef.current?.focus({ preventScroll: true }),
  } satisfies GridCtx);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target !== scrollRef.current || e.altKey) return;
    if (layer?.key(e, cur)) {
      e.preventDefault();
      return;
    }
    const action = gridKey(
      cur,
      { key: e.key, ctrl: e.ctrlKey || e.metaKey },
      { rows: total, cols: layout.columns.length, page: Math.max(1, Math.floor(g.rows)) },
    );
    if (!action) return;
    e.preventDefault();
    switch (action.type) {
      case 'move':
        moveTo(action.cursor);
        break;
      case 'activate-header': {
        const c = layout.columns[action.col];
        if (c?.kind === 'data' && c.spec.sortable !== false) sortBy(c.spec.name);
        break;
      }
      case 'toggle-column': {
        const c = layout.columns[action.col];
        if (c?.kind === 'data') toggleCol(c.spec.name);
        break;
      }
      case 'toggle-row': {
        const got = data.row(action.row);
        if (got && !got.stale) act.toggleRow(got.row.index, action.row);
        break;
      }
      case 'activate-cell': {
        const c = layout.columns[action.cursor.col];
        const got = data.row(action.cursor.row);
        if (!c || !got || got.stale) break;
        if (c.kind === 'select') act.toggleRow(got.row.index, action.cursor.row);
        else document.getElementById(`${idBase}-${action.cursor.row}-${action.cursor.col}`)?.querySelector('a')?.click();
        break;
      }
    }
  };

  const onGridClick = (e: MouseEvent) => {
    const t = e.target as Element;
    const cell = t.closest?.('[data-c]');
    const row = t.closest?.('[data-r]');
    if (!cell || !row) return;
    const at = { row: Number(row.getAttribute('data-r')), col: Number(cell.getAttribute('data-c')) };
    setCursor(at);
    layer?.click(at, e);
  };

  const onGridDblClick = (e: MouseEvent) => {
    const t = e.target as Element;
    const cell = t.closest?.('[data-c]');
    const row = t.closest?.('[data-r]');
    if (!layer || !cell || !row) return;
    layer.dblclick({ row: Number(row.getAttribute('data-r')), col: Number(cell.getAttribute('data-c')) }, e);
  };

  // ----- search -----

  useEffect(() => {
    if (searchText === search) return;
    const t = setTimeout(() => {
      setSearch(searchText);
      toTop();
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [searchText]);

  useLayoutEffect(() => {
    if (searchOpen) searchRef.current?.focus();
  }, [searchOpen]);

  const onSearchKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    if (searchText) setSearchText('');
    else setSearchOpen(false);
  };

  // ----- fullscreen and the column menu -----

  useEffect(() => {
    if (!full) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setFull(false);
    };
    document.addEventListener('keydown', onKey);
    document.documentElement.classList.add('bk-df-noscroll');
    return () => {
      document.removeEventListener('keydown', onKey);
      document.documentElement.classList.remove('bk-df-noscroll');
    };
  }, [full]);

  // The column menu opens below its button, or above it when the window has no room below.
  useLayoutEffect(() => {
    const m = menuRef.current;
    const button = menuButtonRef.current;
    if (!menu || !m || !button) return;
    const b = button.getBoundingClientRect();
    const h = m.offsetHeight;
    m.dataset.side = b.bottom + h + 8 > window.innerHeight && b.top - h - 8 >= 0 ? 'up' : 'down';
    m.querySelector('input')?.focus();
  }, [menu]);

  useEffect(() => {
    if (!menu) return;
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!menuRef.current?.contains(t) && !menuButtonRef.current?.contains(t)) setMenu(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [menu]);

  const onMenuKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    setMenu(false);
    menuButtonRef.current?.focus();
  };

  const shownCount = specs.length - specs.filter((s) => hidden.has(s.name)).length;
  const toggleHidden = (name: string) => {
    const next = new Set(hidden);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    setHidden(next.size === 0 ? NO_NAMES : next);
  };

  // ----- drawing -----

  const activeVisible = cur.row < 0 || (cur.row >= drawn.start && cur.row < drawn.end);
  const activeId = activeVisible && layout.columns.length > 0 ? `${idBase}-${cur.row < 0 ? 'h' : cur.row}-${cur.col}` : undefined;

  const header = (
    <div class="bk-df-head" role="row" aria-rowindex={1} data-r={-1} style={{ gridTemplateColumns: layout.template }}>
      {layout.columns.map((c, ci) => {
        let cls = 'bk-df-hcell' + columnClass(c, layout);
        if (ci === cur.col && cur.row < 0) cls += ' bk-df-active';
        const id = `${idBase}-h-${ci}`;
        const style = c.sticky ? { left: c.left + 'px' } : undefined;
        if (c.kind !== 'data') {
          return (
            <div key={ci} id={id} class={cls} role="columnheader" data-c={ci} style={style}>
              <span class="bk-df-sr">{c.kind === 'select' ? 'Selected' : 'Row'}</span>
            </div>
          );
        }
        const spec = c.spec;
        const sortable = spec.sortable !== false;
        const dir = activeSort?.column === spec.name ? (activeSort.descending ? 'descending' : 'ascending') : 'none';
        if (sortable) cls += ' bk-df-sortable';
        if (selCols.has(spec.name)) cls += ' bk-df-colsel';
        return (
          <div
            key={ci}
            id={id}
            class={cls}
            role="columnheader"
            data-c={ci}
            style={style}
            aria-sort={sortable ? dir : undefined}
            title={spec.help || undefined}
            onClick={sortable ? () => sortBy(spec.name) : undefined}
          >
            {selectCols && (
              <input
                type="checkbox"
                class="bk-df-colcheck"
                tabIndex={-1}
                checked={selCols.has(spec.name)}
                aria-label={`Select column ${spec.label}`}
                onMouseDown={keepGridFocus}
                onClick={stop}
                onChange={() => toggleCol(spec.name)}
              />
            )}
            <span class="bk-df-label">{spec.label}</span>
            {sortable && (
              <span class="bk-df-sort-mark" aria-hidden="true">
                {dir === 'ascending' ? '↑' : dir === 'descending' ? '↓' : ''}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );

  const body = [];
  for (let i = drawn.start; i < drawn.end; i++) {
    const got = i < viewRows ? data.row(i) : undefined;
    const row = got?.row ?? null;
    const look = layer ? layer.look(i, row) : null;
    body.push(
      <Row
        key={i}
        i={i}
        top={HEADER_HEIGHT + rowTop(i, pos, scrollTop)}
        row={row}
        stale={!!got?.stale}
        selected={
          layer?.checks ? !!look?.checked : selectRows === null ? null : !!row && !got?.stale && selRows.has(row.index)
        }
        layout={layout}
        active={i === cur.row ? cur.col : -1}
        idBase={idBase}
        colSel={selCols}
        act={act}
        look={look}
      />,
    );
  }

  const searching = search !== '';
  const found = searchState(searchText, search, data.knownTotal(rowCount), data.error !== null);
  const footer =
    found.kind === 'pending'
      ? SEARCHING
      : layer
        ? layer.footer(found.kind === 'done' ? found.matched : null)
        : footerText(rowCount, specs.length, found);
  const csv = csvUrl(String(el.download ?? ''), {
    sort: activeSort,
    search,
    columns: hidden.size > 0 ? specs.filter((s) => !hidden.has(s.name)).map((s) => s.name) : null,
  });
  const searchShown = searchOpen || searchText !== '';

  let boxClass = 'bk-df-box';
  if (full) boxClass += ' bk-df-full';

  return (
    <div
      class={boxClass}
      data-state={state}
      aria-busy={state === 'loading'}
      style={!full && typeof el.width === 'number' && el.width > 0 ? { maxWidth: el.width + 'px' } : undefined}
    >
      <div class="bk-df-frame">
        <div
          ref={scrollRef}
          class="bk-df-scroll"
          role="grid"
          tabIndex={0}
          aria-rowcount={total + 1}
          aria-colcount={layout.columns.length}
          aria-busy={found.kind === 'pending' ? true : undefined}
          aria-multiselectable={selectRows === 'multi' || selectCols === 'multi' || layer?.checks ? true : undefined}
          aria-readonly={layer?.readonly ? true : undefined}
          aria-activedescendant={activeId}
          style={full ? undefined : { height: height + 'px' }}
          onScroll={onScroll}
          onKeyDown={onKeyDown}
          onClick={onGridClick}
          onDblClick={layer ? onGridDblClick : undefined}
        >
          <div
            class="bk-df-canvas"
            role="presentation"
            style={{ height: HEADER_HEIGHT + g.spacer + 'px', width: layout.width + 'px' }}
          >
            {header}
            {body}
          </div>
        </div>
        {total === 0 && data.cache.total !== null && (
          <div class="bk-df-empty">{searching ? 'No matching rows' : 'No rows'}</div>
        )}
        {data.error !== null && (
          <div class="bk-df-note bk-df-failed" role="alert">
            {data.error}
          </div>
        )}
      </div>
      {/* The footer line: the count at the left, the toolbar at the right (wrapping under it when narrow). */}
      <div class={'bk-df-foot' + (searchShown ? ' bk-df-foot-search' : '')}>
        <div class="bk-df-count">{footer}</div>
        {el.toolbar && (
          <div class="bk-df-tools">
            {searchShown && (
              <>
                <input
                  ref={searchRef}
                  type="search"
                  class="bk-df-search"
                  aria-label="Search rows"
                  placeholder="Search…"
                  maxLength={SEARCH_MAX_CHARS}
                  value={searchText}
                  onInput={(e) => setSearchText((e.currentTarget as HTMLInputElement).value)}
                  onKeyDown={onSearchKey}
                />
                {/* The footer shows the count; this announces it. */}
                <span class="bk-df-found bk-df-sr" aria-live="polite">
                  {foundText(found)}
                </span>
              </>
            )}
            <button
              type="button"
              class="bk-df-tool"
              aria-label="Search"
              title="Search"
              aria-expanded={searchShown}
              onClick={() => {
                if (searchOpen && searchText === '') setSearchOpen(false);
                else {
                  setSearchOpen(true);
                  searchRef.current?.focus();
                }
              }}
            >
              <Icon d={ICON_SEARCH} />
            </button>
            <a class="bk-df-tool" href={csv} download="" aria-label="Download as CSV" title="Download as CSV">
              <Icon d={ICON_DOWNLOAD} />
            </a>
            <button
              type="button"
              class="bk-df-tool"
              aria-label={full ? 'Exit fullscreen' : 'Fullscreen'}
              title={full ? 'Exit fullscreen' : 'Fullscreen'}
              onClick={() => setFull(!full)}
            >
              <Icon d={full ? ICON_EXIT : ICON_FULL} />
            </button>
            <span class="bk-df-menu-wrap">
              <button
                ref={menuButtonRef}
                type="button"
                class="bk-df-tool"
                aria-label="Show/hide columns"
                title="Show/hide columns"
                aria-expanded={menu}
                aria-controls={idBase + '-cols'}
                onClick={() => setMenu(!menu)}
              >
                <Icon d={ICON_COLUMNS} />
              </button>
              {menu && (
                <div
                  ref={menuRef}
                  id={idBase + '-cols'}
                  class="bk-df-menu"
                  role="group"
                  aria-label="Columns"
                  onKeyDown={onMenuKey}
                >
                  {specs.map((s) => {
                    const shown = !hidden.has(s.name);
                    return (
                      <label key={s.name} class="bk-df-menu-item">
                        <input
                          type="checkbox"
                          checked={shown}
                          disabled={shown && shownCount <= 1}
                          onChange={() => toggleHidden(s.name)}
                        />
                        <span>{s.label}</span>
                      </label>
                    );
                  })}
                </div>
              )}
            </span>
          </div>
        )}
      </div>
      {layer?.controls}
      {/* A refused selection (too big to send, or the server's error about it). */}
      {selection && <WidgetError id={selection.id} />}
    </div>
  );
}
