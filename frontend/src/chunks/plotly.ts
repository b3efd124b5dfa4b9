// Lazy chunk 'plotly': plotly.js, the "strict" build (no Function
// constructor, so it runs under the app's CSP without 'unsafe-eval'), and
// what elements/plotly.tsx needs done with it (`draw`). Loaded the first
// time a page shows a `plotly_chart` (chunks/load.ts); none of it is in
// app.js (the component imports only this file's types).
//
// chunk-plotly.js is not bundled from an import: build.mjs writes the
// library's published minified file as it is (re-minifying 5 MB of someone
// else's output gains little and risks breaking it), inside a try/catch,
// then this file. So this code runs after plotly.js has set itself up: it
// takes the library from the globals its UMD header sets, removes them
// (nothing else on the page should find them), and registers what draws
// with it, or the error plotly.js threw while starting, so that the chart
// says so instead of waiting for a library that will never arrive.
//
// Its stylesheet is handled before the chunk runs (elements/plotly.tsx,
// `preparePlotlyStyles`), its style attributes here (`routeStyleAttributes`).

import { figureProblem, plotlyConfig, plotlyData, plotlyLayout } from '../charts/plotly';
import type { PlotlyChartEl } from '../charts/protocol';
import { pageTheme } from '../charts/vega';
import { registerChunk } from './load';

/** What is used of plotly.js. */
interface PlotlyLib {
  newPlot(div: HTMLElement, data: unknown[], layout: object, config: object): Promise<HTMLElement>;
  react(div: HTMLElement, data: unknown[], layout: object, config: object): Promise<HTMLElement>;
  purge(div: HTMLElement): void;
  Plots: { resize(div: HTMLElement): Promise<void> };
  PlotSchema: { get(): { traces: Record<string, unknown> } };
}

/** What draws with plotly.js (`ok`), or why it could not start. */
export type PlotlyChunk =
  | {
      ok: true;
      /**
       * Draws `el` into `div`: anew (`newPlot`), or over the plot it holds
       * (`react`: updated in place). Rejects with why the figure cannot be
       * drawn (see `figureProblem`) or what plotly.js threw.
       */
      draw(div: HTMLElement, el: PlotlyChartEl, again: boolean): Promise<void>;
      /** Fits the plot to its div's width again. */
      resize(div: HTMLElement): Promise<void>;
      /** Removes the plot and everything plotly.js holds for it. */
      purge(div: HTMLElement): void;
    }
  | { ok: false; error: string };

const g = globalThis as {
  /** Set by plotly.js itself (`window.Plotly = Plotly`). */
  Plotly?: PlotlyLib;
  /** Set by the dist file's UMD header when there is no `module` (`root.moduleName = factory()`). */
  moduleName?: unknown;
  /** Set by build.mjs's catch around the library when it threw while starting. */
  __brookletPlotlyError?: unknown;
};

function withLib(Plotly: PlotlyLib): PlotlyChunk {
  // plotly.js lists its trace types only in its full schema (~100 ms to
  // build): built once, when the first figure is checked.
  let types: readonly string[] | null = null;
  const traceTypes = () => (types ??= Object.keys(Plotly.PlotSchema.get().traces));
  return {
    ok: true,
    async draw(div, el, again) {
      const problem = figureProblem(el.figure, traceTypes());
      if (problem) throw new Error(problem);
      const layout = plotlyLayout(el, el.theme ? pageTheme() : null);
      if (again) await Plotly.react(div, plotlyData(el), layout, plotlyConfig(el));
      else await Plotly.newPlot(div, plotlyData(el), layout, plotlyConfig(el));
    },
    resize: (div) => Plotly.Plots.resize(div),
    purge: (div) => Plotly.purge(div),
  };
}

function take(): PlotlyChunk {
  const lib = g.Plotly;
  const failed = g.__brookletPlotlyError;
  delete g.Plotly;
  delete g.moduleName;
  delete g.__brookletPlotlyError;
  if (lib && typeof lib.newPlot === 'function') return withLib(lib);
  const why = failed instanceof Error ? failed.message : failed !== undefined ? String(failed) : 'it did not start';
  return { ok: false, error: `plotly.js could not start: ${why}` };
}

/**
 * Lets plotly.js's style attributes through the CSP. In a few places
 * (colour bars; heatmaps and `image` traces drawn as one picture: pixelated
 * rendering, the flip on a reversed axis; the tester element it measures
 * with) plotly.js writes `setAttribute('style', …)`, which `style-src 'self'`
 * refuses (a violation, and the style is lost). The very same declarations
 * set through the CSSOM (`element.style.cssText`) are allowed: the CSP
 * guards against style attributes in injected markup, not against script
 * styling elements. So a style attribute set by script on an element inside
 * a plotly.js plot (or its tester) goes through the CSSOM; every other call
 * is left as it was.
 */
function routeStyleAttributes(): void {
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string): void {
    if (
      name === 'style' &&
      (this instanceof HTMLElement || this instanceof SVGElement) &&
      this.closest('.js-plotly-plot, #js-plotly-tester')
    ) {
      this.style.cssText = String(value);
      return;
    }
    setAttribute.call(this, name, value);
  };
}

const chunk = take();
if (chunk.ok) routeStyleAttributes();
registerChunk('plotly', chunk);
