// Lazy chunk 'uplot': uPlot, and what elements/chart.tsx needs done with it
// (`createChart`). Loaded the first time a page shows a simple chart
// (chunks/load.ts); app.js holds only the component.
//
// uPlot draws on a canvas and is made for long series; it never sees more
// than the few thousand points the server sends for the range on screen
// (data/m4.rs). What it does not do by itself is here: bars side by side,
// stacked and along y (a path builder), dots sized and coloured by columns
// (drawn in the draw hook), wheel zoom, shift-drag pan, the brush and click
// selections, and drawing the committed selection. It sets styles through
// the CSSOM only, which the app's CSP allows.

import uPlot from 'uplot';
import type { Points } from '../charts/chartdata';
import type { ChartEl, ChartPoint, ChartSelectionValue } from '../charts/protocol';
import {
  categoryLabel,
  DOT_SIZE,
  dotSize,
  extraIndex,
  formatNumber,
  formatX,
  minGap,
  nearest,
  panRange,
  sameRange,
  sequentialColor,
  seriesColors,
  wholeRange,
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
  /** Draw these points (keeping the x range the person chose). */
  setPoints(points: Points): void;
  /** New width in CSS pixels. */
  setWidth(width: number): void;
  /** Show this selection. */
  setSelection(value: ChartSelectionValue | null): void;
  /** Back to the whole range. */
  reset(): void;
  destroy(): void;
}

const ALPHA_AREA = 0.35;

