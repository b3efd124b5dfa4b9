// Pure logic behind the dataframe view: sorting and the window of rows to draw.

import type { Json } from './protocol';

export type SortDir = 'asc' | 'desc';
export interface Sort {
  col: number;
  dir: SortDir;
}

/** Clicking a header cycles none → ascending → descending → none. */
export function nextSort(current: Sort | null, col: number): Sort | null {
  if (!current || current.col !== col) return { col, dir: 'asc' };
  return current.dir === 'asc' ? { col, dir: 'desc' } : null;
}

// Same ordering as String.prototype.localeCompare, but much faster in bulk.
const collator = new Intl.Collator();

// Rank of a cell's type in an ascending sort: numbers, then booleans, then
// strings, then other values (as JSON), and empty cells last.
function rank(v: Json | undefined): number {
  switch (typeof v) {
    case 'number':
      return Number.isNaN(v) ? 3 : 0;
    case 'boolean':
      return 1;
    case 'string':
      return 2;
    default:
      return v === null || v === undefined ? 4 : 3;
  }
}

function compareCells(a: Json | undefined, b: Json | undefined): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return (a as number) - (b as number);
    case 1:
      return Number(a) - Number(b);
    case 2:
      return collator.compare(a as string, b as string);
    case 3:
      return collator.compare(JSON.stringify(a), JSON.stringify(b));
    default:
      return 0;
  }
}

/**
 * The row indices in display order: a sorted copy of 0..n-1 (the rows
 * themselves are not touched). The sort is stable, and empty cells stay last
 * in both directions.
 */
export function sortOrder(rows: readonly (readonly Json[])[], sort: Sort | null): Uint32Array {
  const order = new Uint32Array(rows.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  if (!sort) return order;
  const { col, dir } = sort;
  const sign = dir === 'asc' ? 1 : -1;
  const keys = rows.map((r) => (Array.isArray(r) ? r[col] : undefined));
  const idx = Array.from(order);
  idx.sort((x, y) => {
    const a = keys[x];
    const b = keys[y];
    const na = a === null || a === undefined;
    const nb = b === null || b === undefined;
    if (na || nb) return na === nb ? x - y : na ? 1 : -1;
    return sign * compareCells(a, b) || x - y;
  });
  order.set(idx);
  return order;
}

/** The rows [start, end) to draw for a scroll position, with overscan. */
export function visibleWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan: number,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, Math.min(first - overscan, total));
  const end = Math.min(total, first + count + overscan);
  return { start, end: Math.max(start, end) };
}

/** Column widths in pixels, estimated from the header and a sample of rows. */
export function columnWidths(columns: readonly string[], rows: readonly (readonly Json[])[]): number[] {
  const sample = Math.min(rows.length, 200);
  return columns.map((name, c) => {
    let chars = String(name).length + 2;
    for (let r = 0; r < sample; r++) {
      const v = rows[r]?.[c];
      const len = v === null || v === undefined ? 0 : typeof v === 'string' ? v.length : JSON.stringify(v).length;
      if (len > chars) chars = len;
    }
    return Math.max(64, Math.min(320, Math.round(chars * 7.5 + 24)));
  });
}
