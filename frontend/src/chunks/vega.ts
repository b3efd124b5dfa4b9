// Lazy chunk 'vega': vega-embed with Vega and Vega-Lite, Vega's expression
// interpreter, and what elements/vega.tsx needs done with them (`draw`).
// Loaded the first time a page shows a `vega_lite_chart` (chunks/load.ts);
// none of it is in app.js (the component imports only this file's types).
//
// Under the app's CSP:
// - script-src 'self' (no 'unsafe-eval'): Vega compiles every expression of
//   a spec (signals, filters, encodings) into JavaScript with the Function
//   constructor, unless it is given `ast: true` and an interpreter, which
//   evaluates the parsed expressions instead.
// - style-src 'self': vega-embed and vega-tooltip each add a <style>
//   element unless told not to (`defaultStyle: false`, the tooltip's
//   `disableDefaultStyle`); their rules are in charts/vega.css.
// - connect-src 'self': the data comes from the app's own URL.

import type { LoggerInterface, View } from 'vega';
import embed, { vega, type EmbedOptions, type Result, type VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { errorText, fitSpec, pageTheme, vegaThemeConfig } from '../charts/vega';
import type { VegaLiteChartEl } from '../charts/protocol';
import { registerChunk } from './load';

/**
 * Vega's loader, with a readable message for a data URL that answers an
 * error (Vega's own says "404Not Found"). Vega asks for text and parses it
 * itself (the spec's `format`).
 */
function makeLoader() {
  const loader = vega.loader();
  loader.http = async (url: string, options: Partial<RequestInit>) => {
    const res = await fetch(url, options);
    if (!res.ok) throw new Error(`HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
    return res.text();
  };
  return loader;
}

/**
 * Vega's logger, reporting what breaks the chart to `fail` (instead of only
 * the console): errors (a transform or an expression threw while the view
 * ran) and the two warnings Vega gives for data it could not load or parse
 * (the chart would otherwise be drawn empty, with no word why). Other
 * warnings go to the console, as Vega's own logger does.
 */
function makeLogger(fail: (message: string) => void): LoggerInterface {
  const base = vega.logger(vega.Warn);
  const logger = {
    level(level?: number) {
      if (level === undefined) return base.level();
      base.level(level);
      return logger;
    },
    error(...args: readonly unknown[]) {
      fail(args.map(errorText).join(' '));
      return logger;
    },
    warn(...args: readonly unknown[]) {
      const [what, url, err] = args;
      if (what === 'Loading failed') fail(`could not load the chart's data (${String(url)}): ${errorText(err)}`);
      else if (what === 'Data ingestion failed') fail(`could not read the chart's data (${String(url)}): ${errorText(err)}`);
      else base.warn(...args);
      return logger;
    },
    info(...args: readonly unknown[]) {
      base.info(...args);
      return logger;
    },
    debug(...args: readonly unknown[]) {
      base.debug(...args);
      return logger;
    },
  };
  return logger as unknown as LoggerInterface;
}

function embedOptions(el: VegaLiteChartEl, fail: (message: string) => void): EmbedOptions {
  return {
    mode: 'vega-lite',
    renderer: 'svg',
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    // vega-embed draws its "…" menu only with its default style, unless forced.
    forceActionsMenu: true,
    // Saving a picture only: the source, compiled spec and "Open in Vega
    // Editor" (which posts the spec and its data to vega.github.io) stay out.
    actions: { export: { svg: true, png: true }, source: false, compiled: false, editor: false },
    downloadFileName: 'chart',
    i18n: { CLICK_TO_VIEW_ACTIONS: 'Chart actions', PNG_ACTION: 'Save as PNG', SVG_ACTION: 'Save as SVG' },
    tooltip: { disableDefaultStyle: true },
    config: el.theme ? vegaThemeConfig(pageTheme()) : undefined,
    loader: makeLoader(),
    logger: makeLogger(fail),
  } as EmbedOptions;
}

/**
 * Finishes vega-embed's actions menu: a name for its button, and export
 * links that also work from the keyboard (vega-embed renders the picture on
 * mousedown only, so Enter on a focused link would download nothing).
 */
function finishMenu(host: HTMLElement, view: View): void {
  host.querySelector('summary')?.setAttribute('aria-label', 'Chart actions');
  for (const a of host.querySelectorAll<HTMLAnchorElement>('.vega-actions a[download]')) {
    const ext = a.download.endsWith('.png') ? 'png' : 'svg';
    a.addEventListener('focus', () => {
      view.toImageURL(ext).then(
        (url) => (a.href = url),
        () => {},
      );
    });
  }
}

/**
 * Draws `el` into `host` (in the page: width "container" measures it).
 * Resolves once the view has run with its data, rejects when the spec
 * cannot be compiled or parsed. `fail` hears what breaks the chart without
 * rejecting: data that could not be loaded (before the promise resolves),
 * an error while the view runs (then, or later).
 */
async function draw(host: HTMLElement, el: VegaLiteChartEl, fail: (message: string) => void): Promise<Result> {
  const result = await embed(host, fitSpec(el) as unknown as VisualizationSpec, embedOptions(el, fail));
  finishMenu(host, result.view);
  return result;
}

const exports = { draw };
/** The chunk's exports, as elements/vega.tsx sees them. */
export type VegaChunk = typeof exports;

registerChunk('vega', exports);
