// A simple chart (line, area, bar, scatter), drawn by uPlot from the lazy
// 'uplot' chunk (chunks/uplot.ts).
//
// DOM: div.bk-chart[data-state=loading|ready|empty|error][role=figure]
// [aria-label] with hooks for tests and benchmarks: data-rows (rows of the
// chart drawn), data-points (points on screen), data-aggregated ("1" when
// they are per-pixel summaries), data-x0 / data-x1 (the range they cover).
// Inside: the plot (Preact never renders into it), a Reset button while
// zoomed, and a placeholder, "No data" or the error.
//
// The points stay on the server (data/m4.rs). This component asks for the
// whole range at the plot's width in device pixels (kept, so that Reset
// costs nothing), for the range on screen 50 ms after a zoom or pan ends
// (the latest request wins; older ones are aborted), and, when a rerun
// brings the same chart with more rows (add_rows), for only the rows after
// the ones it has.

import { useEffect, useRef, useState } from 'preact/hooks';
import { decodePoints, type Points } from '../../charts/chartdata';
import type { ChartSelectionValue } from '../../charts/protocol';
import {
  afterUrl,
  brushValue,
  chartLabel,
  clickValue,
  devicePx,
  isAggregated,
  mergeAppended,
  pointCount,
  rangeUrl,
  sameSelection,
  wholeUrl,
} from '../../charts/simple';
import { readTheme } from '../../charts/vega';
import { loadChunk } from '../../chunks/load';
import type { ChartHandle, UplotChunk } from '../../chunks/uplot';
import type { ChartEl } from '../../protocol';
import type { LeafProps } from '../props';
import { useLocal } from '../widgets/common';

type Phase = { state: 'loading' } | { state: 'ready' } | { state: 'empty' } | { state: 'error'; message: string };

/** `useLocal`'s element when the chart has no selection (it needs one). */
const NO_SELECTION_WIDGET = { id: '' };
const NO_VALUE: ChartSelectionValue = {};
/** A zoom or pan is asked of the server once it has rested this long. */
const RANGE_DEBOUNCE_MS = 50;


/** The points at `url`; the server's reason on failure. */
async function fetchPoints(url: string, signal: AbortSignal): Promise<Points> {
  const res = await fetch(url, { signal, credentials: 'same-origin' });
  if (!res.ok) {
    const reason = (await res.text()).trim();
    throw new Error(res.status === 404 ? 'the chart is no longer on this page' : reason || `HTTP ${res.status}`);
  }
  return decodePoints(await res.arrayBuffer());
}

const aborted = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';

/** What is drawn (for the data- hooks). */
interface Shown {
  rows: number;
  points: number;
  aggregated: boolean;
  x0: number;
  x1: number;
}

/** What is drawn, by value: a new chart when it changes (its points are fetched again only if `chart` changed). */
function drawKey(el: ChartEl): string {
  return JSON.stringify([
    el.chart,
    el.mark,
    el.height,
    el.width,
    el.horizontal,
    el.legend,
    el.point_size,
    el.x.title,
    el.y.title,
    el.series,
    el.stack,
    !!el.selection?.point,
    !!el.selection?.interval,
    // From no rows to some (add_rows to an empty chart): a first draw.
    el.rows === 0,
  ]);
}

