// Pure logic behind the dataframe grid (components/elements/dataframe.tsx):
// scaled scrolling, which rows to draw and to fetch, the cache of the rows
// received for a view, column layout, keyboard moves, sorting, selection,
// the CSV link and sparklines. No DOM here.

import type {
  ColumnSpec,
  Json,
  SelectionMode,
  SelectionValue,
  WindowReply,
  WindowRequest,
  WindowRows,
  WindowSort,
} from './protocol';

/** Must match `.bk-df-row` / `.bk-df-head` heights in styles.css. */
export const ROW_HEIGHT = 32;
export const HEADER_HEIGHT = 34;
/**
 * The tallest spacer drawn. Browsers cap an element's height near
 * 33,554,432 px (Chrome, Firefox); 10,000,000 rows of 32 px would be 320M.
 */
export const MAX_SPACER_PX = 8_000_000;
/** The grid's height when the element says 0 (auto) and the rows do not fit. */
export const AUTO_MAX_HEIGHT = 400;
/** The most rows one request asks for (the server's limit). */
export const MAX_WINDOW = 1000;
/** Rows drawn above and below the visible ones. */
export const DRAW_OVERSCAN = 4;
/** The most rows ever in the DOM. */
export const MAX_DRAWN = 90;

// ----- scrolling -----

/**
 * How a view of `total` rows maps onto a scroll box whose rows area is
 * `viewport` px tall. The spacer is the rows' real height when it fits in
 * `maxSpacer`, else `maxSpacer`, and scrolling maps linearly: scrollTop 0
 * shows row 0 at the top, scrollTop `scrollMax` shows the last row at the
 * bottom. Unscaled, that is exactly 1 px of scroll per px of rows.
 */
export interface Geometry {
  total: number;
  rowHeight: number;
  viewport: number;
  /** Rows that fit in the viewport (fractional). */
  rows: number;
  /** Height of the rows area's content. */
  spacer: number;
  /** Whether the spacer is shorter than the rows (then scrolling is scaled). */
  scaled: boolean;
  /** The largest scrollTop. */
  scrollMax: number;
  /** The largest first-row position (fractional): the last row at the bottom. */
  maxPos: number;
}

