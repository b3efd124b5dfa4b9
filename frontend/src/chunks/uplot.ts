// Lazy chunk 'uplot': uPlot, and what elements/chart.tsx needs done with it
// (`createChart`). Loaded the first time a page shows a simple chart
// (chunks/load.ts); app.js holds only the component.
//
// uPlot draws on a canvas and is made for long series; it never sees more
// than the few thousand points the server sends for the range on screen
// (data/m4.rs). The chart's look is planned without uPlot (`chartPlan` and
// the helpers in charts/simple.ts, unit-tested); here it becomes uPlot's
// options, with what uPlot does not do by itself: bars side by side,
// stacked and along y (a path builder), dots sized and coloured by columns
// (drawn in the draw hook), axes as wide as their labels, wheel zoom,
// shift-drag pan, the brush and click selections, and the committed
// selection drawn. uPlot and this file set styles through the CSSOM only,
// which the app's CSP allows; uPlot's stylesheet is not used (the rules
// its DOM needs are in charts/chart.css).

import uPlot from 'uplot';
import type { Points } from '../charts/chartdata';
import type { ChartEl, ChartPoint, ChartSelectionValue } from '../charts/protocol';
import {
  AXIS_GAP,
  AXIS_LINE,
  AXIS_TICK,
  axisExtent,
  barGeometry,
  barRect,
  categoryLabel,
  categorySplits,
  categoryStep,
  chartPlan,
  dotStyle,
  extraIndex,
  formatNumber,
  formatX,
  minGap,
  nearest,
  panRange,
  sameRange,
  wholeRange,
  withAlpha,
  yRange,
  zoomRange,
} from '../charts/simple';
import type { ChartTheme } from '../charts/vega';
import { registerChunk } from './load';

/** What the chart tells its component. */
export interface ChartEvents {
  /** The person changed the x range (zoom, pan, reset): `zoomed` is false for the whole range. */
  range(x0: number, x1: number, zoomed: boolean): void;
  /** An interval selection was brushed. */
  brush(lo: number, hi: number): void;
  /** A click: the nearest point (null: none near), with shift held or not. */
  click(point: ChartPoint | null, additive: boolean): void;
}

/** A drawn chart, as the component drives it. */
export interface ChartHandle {
  /**
   * Draw these points, keeping the x range the person chose. With `el`
   * (rows were appended: the data's x extent grew), the whole range
   * follows the element's axis, and so does the range on screen unless
   * the chart is zoomed.
   */
  setPoints(points: Points, el?: ChartEl): void;
  /** New width in CSS pixels. */
  setWidth(width: number): void;
  /** Show this selection. */
  setSelection(value: ChartSelectionValue | null): void;
  /** Back to the whole range. */
  reset(): void;
  destroy(): void;
}

/** uPlot's data: x, then each series with gaps as null (a break in the line). */
function aligned(points: Points): uPlot.AlignedData {
  const ys = points.ys.map((y) => Array.from(y, (v) => (Number.isNaN(v) ? null : v)));
  return [points.x, ...ys] as unknown as uPlot.AlignedData;
}

/** A label's width in CSS px in `font`. */
function measurer(font: string): (s: string) => number {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return (s) => s.length * 7;
  ctx.font = font;
  const cache = new Map<string, number>();
  return (s) => {
    let w = cache.get(s);
    if (w === undefined) {
      w = ctx.measureText(s).width;
      if (cache.size < 2000) cache.set(s, w);
    }
    return w;
  };
}

/** Times on the axes in UTC, as the tooltip shows them (x is seconds since 1970 UTC). */
const utc = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