export function ChartView({ el }: LeafProps<ChartEl>) {
  const figure = useRef<HTMLDivElement>(null);
  const plot = useRef<HTMLDivElement>(null);
  const elRef = useRef(el);
  elRef.current = el;
  const [phase, setPhase] = useState<Phase>({ state: 'loading' });
  const [shown, setShown] = useState<Shown | null>(null);
  const [zoomed, setZoomed] = useState(false);

  const selection = el.selection ?? null;
  const local = useLocal<ChartSelectionValue>(selection ?? NO_SELECTION_WIDGET, selection?.value ?? NO_VALUE);
  const localRef = useRef(local);
  localRef.current = local;

  /** The chart's life across reruns. */
  const st = useRef({
    handle: null as ChartHandle | null,
    /** The whole range's points (at `px`), for Reset and appends. */
    whole: null as Points | null,
    chart: '',
    rows: 0,
    px: 0,
    width: 0,
    /** The range on screen when zoomed (null: whole). */
    range: null as [number, number] | null,
    /** The points on screen. */
    drawn: null as Points | null,
    /** The request for the range on screen (whole, zoomed, resized): the latest wins. */
    abort: null as AbortController | null,
    /** The requests for appended rows (their own: a zoom does not cancel them). */
    appendAbort: null as AbortController | null,
    /** The append on its way (the next one waits for it). */
    appending: Promise.resolve() as Promise<void>,
    timer: undefined as ReturnType<typeof setTimeout> | undefined,
  }).current;

  const show = (p: Points, rows: number) => {
    st.drawn = p;
    setShown({
      rows,
      points: pointCount(p),
      aggregated: isAggregated(p),
      x0: p.x0,
      x1: p.x1,
    });
  };

  /** Fetch `url` as the only request in flight (an older one is aborted). */
  const latest = (url: string): Promise<Points> => {
    st.abort?.abort();
    const abort = new AbortController();
    st.abort = abort;
    return fetchPoints(url, abort.signal);
  };

  const fail = (err: unknown) => {
    if (aborted(err)) return;
    st.handle?.destroy();
    st.handle = null;
    setPhase({ state: 'error', message: err instanceof Error ? err.message : String(err) });
  };

  const key = drawKey(el);
  // Draw the chart: on mount and whenever what it draws changes.
  useEffect(() => {
    let live = true;
    const host = plot.current;
    const box = figure.current;
    if (!host || !box) return;
    const el = elRef.current;
    const width = Math.max(80, el.width ?? box.clientWidth);
    const px = devicePx(width, window.devicePixelRatio);
    const sameData = st.chart === el.chart && st.whole !== null && st.px === px;
    // Appends to what was drawn before end here.
    st.appendAbort?.abort();
    st.appendAbort = null;
    st.handle?.destroy();
    st.handle = null;
    st.range = null;
    clearTimeout(st.timer);
    setZoomed(false);
    if (el.rows === 0) {
      setPhase({ state: 'empty' });
      setShown({ rows: 0, points: 0, aggregated: false, x0: 0, x1: 0 });
      return;
    }
    if (!sameData) setPhase({ state: 'loading' });
    (async () => {
      const lib = await loadChunk<UplotChunk>('uplot');
      let whole = sameData ? st.whole : null;
      let rows = sameData ? st.rows : 0;
      if (!whole) {
        whole = await latest(wholeUrl(el.data, px));
        // The rows the answer covers: more than `el.rows` when add_rows
        // appended while it was on its way (asking for those again would
        // draw them twice).
        rows = whole.rows;
      }
      if (!live) return;
      st.whole = whole;
      st.chart = el.chart;
      st.rows = rows;
      st.px = px;
      st.width = width;
      host.replaceChildren();
      // The theme as it applies here (the page's CSS variables, or a section's own).
      const style = getComputedStyle(box);
      const theme = readTheme((name) => style.getPropertyValue(name));
      st.handle = lib.createChart(host, el, width, theme, whole, localRef.current.value, {
        range: (x0, x1, isZoomed) => onRange(x0, x1, isZoomed),
        brush: (lo, hi) => commit(brushValue(lo, hi)),
        click: (point, additive) => {
          const l = localRef.current;
          if (!elRef.current.selection) return;
          if (!point && !elRef.current.selection.point && !additive) return commit({});
          commit(clickValue(l.value, point, additive));
        },
      });
      show(whole, rows);
      setPhase({ state: 'ready' });
    })().catch(fail);
    return () => {
      live = false;
    };
  }, [key]);

  // Rows appended by add_rows (same chart, more rows): fetch only those and
  // append them to the whole range; the whole range again when the server
  // sends it instead (many rows, or rows out of x order) or when the
  // appended points grow past what drawing needs.
  useEffect(() => {
    if (phase.state !== 'ready' || el.chart !== st.chart || el.rows <= st.rows || !st.whole) return;
    const chart = el.chart;
    const data = el.data;
    // One append at a time: one that comes while another is on its way
    // waits for it, then asks only for the rows after those it brought.
    // (Aborting the first instead would fetch its rows a second time.)
    if (!st.appendAbort) st.appendAbort = new AbortController();
    const abort = st.appendAbort;
    const task = st.appending.then(async () => {
      if (abort.signal.aborted || st.chart !== chart || !st.whole) return;
      const known = st.rows;
      if (elRef.current.rows <= known) return;
      const px = st.px;
      const more = await fetchPoints(afterUrl(data, known, px), abort.signal);
      if (!st.whole) return;
      let { points: next, refetch } = mergeAppended(st.whole, more, px);
      if (refetch) next = await fetchPoints(wholeUrl(data, px), abort.signal);
      if (abort.signal.aborted) return;
      st.whole = next;
      // As the answers count them (rows may have come meanwhile).
      const rows = next.rows;
      st.rows = rows;
      // The data's x extent grew: the whole range follows (and the range
      // on screen, unless zoomed, where the points drawn stay).
      if (!st.range) {
        st.handle?.setPoints(next, elRef.current);
        show(next, rows);
      } else if (st.drawn) {
        st.handle?.setPoints(st.drawn, elRef.current);
        show(st.drawn, rows);
      }
    });
    st.appending = task.catch(() => {});
    task.catch(fail);
  }, [el.rows, el.chart, phase.state]);

  // The committed selection, drawn.
  const value = local.value;
  useEffect(() => {
    st.handle?.setSelection(selection ? value : null);
  }, [value, phase.state]);

  // The container's width: a new size, and new points when the pixels change much.
  useEffect(() => {
    const box = figure.current;
    if (!box || el.width != null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      const width = Math.max(80, box.clientWidth);
      if (!st.handle || Math.abs(width - st.width) < 1) return;
      st.width = width;
      st.handle.setWidth(width);
      const px = devicePx(width, window.devicePixelRatio);
      if (Math.abs(px - st.px) / Math.max(1, st.px) > 0.1) {
        st.px = px;
        const url = st.range ? rangeUrl(elRef.current.data, st.range[0], st.range[1], px) : wholeUrl(elRef.current.data, px);
        latest(url)
          .then((p) => {
            if (!st.range) st.whole = p;
            st.handle?.setPoints(p);
            show(p, st.rows);
          })
          .catch(fail);
      }
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [el.width]);

  // Unmount: no timer, no request, no chart.
  useEffect(
    () => () => {
      clearTimeout(st.timer);
      st.abort?.abort();
      st.appendAbort?.abort();
      st.handle?.destroy();
      st.handle = null;
    },
    [],
  );

  function onRange(x0: number, x1: number, isZoomed: boolean) {
    clearTimeout(st.timer);
    setZoomed(isZoomed);
    if (!isZoomed) {
      st.range = null;
      st.abort?.abort();
      if (st.whole) {
        st.handle?.setPoints(st.whole);
        show(st.whole, st.rows);
      }
      return;
    }
    st.range = [x0, x1];
    st.timer = setTimeout(() => {
      latest(rangeUrl(elRef.current.data, x0, x1, st.px))
        .then((p) => {
          if (!st.range || st.range[0] !== x0 || st.range[1] !== x1) return;
          st.handle?.setPoints(p);
          show(p, st.rows);
        })
        .catch(fail);
    }, RANGE_DEBOUNCE_MS);
  }

  function commit(next: ChartSelectionValue) {
    const l = localRef.current;
    l.commit(next, next, sameSelection(next, l.value));
  }

  const error = phase.state === 'error' ? phase.message : null;
  return (
    <div
      class="bk-chart"
      ref={figure}
      role="figure"
      aria-label={chartLabel(el)}
      aria-busy={phase.state === 'loading' ? 'true' : undefined}
      data-state={phase.state}
      data-rows={shown?.rows}
      data-points={shown?.points}
      data-aggregated={shown ? (shown.aggregated ? '1' : '0') : undefined}
      data-x0={shown?.x0}
      data-x1={shown?.x1}
      style={el.width != null ? { maxWidth: `${el.width}px` } : undefined}
    >
      <div class="bk-chart-plot" ref={plot} />
      {zoomed && phase.state === 'ready' && (
        <button type="button" class="bk-chart-reset" onClick={() => st.handle?.reset()}>
          Reset
        </button>
      )}
      {phase.state === 'loading' && (
        <div class="bk-chart-loading" style={{ height: `${el.height}px` }}>
          Loading chart…
        </div>
      )}
      {phase.state === 'empty' && (
        <div class="bk-chart-empty" style={{ height: `${el.height}px` }}>
          No data
        </div>
      )}
      {error !== null && (
        <div class="bk-chart-error" role="alert">
          This chart could not be drawn: {error}
        </div>
      )}
    </div>
  );
}