export function geometry(
  total: number,
  viewport: number,
  rowHeight = ROW_HEIGHT,
  maxSpacer = MAX_SPACER_PX,
): Geometry {
  const n = Math.max(0, Math.floor(total));
  const vp = Math.max(0, viewport);
  const full = n * rowHeight;
  const spacer = Math.min(full, maxSpacer);
  return {
    total: n,
    rowHeight,
    viewport: vp,
    rows: vp / rowHeight,
    spacer,
    scaled: spacer < full,
    scrollMax: Math.max(0, spacer - vp),
    maxPos: Math.max(0, n - vp / rowHeight),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** The row position (fractional) at the top of the viewport for `scrollTop`. */
export function posFromScroll(scrollTop: number, g: Geometry): number {
  if (g.scrollMax <= 0) return 0;
  const t = clamp(scrollTop, 0, g.scrollMax);
  if (!g.scaled) return t / g.rowHeight;
  return (t / g.scrollMax) * g.maxPos;
}

/** The scrollTop that puts row position `pos` at the top (the inverse of `posFromScroll`). */
export function scrollFromPos(pos: number, g: Geometry): number {
  if (g.maxPos <= 0 || g.scrollMax <= 0) return 0;
  const p = clamp(pos, 0, g.maxPos);
  if (!g.scaled) return p * g.rowHeight;
  return (p / g.maxPos) * g.scrollMax;
}

/** The first row (whole) at the top of the viewport for `scrollTop`. */
export function firstRow(scrollTop: number, g: Geometry): number {
  return Math.min(Math.max(0, g.total - 1), Math.floor(posFromScroll(scrollTop, g) + 1e-9));
}

/** The rows at least partly visible at `pos`: [first, end). */
export function visibleRows(pos: number, g: Geometry): { first: number; end: number } {
  const first = clamp(Math.floor(pos + 1e-9), 0, g.total);
  const end = clamp(Math.ceil(pos + g.rows - 1e-9), first, g.total);
  return { first, end };
}

/**
 * Where row `i` goes (px from the top of the rows area's content) when the
 * box is at `scrollTop` and shows position `pos` at its top. Unscaled (pos =
 * scrollTop / rowHeight) that is `i * rowHeight`, whatever the scroll.
 */
export function rowTop(i: number, pos: number, scrollTop: number, rowHeight = ROW_HEIGHT): number {
  return Math.round(scrollTop + (i - pos) * rowHeight);
}

/**
 * The rows to put in the DOM: the visible ones plus `overscan` each side,
 * at most `max`, and only rows that lie inside the spacer (a row drawn
 * below it would make the content taller, and the scroll range with it).
 */
export function rowsToDraw(
  pos: number,
  scrollTop: number,
  g: Geometry,
  overscan = DRAW_OVERSCAN,
  max = MAX_DRAWN,
): { start: number; end: number } {
  const { first, end: visEnd } = visibleRows(pos, g);
  let start = Math.max(0, first - overscan);
  let end = Math.min(g.total, visEnd + overscan);
  const rh = g.rowHeight;
  // Rows whose top is above 0 or whose bottom is below the spacer.
  start = Math.max(start, Math.ceil(pos - scrollTop / rh - 1e-9));
  end = Math.min(end, Math.floor(pos + (g.spacer - scrollTop) / rh + 1e-9));
  if (end - start > max) {
    // Keep the visible rows first.
    start = Math.max(start, first - Math.floor((max - (visEnd - first)) / 2));
    end = Math.min(end, start + max);
  }
  return { start, end: Math.max(start, end) };
}

/** The position that shows row `row` whole, moving as little as possible from `pos`. */
export function ensureVisible(pos: number, row: number, g: Geometry): number {
  let p = pos;
  if (row < p) p = row;
  else if (row + 1 > p + g.rows) p = row + 1 - g.rows;
  return clamp(p, 0, g.maxPos);
}

/** The grid's height (border box) for the element's `height` (0: fit the rows up to 400 px). */
export function gridHeight(height: number, rowCount: number, border = 2): number {
  if (height > 0) return height;
  return Math.min(AUTO_MAX_HEIGHT, HEADER_HEIGHT + Math.max(1, rowCount) * ROW_HEIGHT + border);
}

// ----- the rows of a view -----

export interface CachedRow {
  /** Original row position. */
  index: number;
  cells: Json[];
}

/**
 * The rows received for one view (frame, sort, search), by position in the
 * view. Holds at most `capacity` rows; the least recently used go first.
 */
export class WindowCache {
  private readonly rows = new Map<number, CachedRow>();
  /** Rows in the view; null until a reply for it says. */
  total: number | null = null;

  constructor(
    readonly key: string,
    private readonly capacity = 5000,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  put(w: Pick<WindowRows, 'start' | 'total' | 'index' | 'rows'>): void {
    this.total = Math.max(0, w.total);
    const rows = Array.isArray(w.rows) ? w.rows : [];
    for (let r = 0; r < rows.length; r++) {
      const at = w.start + r;
      if (at >= this.total) break;
      this.rows.delete(at);
      this.rows.set(at, { index: w.index?.[r] ?? at, cells: Array.isArray(rows[r]) ? (rows[r] as Json[]) : [] });
    }
    while (this.rows.size > this.capacity) {
      this.rows.delete(this.rows.keys().next().value as number);
    }
  }

  has(i: number): boolean {
    return this.rows.has(i);
  }

  /** The row at view position `i` (marks it recently used). */
  get(i: number): CachedRow | undefined {
    const row = this.rows.get(i);
    if (row !== undefined) {
      this.rows.delete(i);
      this.rows.set(i, row);
    }
    return row;
  }

  /** Whether every row of [start, end) (within the view) is here. */
  covers(start: number, end: number): boolean {
    if (this.total === null) return false;
    const e = Math.min(end, this.total);
    for (let i = Math.max(0, start); i < e; i++) if (!this.rows.has(i)) return false;
    return true;
  }
}

/** The smallest range inside [start, end) holding every row `has` lacks (null: none). */
export function trimToMissing(
  start: number,
  end: number,
  has: (i: number) => boolean,
): { start: number; end: number } | null {
  let a = start;
  let b = end;
  while (a < b && has(a)) a++;
  while (b > a && has(b - 1)) b--;
  return a < b ? { start: a, end: b } : null;
}

/**
 * The window to ask for at position `pos`, or null when nothing is needed:
 * when the visible rows and half a screen around them are here, or the
 * visible ones are being fetched. The window spans the visible rows plus a
 * screen (at least 20 rows) each side, trimmed of rows already here.
 *
 * With `total` null (a filtered view not heard of yet, whose size is
 * unknown) the first rows are asked for, once: asking past the end of a view
 * is an error, and their answer tells the size.
 */
export function planFetch(opts: {
  pos: number;
  /** Rows that fit in the viewport. */
  rows: number;
  total: number | null;
  has: (i: number) => boolean;
  /** Ranges already asked for (in flight or waiting). */
  pending?: readonly { start: number; end: number }[];
}): { start: number; count: number } | null {
  const { pos, rows, has } = opts;
  const screen = Math.max(1, Math.ceil(rows));
  const over = Math.max(screen, 20);
  const first = Math.max(0, Math.floor(pos + 1e-9));
  const pending = opts.pending ?? [];
  if (opts.total === null) {
    if (pending.length > 0) return null;
    return { start: 0, count: Math.min(MAX_WINDOW, (first > over ? 0 : first) + screen + over) };
  }
  const total = opts.total;
  if (total <= 0) return null;
  const visEnd = Math.min(total, Math.ceil(pos + rows - 1e-9));
  const margin = Math.ceil(screen / 2);
  const needStart = Math.max(0, first - margin);
  const needEnd = Math.min(total, visEnd + margin);
  let all = true;
  for (let i = needStart; i < needEnd && all; i++) all = has(i);
  if (all) return null;
  if (pending.some((p) => p.start <= first && p.end >= visEnd)) return null;
  const range = trimToMissing(Math.max(0, first - over), Math.min(total, visEnd + over), has);
  if (!range) return null;
  return { start: range.start, count: Math.min(MAX_WINDOW, range.end - range.start) };
}

/** The identity of a view: rows of one (frame, sort, search) are interchangeable. */
export function viewKey(frame: string, sort: WindowSort | null, search: string): string {
  return JSON.stringify([frame, sort ? sort.column : null, sort ? !!sort.descending : false, search]);
}

/** The key of the view a request asked for. */
export function requestKey(req: Pick<WindowRequest, 'frame' | 'sort' | 'search'>): string {
  return viewKey(req.frame, req.sort, req.search);
}

/**
 * What a grid knows of its rows: the cache of the current view, and the
 * last view that had rows (shown, stale, until the current one has some, so
 * a sort or a new frame does not flash an empty grid), and the last error.
 */
export class GridRows {
  cache: WindowCache;
  /** The previous view's rows, shown until the current view has any. */
  prev: WindowCache | null = null;
  /** The error of the last reply for this view (the view is not asked again). */
  error: string | null = null;
  /** The view has a search (its size is unknown until a reply says). */
  filtered = false;

  constructor(
    frame: string,
    head: WindowRows | null | undefined,
    private readonly capacity = 5000,
  ) {
    this.cache = this.fresh(viewKey(frame, null, ''), head);
  }

  get key(): string {
    return this.cache.key;
  }

  private fresh(key: string, head: WindowRows | null | undefined): WindowCache {
    const cache = new WindowCache(key, this.capacity);
    if (head && Array.isArray(head.rows)) cache.put(head);
    return cache;
  }

  /**
   * Switches to the view (frame, sort, search); a no-op when it is the
   * current one. The unsorted, unfiltered view starts from `head`.
   */
  setView(frame: string, sort: WindowSort | null, search: string, head: WindowRows | null | undefined): void {
    const key = viewKey(frame, sort, search);
    if (key === this.cache.key) return;
    const plain = sort === null && search === '';
    this.filtered = search !== '';
    const old = this.cache;
    this.cache = this.fresh(key, plain ? head : null);
    if (this.cache.total === null) this.prev = old.total !== null && old.size > 0 ? old : this.prev;
    else this.prev = null;
    this.error = null;
  }

  /**
   * Takes a reply to `req`. Returns whether anything changed: replies for
   * another frame or an earlier view change nothing.
   */
  accept(reply: WindowReply, req: WindowRequest): boolean {
    if (reply.frame !== req.frame || requestKey(req) !== this.cache.key) return false;
    if (typeof reply.error === 'string' && reply.error) {
      this.error = reply.error;
      return true;
    }
    this.cache.put({
      start: typeof reply.start === 'number' ? reply.start : req.start,
      total: typeof reply.total === 'number' ? reply.total : 0,
      index: Array.isArray(reply.index) ? reply.index : [],
      rows: Array.isArray(reply.rows) ? reply.rows : [],
    });
    this.prev = null;
    this.error = null;
    return true;
  }

  /**
   * Rows in the view, as far as known: from a reply, or, without a search,
   * `rowCount` (every row of the frame); null for a search not answered yet.
   */
  knownTotal(rowCount: number): number | null {
    return this.cache.total ?? (this.filtered ? null : rowCount);
  }

  /** Rows in the view to draw: `knownTotal`, else the previous view's until the reply. */
  total(rowCount: number): number {
    return this.knownTotal(rowCount) ?? this.prev?.total ?? rowCount;
  }

  /** The row to draw at view position `i`; `stale` when it is the previous view's. */
  row(i: number): { row: CachedRow; stale: boolean } | undefined {
    const row = this.cache.get(i);
    if (row) return { row, stale: false };
    if (this.cache.total === null && this.prev) {
      const old = this.prev.get(i);
      if (old) return { row: old, stale: true };
    }
    return undefined;
  }

  /** Whether the rows [first, end) of the current view are all here (and no error). */
  ready(first: number, end: number): boolean {
    return this.error === null && this.cache.covers(first, end);
  }
}

// ----- columns -----

export type GridColumn =
  | { kind: 'select'; width: number; left: number; sticky: boolean }
  | { kind: 'index'; width: number; left: number; sticky: boolean }
  | { kind: 'data'; spec: ColumnSpec; cell: number; width: number; left: number; sticky: boolean };

export const SELECT_WIDTH = 36;
const MIN_WIDTH = 40;

export interface ColumnLayout {
  columns: GridColumn[];
  /** Sum of the widths. */
  width: number;
  /** Width of the sticky columns at the left. */
  stickyWidth: number;
  /** CSS grid-template-columns. */
  template: string;
}

/**
 * The columns drawn, left to right: the row selection checkboxes, the index,
 * the pinned columns, then the others (display order within each group;
 * hidden names left out). The first three groups stick at the left.
 */
export function layoutColumns(
  specs: readonly ColumnSpec[],
  opts: { index: { width: number } | null; selectRows: boolean; hidden?: ReadonlySet<string> },
): ColumnLayout {
  const out: GridColumn[] = [];
  let x = 0;
  if (opts.selectRows) {
    out.push({ kind: 'select', width: SELECT_WIDTH, left: x, sticky: true });
    x += SELECT_WIDTH;
  }
  if (opts.index) {
    const w = Math.max(MIN_WIDTH, Math.round(opts.index.width) || 0);
    out.push({ kind: 'index', width: w, left: x, sticky: true });
    x += w;
  }
  const shown = specs.map((spec, cell) => ({ spec, cell })).filter(({ spec }) => !opts.hidden?.has(spec.name));
  const pinned = shown.filter(({ spec }) => spec.pinned);
  const rest = shown.filter(({ spec }) => !spec.pinned);
  let stickyWidth = x;
  for (const { spec, cell } of pinned) {
    const w = Math.max(MIN_WIDTH, Math.round(spec.width) || 0);
    out.push({ kind: 'data', spec, cell, width: w, left: x, sticky: true });
    x += w;
  }
  stickyWidth = x;
  for (const { spec, cell } of rest) {
    const w = Math.max(MIN_WIDTH, Math.round(spec.width) || 0);
    out.push({ kind: 'data', spec, cell, width: w, left: x, sticky: false });
    x += w;
  }
  return { columns: out, width: x, stickyWidth, template: out.map((c) => c.width + 'px').join(' ') };
}

/** The scrollLeft that shows column `c` whole (not under the sticky columns), moving as little as possible. */
export function scrollLeftFor(col: GridColumn, scrollLeft: number, clientWidth: number, stickyWidth: number): number {
  if (col.sticky) return scrollLeft;
  const right = col.left + col.width;
  if (col.left < scrollLeft + stickyWidth) return Math.max(0, col.left - stickyWidth);
  if (right > scrollLeft + clientWidth) return Math.max(0, Math.min(col.left - stickyWidth, right - clientWidth));
  return scrollLeft;
}

// ----- sorting -----

/** Clicking a header cycles none → ascending → descending → none. */
export function nextSort(current: WindowSort | null, column: string): WindowSort | null {
  if (!current || current.column !== column) return { column, descending: false };
  return current.descending ? null : { column, descending: true };
}

// ----- keyboard -----

/** The active cell: `row` is a position in the view (-1: the header row), `col` a drawn column. */
export interface Cursor {
  row: number;
  col: number;
}

export interface KeyInput {
  key: string;
  ctrl?: boolean;
}

export interface GridDims {
  /** Rows in the view. */
  rows: number;
  /** Columns drawn. */
  cols: number;
  /** Rows in a screen (Page Up/Down). */
  page: number;
}

export type KeyAction =
  | { type: 'move'; cursor: Cursor }
  /** Enter on a header cell. */
  | { type: 'activate-header'; col: number }
  /** Space on a body row. */
  | { type: 'toggle-row'; row: number }
  /** Space on a header cell. */
  | { type: 'toggle-column'; col: number }
  /** Enter on a body cell. */
  | { type: 'activate-cell'; cursor: Cursor };

/** What a key does to the grid (null: not the grid's key). */
export function gridKey(cur: Cursor, k: KeyInput, dims: GridDims): KeyAction | null {
  const lastRow = dims.rows - 1;
  const lastCol = Math.max(0, dims.cols - 1);
  const row = clamp(cur.row, -1, lastRow);
  const col = clamp(cur.col, 0, lastCol);
  const page = Math.max(1, Math.floor(dims.page));
  const move = (r: number, c: number): KeyAction => ({
    type: 'move',
    cursor: { row: clamp(r, -1, lastRow), col: clamp(c, 0, lastCol) },
  });
  switch (k.key) {
    case 'ArrowUp':
      return move(row - 1, col);
    case 'ArrowDown':
      return move(row + 1, col);
    case 'ArrowLeft':
      return move(row, col - 1);
    case 'ArrowRight':
      return move(row, col + 1);
    case 'PageUp':
      return move(row <= 0 ? -1 : Math.max(0, row - page), col);
    case 'PageDown':
      return move(row + page, col);
    case 'Home':
      return k.ctrl ? move(lastRow >= 0 ? 0 : -1, 0) : move(row, 0);
    case 'End':
      return k.ctrl ? move(lastRow, lastCol) : move(row, lastCol);
    case 'Enter':
      return row < 0 ? { type: 'activate-header', col } : { type: 'activate-cell', cursor: { row, col } };
    case ' ':
    case 'Spacebar':
      return row < 0 ? { type: 'toggle-column', col } : { type: 'toggle-row', row };
    default:
      return null;
  }
}

// ----- selection -----

export const NO_SELECTION: SelectionValue = Object.freeze({ rows: [], columns: [] }) as SelectionValue;

/** A selection value from the wire, made safe to read. */
export function asSelection(v: unknown): SelectionValue {
  const o = (v && typeof v === 'object' ? v : {}) as Partial<SelectionValue>;
  return {
    rows: Array.isArray(o.rows) ? o.rows.filter((r) => typeof r === 'number') : [],
    columns: Array.isArray(o.columns) ? o.columns.filter((c) => typeof c === 'string') : [],
  };
}

/** Toggles original row `index` (single mode: it replaces the others). Rows stay sorted ascending. */
export function toggleRow(value: SelectionValue, index: number, mode: SelectionMode): SelectionValue {
  const on = value.rows.includes(index);
  let rows: number[];
  if (mode === 'single') rows = on ? [] : [index];
  else rows = on ? value.rows.filter((r) => r !== index) : [...value.rows, index];
  return { rows: rows.sort((a, b) => a - b), columns: [...value.columns] };
}

/**
 * Toggles column `name` (single mode: it replaces the others). Columns stay
 * in `order` (the frame's display order); names not in it go last.
 */
export function toggleColumn(
  value: SelectionValue,
  name: string,
  mode: SelectionMode,
  order: readonly string[],
): SelectionValue {
  const on = value.columns.includes(name);
  let columns: string[];
  if (mode === 'single') columns = on ? [] : [name];
  else columns = on ? value.columns.filter((c) => c !== name) : [...value.columns, name];
  const rank = (c: string) => {
    const i = order.indexOf(c);
    return i < 0 ? order.length : i;
  };
  columns.sort((a, b) => rank(a) - rank(b));
  return { rows: [...value.rows], columns };
}

// ----- CSV download -----

/**
 * The CSV link of a view: `download` plus `sort`, `desc`, `search` and
 * `columns` (only when some columns are hidden: the visible names, comma
 * separated, each percent-encoded) as query parameters.
 */
export function csvUrl(
  download: string,
  view: { sort: WindowSort | null; search: string; columns: readonly string[] | null },
): string {
  const params: string[] = [];
  if (view.sort) {
    params.push('sort=' + encodeURIComponent(view.sort.column));
    if (view.sort.descending) params.push('desc=1');
  }
  if (view.search) params.push('search=' + encodeURIComponent(view.search));
  if (view.columns) params.push('columns=' + view.columns.map(encodeURIComponent).join(','));
  if (params.length === 0) return download;
  return download + (download.includes('?') ? '&' : '?') + params.join('&');
}

// ----- cells -----

/** Whether `href` may become a link (http, https, mailto). */
export function safeHref(href: unknown): href is string {
  return typeof href === 'string' && /^(https?:|mailto:)/i.test(href.trim());
}

/** Whether `src` may be shown as an image (http(s) url or a data:image url). */
export function safeImage(src: unknown): src is string {
  return typeof src === 'string' && /^(https?:|data:image\/)/i.test(src.trim());
}

export type Spark =
  | { kind: 'line'; d: string }
  | { kind: 'bar'; bars: { x: number; y: number; w: number; h: number }[] };

/**
 * A sparkline of `values` in a `w`×`h` box: the y range is [yMin, yMax]
 * when given, else the values' own (a flat series sits in the middle).
 * Lines break at empty values; bars grow from 0 (or the range's bottom).
 */
export function sparkline(
  values: readonly (number | null)[],
  kind: 'line' | 'bar',
  w: number,
  h: number,
  yMin?: number | null,
  yMax?: number | null,
): Spark {
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  let lo = typeof yMin === 'number' ? yMin : nums.length ? Math.min(...nums) : 0;
  let hi = typeof yMax === 'number' ? yMax : nums.length ? Math.max(...nums) : 1;
  if (kind === 'bar' && typeof yMin !== 'number') lo = Math.min(lo, 0);
  if (kind === 'bar' && typeof yMax !== 'number') hi = Math.max(hi, 0);
  const flat = hi <= lo;
  const y = (v: number) => {
    if (flat) return h / 2;
    return h - ((clamp(v, lo, hi) - lo) / (hi - lo)) * h;
  };
  const r = (n: number) => Math.round(n * 100) / 100;
  const n = values.length;
  if (kind === 'bar') {
    const slot = n > 0 ? w / n : w;
    const bw = Math.max(1, slot * 0.8);
    const base = flat ? h : y(clamp(0, lo, hi));
    const bars = [];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const top = flat ? h / 2 : y(v);
      bars.push({ x: r(i * slot + (slot - bw) / 2), y: r(Math.min(top, base)), w: r(bw), h: r(Math.max(1, Math.abs(base - top))) });
    }
    return { kind: 'bar', bars };
  }
  const step = n > 1 ? w / (n - 1) : 0;
  let d = '';
  let pen = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      pen = false;
      continue;
    }
    const x = n > 1 ? i * step : w / 2;
    d += (pen ? 'L' : (d ? ' M' : 'M')) + r(x) + ' ' + r(y(v));
    pen = true;
  }
  return { kind: 'line', d };
}

