// Pure logic of display elements (components/elements/): the columns of a
// static table, a metric's delta tone and chart, and which levels of a JSON
// value start open. No DOM here.

import { sparkline } from './dataframe';
import type { Align, ChartType, ColumnType, MetricEl, TableEl } from './protocol';

// ----- static tables -----

const COLUMN_TYPES: ReadonlySet<string> = new Set<ColumnType>([
  'text',
  'number',
  'checkbox',
  'date',
  'datetime',
  'time',
  'link',
  'progress',
  'list',
  'image',
  'line_chart',
  'bar_chart',
]);

/** A static table's column: its header, how its cells show and line up. */
export interface TableColumn {
  label: string;
  type: ColumnType;
  align: Align;
}

/**
 * The columns of a static table: `kinds` and `align` may be empty or
 * shorter than `columns` (or hold values this page does not know): those
 * columns are text, at the left.
 */
export function tableColumns(el: Pick<TableEl, 'columns' | 'kinds' | 'align'>): TableColumn[] {
  const labels = Array.isArray(el.columns) ? el.columns : [];
  const kinds = Array.isArray(el.kinds) ? el.kinds : [];
  const align = Array.isArray(el.align) ? el.align : [];
  return labels.map((label, i) => {
    const k = kinds[i];
    const a = align[i];
    return {
      label: typeof label === 'string' ? label : String(label),
      type: typeof k === 'string' && COLUMN_TYPES.has(k) ? k : 'text',
      align: a === 'right' || a === 'center' ? a : 'left',
    };
  });
}

// ----- metrics -----

/** The colour of a metric's delta (and its chart): good (green), bad (red), or off (grey). */
export type Tone = 'good' | 'bad' | 'off';

/** The delta's direction and tone (null: no delta). A delta starting with `-` or `−` is a decrease. */
export function deltaTone(el: Pick<MetricEl, 'delta' | 'delta_color'>): { down: boolean; tone: Tone } | null {
  const delta = typeof el.delta === 'string' ? el.delta.trim() : '';
  if (!delta) return null;
  const down = delta.startsWith('-') || delta.startsWith('−');
  const color = el.delta_color ?? 'normal';
  if (color === 'off') return { down, tone: 'off' };
  return { down, tone: down !== (color === 'inverse') ? 'bad' : 'good' };
}

/** A metric's chart, drawn in a `w`×`h` box (SVG user units). */
export interface MetricChart {
  kind: 'line' | 'bar' | 'area';
  /** line/area: the line (one subpath per run of values). */
  line: string;
  /** area: the fill under the line (one closed subpath per run). */
  fill: string;
  /** bar: the bars. */
  bars: { x: number; y: number; w: number; h: number }[];
  /** The values drawn, for the accessible name. */
  values: number[];
}

/**
 * A metric's recent values as a chart filling `w`×`h`, or null when there
 * is nothing to draw (no values). One value, or values that are all the
 * same, draw a flat line across the middle (a bar each for bars); empty
 * values (null) break a line.
 */
export function metricChart(values: unknown, kind: ChartType | undefined, w: number, h: number): MetricChart | null {
  if (!Array.isArray(values)) return null;
  const vals = values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  const nums = vals.filter((v): v is number => v !== null);
  if (nums.length === 0) return null;
  const k: ChartType = kind === 'bar' || kind === 'area' ? kind : 'line';
  const r = (n: number) => Math.round(n * 100) / 100;
  if (k === 'bar') {
    const s = sparkline(vals, 'bar', w, h);
    return { kind: 'bar', line: '', fill: '', bars: s.kind === 'bar' ? s.bars : [], values: nums };
  }
  // A lone value: a flat line across the box.
  if (nums.length === 1) {
    const y = r(h / 2);
    const line = `M0 ${y}L${r(w)} ${y}`;
    return { kind: k, line, fill: k === 'area' ? `M0 ${y}L${r(w)} ${y}L${r(w)} ${r(h)}L0 ${r(h)}Z` : '', bars: [], values: nums };
  }
  // Leave room for the stroke at the top and bottom.
  const pad = Math.min(2, h / 4);
  const s = sparkline(vals, 'line', w, h - 2 * pad);
  const line = s.kind === 'line' ? shift(s.d, pad) : '';
  let fill = '';
  if (k === 'area') {
    // Close each run of the line down to the bottom.
    for (const run of line.split('M').filter((x) => x.trim() !== '')) {
      const pts = run.trim().split('L').map((p) => p.trim().split(/\s+/).map(Number));
      const first = pts[0];
      const last = pts[pts.length - 1];
      if (!first || !last) continue;
      fill += `M${first[0]} ${r(h)}L${pts.map((p) => `${p[0]} ${p[1]}`).join('L')}L${last[0]} ${r(h)}Z`;
    }
  }
  return { kind: k, line, fill, bars: [], values: nums };
}

/** Moves every point of a path of M/L commands down by `dy`. */
function shift(d: string, dy: number): string {
  return d.replace(/([ML])\s*(-?[\d.]+)\s+(-?[\d.]+)/g, (_, c: string, x: string, y: string) => {
    return `${c}${x} ${Math.round((Number(y) + dy) * 100) / 100}`;
  });
}

// ----- JSON -----

/** How deep a JSON tree opens by itself today (without `depth`): levels 1 to 4 below the top. */
const DEFAULT_OPEN_LEVELS = 4;

/**
 * Whether a branch at `level` (0: the value itself) starts open: with
 * `depth`, the first `depth` levels are; without it, the top follows
 * `expanded` and the levels below it are open down to level 4.
 */
export function jsonOpen(level: number, el: { expanded?: boolean; depth?: number | null }): boolean {
  if (typeof el.depth === 'number' && Number.isFinite(el.depth)) return level < el.depth;
  if (level === 0) return !!el.expanded;
  return level <= DEFAULT_OPEN_LEVELS;
}

/** A short accessible description of a value list: "1, 2, 3" (cut at about 120 characters). */
export function valuesLabel(values: readonly unknown[]): string {
  const text = values.map((v) => (typeof v === 'number' ? String(v) : '–')).join(', ');
  return text.length > 120 ? text.slice(0, 119) + '…' : text;
}
