// How a cell shows, by column type: shared by the dataframe grid
// (dataframe.tsx, and the data editor on it) and the static table
// (tables.tsx). Cells arrive formatted by the server (docs/protocol.md,
// "Dataframes"): strings, booleans for checkboxes, [href, text] links,
// [fraction, text] progress bars, lists, image urls and arrays of numbers.

import type { ComponentChildren } from 'preact';
import { safeHref, safeImage, sparkline } from '../../dataframe';
import { cellText } from '../../format';
import type { ColumnType, Json } from '../../protocol';

/** What a cell's look depends on: its column's type, label and y range (charts). */
export interface CellColumn {
  type: ColumnType;
  label: string;
  y_min?: number | null;
  y_max?: number | null;
}

/** Where a cell is drawn: in the grid (keyboard focus stays on the grid), or in a plain table. */
export type CellPlace = 'grid' | 'table';

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Keeps focus on the grid when a control inside it is pressed. */
export function keepGridFocus(e: MouseEvent): void {
  e.preventDefault();
  const grid = (e.currentTarget as HTMLElement).closest<HTMLElement>('.bk-df-scroll');
  grid?.focus({ preventScroll: true });
}

function Sparkline({ values, kind, width, col }: { values: Json[]; kind: 'line' | 'bar'; width: number; col: CellColumn }) {
  const w = Math.max(16, width - 24);
  const h = 22;
  const nums = values.map((v) => (typeof v === 'number' ? v : null));
  const s = sparkline(nums, kind, w, h, col.y_min, col.y_max);
  const label = nums.map((v) => (v === null ? '–' : String(v))).join(', ');
  return (
    <svg
      class="bk-df-spark"
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={label.length > 120 ? label.slice(0, 119) + '…' : label}
    >
      {s.kind === 'line' ? (
        <path d={s.d} fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round" />
      ) : (
        s.bars.map((b, i) => <rect key={i} x={b.x} y={b.y} width={b.w} height={b.h} fill="currentColor" />)
      )}
    </svg>
  );
}

/** A text that may not fit its column: the full text goes in the cell's title. */
function longText(text: string, width: number): string | undefined {
  return text.length * 7.5 > width - 24 ? text : undefined;
}

/**
 * A cell's content and title, by column type. `width`: the column's width
 * in px (sparklines fill it; a text longer than it gets a title). In the
 * grid, links and checkboxes take no focus (the grid has it); in a table,
 * links are ordinary links.
 */
export function cellBody(
  col: CellColumn,
  v: Json | undefined,
  width: number,
  place: CellPlace = 'grid',
): { body: ComponentChildren; title?: string } {
  if (v === null || v === undefined) return { body: null };
  const grid = place === 'grid';
  switch (col.type) {
    case 'checkbox':
      return {
        // Read-only, not disabled (a disabled one is greyed out): it takes
        // no pointer events (styles.css) and no focus.
        body: (
          <input
            type="checkbox"
            class="bk-df-bool"
            checked={v === true}
            tabIndex={-1}
            aria-readonly="true"
            aria-label={col.label}
            onClick={(e) => e.preventDefault()}
          />
        ),
      };
    case 'link': {
      const [href, text] = Array.isArray(v) ? v : [v, null];
      const label = typeof text === 'string' && text ? text : cellText(href);
      const body = safeHref(href) ? (
        <a
          class="bk-df-link"
          href={href}
          target="_blank"
          rel="noopener noreferrer"
          tabIndex={grid ? -1 : undefined}
          onMouseDown={grid ? keepGridFocus : undefined}
        >
          {label}
        </a>
      ) : (
        <span class="bk-df-text">{label}</span>
      );
      return { body, title: longText(label, width) ?? (typeof href === 'string' && href !== label ? href : undefined) };
    }
    case 'progress': {
      const [frac, text] = Array.isArray(v) ? v : [v, null];
      const f = typeof frac === 'number' && Number.isFinite(frac) ? clamp(frac, 0, 1) : 0;
      const label = typeof text === 'string' ? text : `${Math.round(f * 100)}%`;
      return {
        body: (
          <span class="bk-df-progress">
            <span class="bk-df-bar" aria-hidden="true">
              <span class="bk-df-fill" style={{ width: f * 100 + '%' }} />
            </span>
            <span class="bk-df-text">{label}</span>
          </span>
        ),
      };
    }
    case 'list': {
      const items = (Array.isArray(v) ? v : [v]).map(cellText);
      return {
        body: (
          <span class="bk-df-chips">
            {items.map((t, i) => (
              <span key={i} class="bk-df-chip">
                {t}
              </span>
            ))}
          </span>
        ),
        title: items.join(', ') || undefined,
      };
    }
    case 'image':
      if (safeImage(v)) return { body: <img class="bk-df-img" src={v} alt="" loading="lazy" decoding="async" /> };
      break;
    case 'line_chart':
    case 'bar_chart':
      if (Array.isArray(v)) {
        return { body: <Sparkline values={v} kind={col.type === 'line_chart' ? 'line' : 'bar'} width={width} col={col} /> };
      }
      break;
    default:
      break;
  }
  const text = cellText(v);
  return { body: <span class="bk-df-text">{text}</span>, title: longText(text, width) };
}