/** "1 row", "10,000,000 rows". */
export function countText(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

// ----- search status and the footer -----

/**
 * Where a grid's search stands: none; `pending` (being typed, or asked of
 * the server and not answered yet: its size is unknown); or `done`, with
 * the rows of the view that match.
 */
export type SearchState = { kind: 'none' } | { kind: 'pending' } | { kind: 'done'; matched: number };

/**
 * The search state of a grid: `typed` is the search box, `search` the
 * search of the view (it follows the typing after a pause), `known` the
 * rows of the view as far as a reply said (`GridRows.knownTotal`), `failed`
 * whether the view's last reply was an error (then nothing is pending: the
 * view will not be asked again).
 */
export function searchState(typed: string, search: string, known: number | null, failed: boolean): SearchState {
  if (!failed && typed !== search) return { kind: 'pending' };
  if (search === '') return { kind: 'none' };
  if (known === null) return failed ? { kind: 'none' } : { kind: 'pending' };
  return { kind: 'done', matched: known };
}

export const SEARCHING = 'Searching…';

/** The footer: "10,000,000 rows × 8 columns", "12 of 10,000,000 rows × 8 columns", "Searching…". */
export function footerText(rowCount: number, columns: number, s: SearchState): string {
  const all = `${countText(rowCount, 'row', 'rows')} × ${countText(columns, 'column', 'columns')}`;
  if (s.kind === 'pending') return SEARCHING;
  if (s.kind === 'done') return `${s.matched.toLocaleString('en-US')} of ${all}`;
  return all;
}

/** What the search box says (and announces) of its matches: "12 rows", "Searching…" or nothing. */
export function foundText(s: SearchState): string {
  if (s.kind === 'pending') return SEARCHING;
  if (s.kind === 'done') return countText(s.matched, 'row', 'rows');
  return '';
}