function createChart(
  host: HTMLElement,
  el: ChartEl,
  width: number,
  theme: ChartTheme,
  first: Points,
  selection: ChartSelectionValue | null,
  events: ChartEvents,
): ChartHandle {
  const plan = chartPlan(el, theme.palette);
  const { horizontal, stacked } = plan;
  const colors = plan.series.map((s) => s.color);
  const extras = extraIndex(el);
  const interval = plan.drag === 'brush';
  const pointSelect = !!el.selection?.point;
  let points = first;
  let shownSelection = selection;
  const slot = minGap(first.x, el);
  let whole = wholeRange(el, slot);
  let range: [number, number] = [whole[0], whole[1]];

  const fontFamily = theme.font || 'system-ui, sans-serif';
  const font = `12px ${fontFamily}`;
  const measure = measurer(font);
  const axisColor = theme.muted || '#667085';
  const titleColor = theme.fg || '#1d2230';
  const gridColor = theme.border || 'rgba(0, 0, 0, 0.08)';
  const accent = colors[0] ?? '#4477aa';

  // ----- drawing bars and dots -----

  /** Bars of series `k`: side by side (grouped), or on the one below (stacked). */
  const barPaths =
    (k: number): uPlot.Series.PathBuilder =>
    (u, si, i0, i1) => {
      const xs = u.data[0];
      const ys = u.data[si] ?? [];
      const below = stacked && k > 0 ? (u.data[si - 1] ?? null) : null;
      const slotPx = u.valToPos(slot, 'x', true) - u.valToPos(0, 'x', true);
      const geometry = barGeometry(plan.series[k]?.bar ?? 0, plan.series.length, stacked, slotPx);
      const path = new Path2D();
      for (let i = i0; i <= i1; i++) {
        const y = ys[i];
        if (y == null) continue;
        const base = below ? (below[i] ?? 0) : 0;
        const [left, top, w, h] = barRect(
          u.valToPos(xs[i] ?? 0, 'x', true),
          u.valToPos(y, 'y', true),
          u.valToPos(base, 'y', true),
          geometry,
          horizontal,
        );
        path.rect(left, top, w, h);
      }
      return { stroke: path, fill: path };
    };

  const noPaths: uPlot.Series.PathBuilder = () => null;

  /** Dots of every shown series, each sized and coloured by its columns. */
  const drawDots = (u: uPlot) => {
    const ctx = u.ctx;
    const ratio = uPlot.pxRatio;
    const { left, top, width: w, height: h } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, w, h);
    ctx.clip();
    const xs = u.data[0];
    const sizes = extras.size >= 0 ? (points.extras[extras.size] ?? null) : null;
    const tints = extras.color >= 0 ? (points.extras[extras.color] ?? null) : null;
    ctx.lineWidth = ratio;
    for (let s = 0; s < el.series.length; s++) {
      if (!u.series[s + 1]?.show) continue;
      const ys = u.data[s + 1] ?? [];
      for (let i = 0; i < xs.length; i++) {
        const y = ys[i];
        if (y == null) continue;
        const dot = dotStyle(el, sizes, tints, i, colors[s] ?? accent);
        const cx = u.valToPos(xs[i] ?? 0, 'x', true);
        const cy = u.valToPos(y, 'y', true);
        ctx.beginPath();
        ctx.arc(cx, cy, (dot.diameter / 2) * ratio, 0, Math.PI * 2);
        ctx.fillStyle = withAlpha(dot.color, 0.7);
        ctx.fill();
        ctx.strokeStyle = dot.color;
        ctx.stroke();
      }
    }
    ctx.restore();
  };

  /** The committed selection: a shaded band for a range, rings around points. */
  const drawSelection = (u: uPlot) => {
    const value = shownSelection;
    if (!value) return;
    const ctx = u.ctx;
    const ratio = uPlot.pxRatio;
    const { left, top, width: w, height: h } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, w, h);
    ctx.clip();
    if (value.x) {
      const a = u.valToPos(value.x[0], 'x', true);
      const b = u.valToPos(value.x[1], 'x', true);
      ctx.fillStyle = withAlpha(accent, 0.15);
      ctx.strokeStyle = withAlpha(accent, 0.6);
      ctx.lineWidth = ratio;
      const [rx, ry, rw, rh] = horizontal
        ? [left, Math.min(a, b), w, Math.abs(b - a)]
        : [Math.min(a, b), top, Math.abs(b - a), h];
      ctx.fillRect(rx, ry, rw, rh);
      ctx.strokeRect(rx, ry, rw, rh);
    }
    for (const p of value.points ?? []) {
      const cx = u.valToPos(p.x, 'x', true);
      const cy = u.valToPos(p.y, 'y', true);
      // valToPos gives each scale's own direction: for horizontal bars x
      // runs down, so it is the vertical pixel.
      const [x, y] = horizontal ? [cy, cx] : [cx, cy];
      ctx.beginPath();
      ctx.arc(x, y, 7 * ratio, 0, Math.PI * 2);
      ctx.lineWidth = 2 * ratio;
      ctx.strokeStyle = titleColor;
      ctx.stroke();
    }
    ctx.restore();
  };

  // ----- the tooltip: x and each shown series' value at the cursor -----

  const tip = document.createElement('div');
  tip.className = 'bk-chart-tip';
  tip.hidden = true;
  const showTip = (u: uPlot) => {
    const idx = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    const top = u.cursor.top ?? -1;
    if (idx == null || left < 0) {
      tip.hidden = true;
      return;
    }
    const rows: HTMLElement[] = [];
    const head = document.createElement('div');
    head.className = 'bk-chart-tip-x';
    head.textContent = formatX(el, u.data[0][idx] ?? NaN);
    rows.push(head);
    el.series.forEach((s, k) => {
      if (!u.series[k + 1]?.show) return;
      const v = u.data[k + 1]?.[idx];
      if (v == null) return;
      const row = document.createElement('div');
      const swatch = document.createElement('span');
      swatch.className = 'bk-chart-tip-swatch';
      swatch.style.background = colors[k] ?? '';
      const name = document.createElement('span');
      name.textContent = `${s.name} `;
      const value = document.createElement('b');
      value.textContent = formatNumber(v);
      row.append(swatch, name, value);
      rows.push(row);
    });
    tip.replaceChildren(...rows);
    tip.hidden = false;
    // Beside the cursor, flipped to stay inside the plot.
    const w = u.over.clientWidth;
    const h = u.over.clientHeight;
    const x = left + 14 + tip.offsetWidth > w ? left - 14 - tip.offsetWidth : left + 14;
    const y = top + 14 + tip.offsetHeight > h ? Math.max(0, top - 14 - tip.offsetHeight) : top + 14;
    tip.style.transform = `translate(${Math.max(0, x)}px, ${y}px)`;
  };

  // ----- options -----

  const series: uPlot.Series[] = [
    { label: el.x.title || 'x', value: (_u, v) => (v == null ? '' : formatX(el, v)) },
    ...plan.series.map(
      (s, k): uPlot.Series => ({
        label: s.label,
        stroke: s.color,
        width: s.width,
        value: (_u, v) => (v == null ? '' : formatNumber(v)),
        spanGaps: false,
        ...(s.fill !== null ? { fill: s.fill } : {}),
        ...(s.fillTo !== null ? { fillTo: s.fillTo } : {}),
        ...(s.paths === 'bars' ? { paths: barPaths(k) } : s.paths === 'none' ? { paths: noPaths } : {}),
        points:
          el.mark === 'line'
            ? // Markers on the points while they are far apart.
              { show: (u: uPlot) => u.data[0].length < u.bbox.width / (6 * uPlot.pxRatio) }
            : { show: false },
      }),
    ),
  ];
  const bands: uPlot.Band[] = plan.bands.map((b) => ({
    series: [b.upper, b.lower] as uPlot.Band.Bounds,
    fill: b.fill,
  }));

  const categories = plan.categories;
  /** The longest category label (CSS px), measured once. */
  const categoryWidth = categories ? Math.max(8, ...categories.slice(0, 1000).map((c) => measure(c))) : 0;
  const axisSize = (side: number) => (_u: uPlot, values: string[] | null) => axisExtent(side, values, measure);
  const common = {
    font,
    labelFont: font,
    labelSize: 22,
    labelGap: 2,
    stroke: axisColor,
    gap: AXIS_GAP,
    ticks: { stroke: gridColor, width: 1, size: AXIS_TICK },
  };
  const xAxis: uPlot.Axis = {
    ...common,
    scale: 'x',
    side: plan.xAxis.side,
    grid: { stroke: gridColor, width: 1, show: !categories },
    size: axisSize(plan.xAxis.side),
    ...(plan.xAxis.title ? { label: plan.xAxis.title } : {}),
    ...(categories
      ? {
          // A tick per category in view, or every n-th when they do not fit.
          splits: (u: uPlot) => {
            const { min, max } = u.scales.x ?? {};
            const lo = Math.max(0, Math.ceil(min ?? 0));
            const hi = Math.min(categories.length - 1, Math.floor(max ?? 0));
            const room = (horizontal ? u.bbox.height : u.bbox.width) / uPlot.pxRatio;
            const step = categoryStep(hi - lo + 1, room, horizontal ? AXIS_LINE + 4 : categoryWidth + 16);
            return categorySplits(categories.length, min ?? 0, max ?? 0, step);
          },
          values: (_u: uPlot, splits: number[]) => splits.map((v) => categoryLabel(categories, v)),
        }
      : {}),
  };
  const yAxis: uPlot.Axis = {
    ...common,
    scale: 'y',
    side: plan.yAxis.side,
    grid: { stroke: gridColor, width: 1 },
    size: axisSize(plan.yAxis.side),
    ...(plan.yAxis.title ? { label: plan.yAxis.title } : {}),
  };

  const opts: uPlot.Options = {
    width,
    height: el.height,
    // The legend names the series and turns them on and off (the values
    // under the cursor are in the tooltip).
    legend: {
      show: el.legend,
      live: false,
      // Filled swatches: the series' fill (or its band's), else its colour.
      markers: {
        fill: (_u: uPlot, i: number) =>
          plan.series[i - 1]?.fill ?? plan.bands.find((b) => b.upper === i)?.fill ?? colors[i - 1] ?? accent,
      },
    },
    // Room at the far ends so the last tick label is not cut.
    padding: horizontal ? [8, 18, 0, 0] : [12, 18, 0, 0],
    ...(plan.time ? { tzDate: utc } : {}),
    scales: {
      x: {
        time: plan.time,
        auto: false,
        range: () => range,
        // Horizontal bars: the first category at the top.
        ...(horizontal ? { ori: 1, dir: -1 } : {}),
      },
      y: {
        auto: true,
        range: (_u, min, max) => yRange(min, max, plan.fromZero),
        ...(horizontal ? { ori: 0, dir: 1 } : {}),
      },
    },
    axes: [xAxis, yAxis],
    series,
    bands,
    cursor: {
      drag: { x: !horizontal, y: horizontal, setScale: false },
      points: { show: plan.cursorPoints },
      // Double-click is ours (back to the whole range, as Reset).
      bind: { dblclick: () => () => null },
    },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    hooks: {
      setCursor: [showTip],
      draw: [
        (u) => {
          if (el.mark === 'scatter') drawDots(u);
          drawSelection(u);
        },
      ],
      setSelect: [
        (u) => {
          const s = u.select;
          const size = horizontal ? s.height : s.width;
          if (size < 3) return;
          const a = u.posToVal(horizontal ? s.top : s.left, 'x');
          const b = u.posToVal(horizontal ? s.top + s.height : s.left + s.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          if (interval) events.brush(Math.min(a, b), Math.max(a, b));
          else setRange([Math.min(a, b), Math.max(a, b)]);
        },
      ],
    },
  };

  const u = new uPlot(opts, aligned(points), host);
  u.over.appendChild(tip);
  u.over.addEventListener('mouseleave', () => (tip.hidden = true));

  // The legend's entries turn series on and off: buttons for the keyboard too.
  if (el.legend) {
    u.root.querySelectorAll<HTMLElement>('.u-legend .u-series').forEach((row, i) => {
      const label = row.querySelector<HTMLElement>('th');
      if (!label) return;
      label.tabIndex = 0;
      label.setAttribute('role', 'button');
      const pressed = () => label.setAttribute('aria-pressed', String(u.series[i + 1]?.show !== false));
      pressed();
      label.addEventListener('click', () => setTimeout(pressed));
      label.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        label.click();
      });
    });
  }

  /** Show `[lo, hi]` of x and tell the component (unless it is the same). */
  function setRange(next: [number, number]) {
    if (sameRange(next[0], next[1], range[0], range[1])) return;
    range = next;
    u.setScale('x', { min: next[0], max: next[1] });
    const zoomed = !sameRange(next[0], next[1], whole[0], whole[1]);
    events.range(next[0], next[1], zoomed);
  }

  // ----- the person's gestures: wheel, shift-drag, double-click, click -----

  const over = u.over;
  /** The pointer's position along x, in CSS px from the plot's start. */
  const along = (e: MouseEvent) => {
    const box = over.getBoundingClientRect();
    return horizontal ? e.clientY - box.top : e.clientX - box.left;
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const at = u.posToVal(along(e), 'x');
    const factor = e.deltaY < 0 ? 0.8 : 1.25;
    setRange(zoomRange(range[0], range[1], at, factor, whole));
  };
  over.addEventListener('wheel', onWheel, { passive: false });

  let pan: { start: number; range: [number, number] } | null = null;
  let down: { x: number; y: number } | null = null;
  const onDown = (e: MouseEvent) => {
    down = { x: e.clientX, y: e.clientY };
    if (!e.shiftKey || e.button !== 0) return;
    // Shift-drag pans: uPlot must not start its own drag.
    e.stopImmediatePropagation();
    e.preventDefault();
    pan = { start: along(e), range: [range[0], range[1]] };
    window.addEventListener('mousemove', onPanMove);
    window.addEventListener('mouseup', onPanEnd, { once: true });
  };
  const onPanMove = (e: MouseEvent) => {
    if (!pan) return;
    const box = over.getBoundingClientRect();
    const length = horizontal ? box.height : box.width;
    // Horizontal bars: x runs down the plot, as `along` does.
    const moved = along(e) - pan.start;
    const delta = (-moved / Math.max(1, length)) * (pan.range[1] - pan.range[0]);
    setRange(panRange(pan.range[0], pan.range[1], delta, whole));
  };
  const onPanEnd = () => {
    pan = null;
    window.removeEventListener('mousemove', onPanMove);
  };
  const onUp = (e: MouseEvent) => {
    const start = down;
    down = null;
    if (!start || Math.hypot(e.clientX - start.x, e.clientY - start.y) > 3 || e.button !== 0) return;
    if (e.shiftKey && !pointSelect) return;
    if (!pointSelect && !interval) return;
    const box = over.getBoundingClientRect();
    const ratio = uPlot.pxRatio;
    const px = (e.clientX - box.left) * ratio + u.bbox.left;
    const py = (e.clientY - box.top) * ratio + u.bbox.top;
    const shown = el.series.map((_, s) => s).filter((s) => u.series[s + 1]?.show);
    const hit = pointSelect
      ? nearest(
          u.data[0].length,
          shown,
          (s, i) => {
            const y = u.data[s + 1]?.[i];
            if (y == null) return null;
            const a = u.valToPos(u.data[0][i] ?? 0, 'x', true);
            const b = u.valToPos(y, 'y', true);
            return horizontal ? [b, a] : [a, b];
          },
          px,
          py,
          24 * ratio,
        )
      : null;
    const point = hit
      ? { x: u.data[0][hit.index] ?? 0, y: u.data[hit.series + 1]?.[hit.index] ?? 0, series: hit.series }
      : null;
    events.click(point, e.shiftKey);
  };
  over.addEventListener('mousedown', onDown, { capture: true });
  over.addEventListener('mouseup', onUp);
  const onDouble = () => setRange([whole[0], whole[1]]);
  over.addEventListener('dblclick', onDouble);

  return {
    setPoints(next: Points, grown?: ChartEl) {
      points = next;
      if (grown) {
        const wasWhole = sameRange(range[0], range[1], whole[0], whole[1]);
        whole = wholeRange(grown, slot);
        if (wasWhole) range = [whole[0], whole[1]];
      }
      u.setData(aligned(next), false);
      // Keep the x range the person chose; y follows the points in view.
      u.setScale('x', { min: range[0], max: range[1] });
    },
    setWidth(w: number) {
      u.setSize({ width: w, height: el.height });
    },
    setSelection(value: ChartSelectionValue | null) {
      shownSelection = value;
      u.redraw(false, false);
    },
    reset() {
      setRange([whole[0], whole[1]]);
    },
    destroy() {
      onPanEnd();
      over.removeEventListener('wheel', onWheel);
      u.destroy();
    },
  };
}

const exports = { createChart };
/** The chunk's exports, as elements/chart.tsx sees them. */
export type UplotChunk = typeof exports;

registerChunk('uplot', exports);
