// Pure logic of the simple charts (elements/chart.tsx and the 'uplot'
// chunk), kept apart so that unit tests run it without a browser: the
// points URLs, the plot's width in device pixels, colours and scales, axis
// labels, the x range a chart shows, hit testing for clicks, and the values
// a selection commits.

import type { ChartEl, ChartPoint, ChartSelectionValue } from './protocol';
import { appendPoints, FLAG_AGGREGATED, FLAG_APPEND, type Points } from './chartdata';

/** The widest answer the server gives (pixel columns), as `MAX_PX` in data/m4.rs. */
export const MAX_PX = 8192;

/** The plot's width in device pixels, as the points endpoint takes it. */
export function devicePx(cssWidth: number, ratio: number): number {
  const px = Math.round(cssWidth * (Number.isFinite(ratio) && ratio > 0 ? ratio : 1));
  return Math.min(MAX_PX, Math.max(1, px));
}

/** The URL of the whole range's points at `px` pixel columns. */
export function wholeUrl(data: string, px: number): string {
  return `${data}?px=${px}`;
}

/** The URL of the points between `x0` and `x1` (a zoom). */
export function rangeUrl(data: string, x0: number, x1: number, px: number): string {
  return `${data}?x0=${encodeURIComponent(String(x0))}&x1=${encodeURIComponent(String(x1))}&px=${px}`;
}

/** The URL of the points of the rows after the first `rows` (add_rows). */
export function afterUrl(data: string, rows: number, px: number): string {
  return `${data}?after=${rows}&px=${px}`;
}

/** The default palette (the theme's --bk-chart-1..7 when the page does not set them). */
export const FALLBACK_PALETTE = ['#4477aa', '#ee6677', '#228833', '#ccbb44', '#66ccee', '#aa3377', '#bbbbbb'];

/** Each series' colour: its own, else the palette's in turn. */
export function seriesColors(el: ChartEl, palette: string[]): string[] {
  const p = palette.length > 0 ? palette : FALLBACK_PALETTE;
  return el.series.map((s, i) => s.color ?? p[i % p.length] ?? '#4477aa');
}

/**
 * Viridis, at five stops: a sequential scale that is readable in grey and
 * for every common colour-vision deficiency (dots coloured by a number).
 */
const SEQUENTIAL: [number, number, number][] = [
  [0x44, 0x01, 0x54],
  [0x3b, 0x52, 0x8b],
  [0x21, 0x91, 0x8c],
  [0x5e, 0xc9, 0x62],
  [0xfd, 0xe7, 0x25],
];

/** The colour of `value` on the sequential scale from `min` to `max`. */
export function sequentialColor(value: number, min: number, max: number): string {
  const t = max > min ? Math.min(1, Math.max(0, (value - min) / (max - min))) : 0.5;
  const at = t * (SEQUENTIAL.length - 1);
  const i = Math.min(SEQUENTIAL.length - 2, Math.floor(at));
  const f = at - i;
  const a = SEQUENTIAL[i] ?? [0, 0, 0];
  const b = SEQUENTIAL[i + 1] ?? a;
  const mix = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

/** Smallest and largest dot, in CSS pixels across, when a column sizes them. */
export const DOT_RANGE: [number, number] = [4, 24];
/** A dot's default size (CSS pixels across). */
export const DOT_SIZE = 6;

/** A dot's diameter for `value` of a size column ranging `min..max` (area grows with the value). */
export function dotSize(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return DOT_RANGE[0];
  const t = max > min ? Math.min(1, Math.max(0, (value - min) / (max - min))) : 0.5;
  const [lo, hi] = DOT_RANGE;
  return Math.sqrt(lo * lo + t * (hi * hi - lo * lo));
}

/** Where the extra arrays sit in the points: size first, then colour, as the element has them. */
export function extraIndex(el: ChartEl): { size: number; color: number } {
  const size = el.size ? 0 : -1;
  const color = el.color ? (el.size ? 1 : 0) : -1;
  return { size, color };
}

/** A category axis' label of position `v` ("" between categories). */
export function categoryLabel(categories: string[] | undefined, v: number): string {
  if (!categories || !Number.isInteger(v)) return '';
  return categories[v] ?? '';
}

/**
 * The x range the chart shows when not zoomed: the data's, with half a
 * slot on each side for bars (and categories), so that the first and last
 * bars are whole; a little room when all points share one x.
 */
export function wholeRange(el: ChartEl, slot: number): [number, number] {
  let [min, max] = [el.x.min, el.x.max];
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1];
  // Dots are whole at the edges too.
  const pad = el.mark === 'bar' || el.x.scale === 'category' ? slot / 2 : el.mark === 'scatter' ? (max - min) * 0.03 : 0;
  if (max - min === 0 && pad === 0) return [min - 1, max + 1];
  return [min - pad, max + pad];
}