/** `color` with `alpha`, for fills (hex colours; others as they are). */
function withAlpha(color: string, alpha: number): string {
  const rgb = /^rgb\((.*)\)$/.exec(color.trim());
  if (rgb) return `rgba(${rgb[1]}, ${alpha})`;
  const m = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return color;
  const n = parseInt(m[1] ?? '0', 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** uPlot's data: x, then each series with gaps as null. */
function aligned(points: Points): uPlot.AlignedData {
  const ys = points.ys.map((y) => Array.from(y, (v) => (Number.isNaN(v) ? null : v)));
  return [points.x, ...ys] as unknown as uPlot.AlignedData;
}

function createChart(
  host: HTMLElement,
  el: ChartEl,
  width: number,
  theme: ChartTheme,
  first: Points,
  selection: ChartSelectionValue | null,
  events: ChartEvents,
): ChartHandle {
  const colors = seriesColors(el, theme.palette);
  const horizontal = el.mark === 'bar' && el.horizontal;
  const stacked = el.stack !== 'none';
  const fromZero = el.mark === 'bar' || el.mark === 'area';
  const extras = extraIndex(el);
  const interval = !!el.selection?.interval;
  const pointSelect = !!el.selection?.point;
  let points = first;
  let shownSelection = selection;
  const slot = minGap(first.x, el);
  const whole = wholeRange(el, slot);
  let range: [number, number] = [whole[0], whole[1]];

  const font = `12px ${theme.font || 'system-ui, sans-serif'}`;
  const axisColor = theme.muted || '#6b7280';
  const gridColor = theme.border || 'rgba(0,0,0,0.08)';

  // ----- drawing bars and dots -----

  /** Bars of series `k`: side by side (grouped), or on the one below (stacked). */
  const barPaths =
    (k: number): uPlot.Series.PathBuilder =>
    (u, si, i0, i1) => {
      const xs = u.data[0];
      const ys = u.data[si] ?? [];
      const below = stacked && k > 0 ? (u.data[si - 1] ?? null) : null;
      const n = el.series.length;
      const one = Math.abs(u.valToPos(slot, 'x', true) - u.valToPos(0, 'x', true));
      const group = Math.max(1, one * 0.8);
      const w = stacked || n === 1 ? group : group / n;
      const offset = stacked || n === 1 ? -w / 2 : -group / 2 + k * w;
      const path = new Path2D();
      for (let i = i0; i <= i1; i++) {
        const y = ys[i];
        if (y == null) continue;
        const base = below ? (below[i] ?? 0) : 0;
        const at = u.valToPos(xs[i] ?? 0, 'x', true) + offset;
        const top = u.valToPos(y, 'y', true);
        const bottom = u.valToPos(base, 'y', true);
        if (horizontal) path.rect(Math.min(top, bottom), at, Math.abs(bottom - top), w);
        else path.rect(at, Math.min(top, bottom), w, Math.abs(bottom - top));
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
    const sizes = extras.size >= 0 ? points.extras[extras.size] : null;
    const tints = extras.color >= 0 ? points.extras[extras.color] : null;
    for (let s = 0; s < el.series.length; s++) {
      if (!u.series[s + 1]?.show) continue;
      const ys = u.data[s + 1] ?? [];
      for (let i = 0; i < xs.length; i++) {
        const y = ys[i];
        if (y == null) continue;
        const d =
          sizes && el.size ? dotSize(sizes[i] ?? NaN, el.size.min, el.size.max) : (el.point_size ?? DOT_SIZE);
        const color =
          tints && el.color ? sequentialColor(tints[i] ?? NaN, el.color.min, el.color.max) : (colors[s] ?? '#4477aa');
        const cx = u.valToPos(xs[i] ?? 0, 'x', true);
        const cy = u.valToPos(y, 'y', true);
        ctx.beginPath();
        ctx.arc(cx, cy, (d / 2) * ratio, 0, Math.PI * 2);
        ctx.fillStyle = withAlpha(color, 0.7);
        ctx.fill();
        ctx.lineWidth = ratio;
        ctx.strokeStyle = color;
        ctx.stroke();
      }
    }
    ctx.restore();
  };

  /** The committed selection: a shaded band for a range, rings for points. */
  const drawSelection = (u: uPlot) => {
    const value = shownSelection;
    if (!value) return;
    const ctx = u.ctx;
    const ratio = uPlot.pxRatio;
    const { left, top, width: w, height: h } = u.bbox;
    ctx.save();
    if (value.x) {
      const a = u.valToPos(value.x[0], 'x', true);
      const b = u.valToPos(value.x[1], 'x', true);
      ctx.fillStyle = withAlpha(colors[0] ?? '#4477aa', 0.15);
      ctx.strokeStyle = withAlpha(colors[0] ?? '#4477aa', 0.6);
      ctx.lineWidth = ratio;
      if (horizontal) {
        ctx.fillRect(left, Math.min(a, b), w, Math.abs(b - a));
        ctx.strokeRect(left, Math.min(a, b), w, Math.abs(b - a));
      } else {
        ctx.fillRect(Math.min(a, b), top, Math.abs(b - a), h);
        ctx.strokeRect(Math.min(a, b), top, Math.abs(b - a), h);
      }
    }
    for (const p of value.points ?? []) {
      const cx = u.valToPos(p.x, 'x', true);
      const cy = u.valToPos(p.y, 'y', true);
      const [x, y] = horizontal ? [cy, cx] : [cx, cy];
      ctx.beginPath();
      ctx.arc(x, y, 7 * ratio, 0, Math.PI * 2);
      ctx.lineWidth = 2 * ratio;
      ctx.strokeStyle = theme.fg || '#111';
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
    ...el.series.map((s, k): uPlot.Series => {
      const color = colors[k] ?? '#4477aa';
      const base: uPlot.Series = {
        label: s.name,
        stroke: color,
        width: el.mark === 'line' ? 1.5 : 1,
        value: (_u, v) => (v == null ? '' : formatNumber(v)),
        spanGaps: false,
      };
      switch (el.mark) {
        case 'area':
          return {
            ...base,
            fill: withAlpha(color, stacked ? ALPHA_AREA + 0.15 : ALPHA_AREA),
            // Stacked: the band between this series and the one below
            // (bands, below); the first fills to zero.
            ...(stacked && k > 0 ? { fill: undefined } : { fillTo: 0 }),
            points: { show: false },
          };
        case 'bar':
          return { ...base, fill: color, paths: barPaths(k), points: { show: false } };
        case 'scatter':
          return { ...base, paths: noPaths, points: { show: false } };
        default:
          return { ...base, points: { show: (u: uPlot) => u.data[0].length < u.bbox.width / (6 * uPlot.pxRatio) } };
      }
    }),
  ];
  const bands: uPlot.Band[] =
    el.mark === 'area' && stacked
      ? el.series.slice(1).map((_, k) => ({
          series: [k + 2, k + 1] as uPlot.Band.Bounds,
          fill: withAlpha(colors[k + 1] ?? '#4477aa', ALPHA_AREA + 0.15),
        }))
      : [];

  const categories = el.x.scale === 'category';
  const xAxis: uPlot.Axis = {
    scale: 'x',
    side: horizontal ? 3 : 2,
    label: el.x.title || undefined,
    labelFont: font,
    font,
    stroke: axisColor,
    grid: { stroke: gridColor, width: 1, show: !categories },
    ticks: { stroke: gridColor, width: 1 },
    ...(categories
      ? {
          // A tick per category in view (as many as fit).
          splits: (u: uPlot) => {
            const { min, max } = u.scales.x ?? {};
            const lo = Math.max(0, Math.ceil(min ?? 0));
            const hi = Math.min((el.x.categories?.length ?? 1) - 1, Math.floor(max ?? 0));
            const room = (horizontal ? u.bbox.height : u.bbox.width) / uPlot.pxRatio;
            const step = Math.max(1, Math.ceil((hi - lo + 1) / Math.max(1, room / 40)));
            const out: number[] = [];
            for (let v = lo; v <= hi; v += step) out.push(v);
            return out;
          },
          values: (_u: uPlot, splits: number[]) => splits.map((v) => categoryLabel(el.x.categories, v)),
        }
      : {}),
  };
  const yAxis: uPlot.Axis = {
    scale: 'y',
    side: horizontal ? 2 : 3,
    label: el.y.title || undefined,
    labelFont: font,
    font,
    stroke: axisColor,
    grid: { stroke: gridColor, width: 1 },
    ticks: { stroke: gridColor, width: 1 },
    size: horizontal ? undefined : 56,
  };

  const opts: uPlot.Options = {
    width,
    height: el.height,
    // The legend names the series and turns them on and off (the values
    // under the cursor are in the tooltip); for one series it only takes
    // room.
    legend: { show: el.legend, live: false },
    padding: [12, 12, 0, 0],
    scales: {
      x: {
        time: el.x.scale === 'time',
        auto: false,
        range: () => range,
        ...(horizontal ? { ori: 1, dir: 1 } : {}),
      },
      y: {
        auto: true,
        range: (_u, min, max) => yRange(min, max, fromZero),
        ...(horizontal ? { ori: 0, dir: 1 } : {}),
      },
    },
    axes: [xAxis, yAxis],
    series,
    bands,
    cursor: {
      drag: { x: !horizontal, y: horizontal, setScale: false },
      points: { show: el.mark === 'line' || el.mark === 'area' },
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
    e.stopPropagation();
    e.preventDefault();
    pan = { start: along(e), range: [range[0], range[1]] };
    window.addEventListener('mousemove', onPanMove);
    window.addEventListener('mouseup', onPanEnd, { once: true });
  };
  const onPanMove = (e: MouseEvent) => {
    if (!pan) return;
    const box = over.getBoundingClientRect();
    const length = horizontal ? box.height : box.width;
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
    setPoints(next: Points) {
      points = next;
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
      window.removeEventListener('mousemove', onPanMove);
      over.removeEventListener('wheel', onWheel);
      u.destroy();
    },
  };
}

const exports = { createChart };
/** The chunk's exports, as elements/chart.tsx sees them. */
export type UplotChunk = typeof exports;

registerChunk('uplot', exports);
