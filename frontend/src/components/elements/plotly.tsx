// A plotly.js figure (`plotly_chart`), drawn by the lazy 'plotly' chunk
// (chunks/plotly.ts: the strict build of plotly.js, which needs no
// 'unsafe-eval'), loaded the first time a page shows one.
//
// DOM: div.bk-plotly[data-state=loading|ready|error][role=figure][aria-label]
// > div.bk-plotly-plot (plotly.js draws in it; Preact never renders into it)
// + div.bk-chart-loading (the chart's height, until the first draw) or
// div.bk-chart-error[role=alert].
//
// The first draw is `Plotly.newPlot`; a changed element (by value: figure,
// height, width, theme) is drawn again with `Plotly.react`, which updates
// the plot in place (nothing flickers); an equal one (any rerun that did not
// change the chart) does nothing. What is handed to plotly.js is the chunk's
// `draw` (and charts/plotly.ts); this component holds the chart's life.

import { useEffect, useRef, useState } from 'preact/hooks';
import { plotHeight, plotKey, plotLabel } from '../../charts/plotly';
import { errorText, sameJson } from '../../charts/vega';
import { loadChunk } from '../../chunks/load';
import type { PlotlyChunk } from '../../chunks/plotly';
import type { PlotlyChartEl } from '../../protocol';
import type { LeafProps } from '../props';

type Phase = { state: 'loading' } | { state: 'ready' } | { state: 'error'; message: string };
type Lib = Extract<PlotlyChunk, { ok: true }>;

const PLOTLY_STYLE_ID = 'plotly.js-style-global';
/**
 * The id of the <style> plotly.js's copy of MapLibre adds as it starts,
 * unless an element with this id is there (a hash of that CSS: it changes
 * with plotly.js's MapLibre; the browser tests' CSP check tells). Map
 * traces cannot draw under the app's CSP anyway (their tiles and workers
 * come from elsewhere: see `figureProblem`), so their CSS is not wanted.
 */
const MAPLIBRE_STYLE_ID = '9f215cf04c5486422605d13261cb87401f4e7763b6296af81e98efbc0130da53';

/**
 * Gives plotly.js a stylesheet it can write to under the app's CSP. As it
 * starts, plotly.js adds its own rules (modebar, cursors, the layering of
 * its SVGs: without them a plot falls apart) one by one with `insertRule`
 * into a <style id="plotly.js-style-global"> it creates; `style-src 'self'`
 * refuses that element (a violation per chart page) and leaves it without a
 * sheet, so every rule is lost. plotly.js looks the element up by id first,
 * and only uses its `sheet`: so an element with that id is put in place
 * beforehand, whose `sheet` is a constructed stylesheet adopted by the
 * document. Rules added through the CSSOM are allowed by the CSP, and the
 * rules stay plotly.js's own, whatever its version. Without constructable
 * stylesheets (older browsers), the element carries plotly.js's own opt-out
 * class `no-inline-styles`: it then adds nothing (and reports no violation);
 * plots still draw, with a plainer modebar. Must run before the chunk.
 */
function preparePlotlyStyles(): void {
  if (document.getElementById(PLOTLY_STYLE_ID)) return;
  const maplibre = document.createElement('meta');
  maplibre.id = MAPLIBRE_STYLE_ID;
  document.head.appendChild(maplibre);
  const marker = document.createElement('meta');
  marker.id = PLOTLY_STYLE_ID;
  try {
    const sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    Object.defineProperty(marker, 'sheet', { value: sheet });
  } catch {
    marker.className = 'no-inline-styles';
  }
  document.head.appendChild(marker);
}


export function PlotlyView({ el }: LeafProps<PlotlyChartEl>) {
  const root = useRef<HTMLDivElement>(null);
  const plot = useRef<HTMLDivElement>(null);
  const elRef = useRef(el);
  elRef.current = el;

  // Draw again only when what is drawn changed by value.
  const keyRef = useRef<{ key: Record<string, unknown>; version: number } | null>(null);
  const key = plotKey(el);
  if (!keyRef.current) keyRef.current = { key, version: 0 };
  else if (keyRef.current.key !== key && !sameJson(keyRef.current.key, key)) {
    keyRef.current = { key, version: keyRef.current.version + 1 };
  }
  const version = keyRef.current.version;

  const [phase, setPhase] = useState<Phase>({ state: 'loading' });
  const lib = useRef<Lib | null>(null);
  /** Whether the div holds a plot (then `react` updates it). */
  const plotted = useRef(false);

  useEffect(() => {
    let live = true;
    setPhase({ state: 'loading' });
    (async () => {
      preparePlotlyStyles();
      const chunk = await loadChunk<PlotlyChunk>('plotly');
      if (!chunk.ok) throw new Error(chunk.error);
      lib.current = chunk;
      const div = plot.current;
      if (!live || !div) return;
      const again = plotted.current;
      plotted.current = true;
      await chunk.draw(div, elRef.current, again);
      if (live) setPhase({ state: 'ready' });
    })().catch((err: unknown) => {
      if (!live) return;
      // No half-drawn plot under the message.
      if (lib.current && plot.current) lib.current.purge(plot.current);
      plotted.current = false;
      setPhase({ state: 'error', message: errorText(err) });
    });
    return () => {
      live = false;
    };
  }, [version]);

  // On unmount: plotly.js's listeners, its resize handler, WebGL contexts.
  useEffect(() => {
    const div = plot.current;
    return () => {
      if (lib.current && div && plotted.current) lib.current.purge(div);
    };
  }, []);

  // Filling the column: `responsive` follows the window's size; this also
  // follows the column's (a sidebar opening, columns rearranged), which
  // changes with no window resize.
  const fill = el.use_container_width;
  useEffect(() => {
    const box = root.current;
    if (!fill || !box || typeof ResizeObserver === 'undefined') return;
    let width = box.clientWidth;
    const observer = new ResizeObserver(() => {
      if (box.clientWidth === width || box.clientWidth === 0) return;
      width = box.clientWidth;
      if (lib.current && plot.current && plotted.current) lib.current.resize(plot.current).catch(() => {});
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [fill]);

  const drawn = plotted.current && phase.state !== 'error';
  return (
    <div
      ref={root}
      class={fill ? 'bk-plotly bk-plotly-fill' : 'bk-plotly'}
      data-state={phase.state}
      role="figure"
      aria-label={plotLabel(el)}
      aria-busy={phase.state === 'loading' ? 'true' : undefined}
    >
      <div class="bk-plotly-plot" ref={plot} />
      {phase.state === 'loading' && !drawn && (
        <div class="bk-chart-loading" style={{ height: `${plotHeight(el)}px` }}>
          Loading chart…
        </div>
      )}
      {phase.state === 'error' && (
        <div class="bk-chart-error" role="alert">
          This chart could not be drawn: {phase.message}
          {el.location && <span class="bk-chart-error-at"> (drawn at {el.location})</span>}
        </div>
      )}
    </div>
  );
}