/** The smallest gap between neighbouring x values (1 for categories and single points). */
export function minGap(x: ArrayLike<number>, el: ChartEl): number {
  if (el.x.scale === 'category') return 1;
  let gap = Infinity;
  for (let i = 1; i < x.length; i++) {
    const d = (x[i] ?? 0) - (x[i - 1] ?? 0);
    if (d > 0 && d < gap) gap = d;
  }
  return Number.isFinite(gap) ? gap : 1;
}

/** Whether `[a0, a1]` is the same range as `[b0, b1]`, up to rounding. */
export function sameRange(a0: number, a1: number, b0: number, b1: number): boolean {
  const eps = Math.max(Math.abs(b1 - b0), 1e-12) * 1e-9;
  return Math.abs(a0 - b0) <= eps && Math.abs(a1 - b1) <= eps;
}

/** `[min, max]` zoomed by `factor` (< 1: in) around `at`, kept inside `limit`. */
export function zoomRange(
  min: number,
  max: number,
  at: number,
  factor: number,
  limit: [number, number],
): [number, number] {
  let lo = at - (at - min) * factor;
  let hi = at + (max - at) * factor;
  const span = hi - lo;
  const whole = limit[1] - limit[0];
  if (span >= whole) return [limit[0], limit[1]];
  if (lo < limit[0]) [lo, hi] = [limit[0], limit[0] + span];
  if (hi > limit[1]) [lo, hi] = [limit[1] - span, limit[1]];
  return [lo, hi];
}

/** `[min, max]` moved by `delta`, kept inside `limit`. */
export function panRange(min: number, max: number, delta: number, limit: [number, number]): [number, number] {
  const span = max - min;
  let lo = min + delta;
  lo = Math.min(Math.max(lo, limit[0]), limit[1] - span);
  return [lo, lo + span];
}

/** The y scale: the values' range, from zero for bars and areas, with some room. */
export function yRange(min: number, max: number, fromZero: boolean): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (fromZero) {
    min = Math.min(0, min);
    max = Math.max(0, max);
  }
  if (max === min) return [min - 1, max + 1];
  const pad = (max - min) * 0.05;
  return [fromZero && min === 0 ? 0 : min - pad, fromZero && max === 0 ? 0 : max + pad];
}

/**
 * The point nearest to (`px`, `py`) in pixels: `at(series, i)` is where
 * point i of a series is drawn (null: not drawn). Within `radius` pixels
 * only.
 */
export function nearest(
  count: number,
  series: number[],
  at: (series: number, i: number) => [number, number] | null,
  px: number,
  py: number,
  radius: number,
): { series: number; index: number } | null {
  let best: { series: number; index: number } | null = null;
  let bestD = radius * radius;
  for (const s of series) {
    for (let i = 0; i < count; i++) {
      const p = at(s, i);
      if (!p) continue;
      const d = (p[0] - px) ** 2 + (p[1] - py) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = { series: s, index: i };
      }
    }
  }
  return best;
}

/** The selection a brush from `a` to `b` commits (low to high). */
export function brushValue(a: number, b: number): ChartSelectionValue {
  return { x: [Math.min(a, b), Math.max(a, b)] };
}

/** The selection a click commits: `point` alone, or added to (removed from, if there) `current` with shift. */
export function clickValue(
  current: ChartSelectionValue,
  point: ChartPoint | null,
  additive: boolean,
): ChartSelectionValue {
  if (!point) return additive ? current : {};
  if (!additive) return { points: [point] };
  const points = current.points ?? [];
  const same = (p: ChartPoint) => p.x === point.x && p.series === point.series;
  return { points: points.some(same) ? points.filter((p) => !same(p)) : [...points, point] };
}

/** Whether two selection values select the same. */
export function sameSelection(a: ChartSelectionValue, b: ChartSelectionValue): boolean {
  const ax = a.x ?? null;
  const bx = b.x ?? null;
  if ((ax === null) !== (bx === null)) return false;
  if (ax && bx && (ax[0] !== bx[0] || ax[1] !== bx[1])) return false;
  const ap = a.points ?? [];
  const bp = b.points ?? [];
  return (
    ap.length === bp.length &&
    ap.every((p, i) => {
      const q = bp[i];
      return !!q && p.x === q.x && p.y === q.y && p.series === q.series;
    })
  );
}

/** A number for the tooltip: up to 4 significant decimals, no trailing zeros. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-4)) return v.toExponential(3);
  return v.toLocaleString('en-US', { maximumFractionDigits: abs >= 100 ? 2 : 4 });
}

/** x as the chart's axis reads it: a category, a date (time axis), or a number. */
export function formatX(el: ChartEl, v: number): string {
  if (el.x.scale === 'category') return categoryLabel(el.x.categories, Math.round(v));
  if (el.x.scale === 'time') {
    if (!Number.isFinite(v)) return '';
    const iso = new Date(v * 1000).toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  return formatNumber(v);
}

/** A short description for the chart's aria-label. */
export function chartLabel(el: ChartEl): string {
  const kind = { line: 'Line', area: 'Area', bar: 'Bar', scatter: 'Scatter' }[el.mark];
  const names = el.series.map((s) => s.name).join(', ');
  return `${kind} chart of ${names || 'no series'} (${el.rows.toLocaleString('en-US')} points)`;
}

/** How many points the answer has, for the data-points hook. */
export function pointCount(p: Points | null): number {
  return p ? p.x.length : 0;
}

// ----- add_rows -----

/**
 * How many points (per pixel column) the client keeps after appending
 * before it asks for the whole range again: the server sends rows as they
 * are up to 4 per column, so past 5 the whole range comes back aggregated
 * (fewer points, every peak kept).
 */
export const APPEND_BUDGET_PER_PX = 5;

/**
 * The whole range after the answer `more` to `after=`: appended to `whole`
 * (flag 2), or `more` itself (the server sent the whole range instead:
 * the rows were many, or not in x order). `refetch`: the result holds more
 * points than drawing needs; ask for the whole range again.
 */
export function mergeAppended(whole: Points, more: Points, px: number): { points: Points; refetch: boolean } {
  if ((more.flags & FLAG_APPEND) === 0) return { points: more, refetch: false };
  const points = appendPoints(whole, more);
  return { points, refetch: points.x.length > APPEND_BUDGET_PER_PX * Math.max(1, px) };
}

/** Whether the points are per-pixel summaries. */
export function isAggregated(p: Points): boolean {
  return (p.flags & FLAG_AGGREGATED) !== 0;
}

// ----- what uPlot draws: the plan of a chart, without uPlot -----

/** `color` with `alpha`, for fills (#rgb, #rrggbb and rgb(); other colours as they are). */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  const rgb = /^rgb\(([^)]*)\)$/i.exec(c);
  if (rgb) return `rgba(${(rgb[1] ?? '').trim()}, ${alpha})`;
  let hex = /^#([0-9a-f]{6})$/i.exec(c)?.[1];
  const short = /^#([0-9a-f]{3})$/i.exec(c)?.[1];
  if (short) hex = short.replace(/./g, (d) => d + d);
  if (!hex) return c;
  const n = parseInt(hex, 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Fill opacity of areas (stacked areas are stronger: each band is its own). */
export const AREA_ALPHA = 0.35;
export const STACKED_AREA_ALPHA = 0.5;

/** One series as uPlot draws it. */
export interface SeriesPlan {
  label: string;
  /** Stroke colour (the bars' and dots' colour too). */
  color: string;
  /** Line width, CSS px. */
  width: number;
  /** line: straight segments through the points (null breaks the line); bars: the bar path builder; none: nothing (dots are drawn by the draw hook). */
  paths: 'line' | 'bars' | 'none';
  /** Fill colour; null: no fill. */
  fill: string | null;
  /** Fill down to this y (areas that are not a band); null: no such fill. */
  fillTo: number | null;
  /** A bar's position in its group (grouped bars) or stack. */
  bar: number;
}

/** A fill between two series (uPlot's indices: 1 = the first series). */
export interface BandPlan {
  upper: number;
  lower: number;
  fill: string;
}

/** An axis: uPlot's side (0 top, 1 right, 2 bottom, 3 left) and title. */
export interface AxisPlan {
  side: 0 | 1 | 2 | 3;
  title: string;
}

/** Everything about a chart's look that does not need uPlot or a DOM. */
export interface ChartPlan {
  series: SeriesPlan[];
  bands: BandPlan[];
  /** Bars along y: x runs down the left side, values along the bottom. */
  horizontal: boolean;
  stacked: boolean;
  /** The y scale includes 0 (bars, areas). */
  fromZero: boolean;
  /** x is seconds since 1970 UTC. */
  time: boolean;
  /** Labels of x by position (category axis); null: numbers or dates. */
  categories: string[] | null;
  xAxis: AxisPlan;
  yAxis: AxisPlan;
  /** What a drag does: brush an x range (interval selection) or zoom to it. */
  drag: 'brush' | 'zoom';
  /** uPlot's hover dots on the lines. */
  cursorPoints: boolean;
}

/** The plan of `el` drawn in `palette` (the theme's --bk-chart-1..7). */
export function chartPlan(el: ChartEl, palette: string[]): ChartPlan {
  const colors = seriesColors(el, palette);
  const stacked = el.stack !== 'none';
  const horizontal = el.mark === 'bar' && el.horizontal;
  const series = el.series.map((s, k): SeriesPlan => {
    const color = colors[k] ?? '#4477aa';
    const plan: SeriesPlan = {
      label: s.name,
      color,
      width: el.mark === 'line' ? 1.5 : 1,
      paths: 'line',
      fill: null,
      fillTo: null,
      bar: stacked ? 0 : k,
    };
    switch (el.mark) {
      case 'area':
        // Stacked: the first series fills to zero, each other one the band
        // down to the series below it (`bands`): the server stacked the values.
        if (!stacked || k === 0) {
          plan.fill = withAlpha(color, stacked ? STACKED_AREA_ALPHA : AREA_ALPHA);
          plan.fillTo = 0;
        }
        break;
      case 'bar':
        plan.paths = 'bars';
        plan.fill = color;
        break;
      case 'scatter':
        plan.paths = 'none';
        break;
    }
    return plan;
  });
  const bands: BandPlan[] =
    el.mark === 'area' && stacked
      ? series.slice(1).map((s, k) => ({ upper: k + 2, lower: k + 1, fill: withAlpha(s.color, STACKED_AREA_ALPHA) }))
      : [];
  return {
    series,
    bands,
    horizontal,
    stacked,
    fromZero: el.mark === 'bar' || el.mark === 'area',
    time: el.x.scale === 'time',
    categories: el.x.scale === 'category' ? (el.x.categories ?? []) : null,
    xAxis: { side: horizontal ? 3 : 2, title: el.x.title },
    yAxis: { side: horizontal ? 2 : 3, title: el.y.title },
    drag: el.selection?.interval ? 'brush' : 'zoom',
    cursorPoints: el.mark === 'line' || el.mark === 'area',
  };
}

/**
 * Where bar `k` of `n` sits in its slot (`slotPx`: the distance between
 * neighbouring x values, in pixels): its offset from the x value's pixel
 * and its width. Grouped bars share 80% of the slot side by side; stacked
 * bars (and a single series) take all of it, centred.
 */
export function barGeometry(k: number, n: number, stacked: boolean, slotPx: number): { offset: number; width: number } {
  const group = Math.max(1, Math.abs(slotPx) * 0.8);
  if (stacked || n <= 1) return { offset: -group / 2, width: group };
  const width = group / n;
  return { offset: -group / 2 + k * width, width };
}

/**
 * The rectangle [left, top, width, height] of a bar at pixel `at` along x
 * (offset and width from `barGeometry`) from value pixel `base` to `value`.
 * Horizontal bars run along the page's x: the value pixels are lefts, `at`
 * is a top.
 */
export function barRect(
  at: number,
  value: number,
  base: number,
  geometry: { offset: number; width: number },
  horizontal: boolean,
): [number, number, number, number] {
  const lo = Math.min(value, base);
  const length = Math.abs(base - value);
  return horizontal
    ? [lo, at + geometry.offset, length, geometry.width]
    : [at + geometry.offset, lo, geometry.width, length];
}

/** A dot of a scatter chart: its diameter (CSS px) and colour. */
export function dotStyle(
  el: ChartEl,
  sizes: ArrayLike<number> | null,
  tints: ArrayLike<number> | null,
  i: number,
  seriesColor: string,
): { diameter: number; color: string } {
  const diameter = sizes && el.size ? dotSize(sizes[i] ?? NaN, el.size.min, el.size.max) : (el.point_size ?? DOT_SIZE);
  const color = tints && el.color ? sequentialColor(tints[i] ?? NaN, el.color.min, el.color.max) : seriesColor;
  return { diameter, color };
}

/**
 * Every how many categories a label fits: `count` labels in view, `room`
 * pixels along the axis, each label `label` pixels long (its width across
 * x, its line height down a horizontal bar chart's side).
 */
export function categoryStep(count: number, room: number, label: number): number {
  if (count <= 1) return 1;
  const fit = Math.max(1, Math.floor(room / Math.max(1, label)));
  return Math.max(1, Math.ceil(count / fit));
}

/** The ticks of a category axis between `min` and `max` (every `step`-th category from the first). */
export function categorySplits(count: number, min: number, max: number, step: number): number[] {
  const lo = Math.max(0, Math.ceil(min));
  const hi = Math.min(count - 1, Math.floor(max));
  const out: number[] = [];
  const first = Math.ceil(lo / step) * step;
  for (let v = first; v <= hi; v += step) out.push(v);
  return out;
}

/** Pixels between an axis' line and its tick labels. */
export const AXIS_TICK = 4;
export const AXIS_GAP = 4;
/** Line height of tick labels (12px font). */
export const AXIS_LINE = 15;

/**
 * How far an axis reaches from the plot (uPlot's axis `size`, CSS px, the
 * title not included): ticks, a gap and the longest label for a side axis
 * (`side` 1 or 3), the lines of the tallest label for a bottom or top one.
 * `measure` is a label's width in CSS px.
 */
export function axisExtent(side: number, labels: readonly string[] | null, measure: (s: string) => number): number {
  const texts = labels ?? [];
  if (side === 1 || side === 3) {
    let widest = 0;
    for (const t of texts) widest = Math.max(widest, measure(t));
    return Math.ceil(AXIS_TICK + AXIS_GAP + Math.max(widest, 16) + 4);
  }
  let lines = 1;
  for (const t of texts) lines = Math.max(lines, t.split('\n').length);
  return AXIS_TICK + AXIS_GAP + lines * AXIS_LINE + 2;
}
