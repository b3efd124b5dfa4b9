// Pure logic of the plotly chart (elements/plotly.tsx): what is handed to
// plotly.js for an element (layout with the theme under the figure's own,
// size, config) and the checks plotly.js itself does not make. Unit tested
// without a browser.

import type { PlotlyChartEl } from './protocol';
import type { ChartTheme } from './vega';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** plotly.js's height when neither the element nor the figure sets one. */
export const DEFAULT_HEIGHT = 450;
/** plotly.js's width when the figure sets none and the chart does not fill its column. */
export const DEFAULT_WIDTH = 700;

/** What decides what plotly draws for an element; equal by value: nothing to redo. */
export function plotKey(el: PlotlyChartEl): Obj {
  return { figure: el.figure, height: el.height, width: el.use_container_width, theme: el.theme };
}

/**
 * Traces drawn on MapLibre maps: their tiles, styles and fonts come from
 * other sites and MapLibre runs workers from blob: URLs, none of which the
 * app's CSP allows (connect-src 'self', no worker-src).
 */
const MAP_TRACES = new Set(['scattermap', 'choroplethmap', 'densitymap']);
/** Traces on a `geo` subplot: plotly.js fetches its world outlines from `config.topojsonURL` (cdn.plot.ly by default). */
const GEO_TRACES = new Set(['scattergeo', 'choropleth']);

/**
 * Why plotly.js cannot draw this figure, or null. plotly.js is lenient: it
 * draws an empty plot for a figure whose `data` is not a list of traces, and
 * leaves out a trace of a type it does not know, so the person would see a
 * blank area and no reason; and traces that need other sites fail under
 * the app's CSP after a wait, with a violation. `types`: the trace types
 * this build of plotly.js has; omitted, types are not checked.
 */
export function figureProblem(figure: unknown, types?: readonly string[]): string | null {
  if (!isObj(figure)) return 'the figure is not an object with "data" and "layout"';
  const { data, layout } = figure;
  if (data !== undefined && !Array.isArray(data)) return '"data" must be a list of traces';
  if (layout !== undefined && !isObj(layout)) return '"layout" must be an object';
  if (figure.config !== undefined && !isObj(figure.config)) return '"config" must be an object';
  const traces = (data ?? []) as unknown[];
  for (let i = 0; i < traces.length; i++) {
    const t = traces[i];
    if (!isObj(t)) return `trace ${i} is not an object`;
    // A trace without a type is a scatter (plotly's default).
    if (t.type === undefined) continue;
    if (types && (typeof t.type !== 'string' || !types.includes(t.type))) {
      return `trace ${i} has the type ${JSON.stringify(t.type)}, which this build of plotly.js does not draw`;
    }
    if (typeof t.type === 'string' && MAP_TRACES.has(t.type)) {
      return `trace ${i} is a ${t.type} trace: its map tiles come from other sites, which this app does not load`;
    }
    const config = isObj(figure.config) ? figure.config : {};
    if (typeof t.type === 'string' && GEO_TRACES.has(t.type) && typeof config.topojsonURL !== 'string') {
      return `trace ${i} is a ${t.type} trace: plotly.js fetches its world outlines from cdn.plot.ly, which this app does not load; serve them from the app and name that URL in config.topojsonURL`;
    }
  }
  return null;
}

/** The height the chart is drawn at (px): the element's, else the figure's, else plotly's 450. */
export function plotHeight(el: PlotlyChartEl): number {
  if (el.height != null) return el.height;
  const h = isObj(el.figure.layout) ? el.figure.layout.height : undefined;
  return typeof h === 'number' && h > 0 ? h : DEFAULT_HEIGHT;
}

/** Deep merge of plain objects: `over` wins; arrays and other values are replaced, not merged. */
export function mergeUnder(under: Obj, over: Obj): Obj {
  const out: Obj = { ...under };
  for (const [k, v] of Object.entries(over)) {
    const u = out[k];
    out[k] = isObj(u) && isObj(v) ? mergeUnder(u, v) : v;
  }
  return out;
}

function defined(obj: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(obj)) if (v !== '' && v !== undefined) out[k] = v;
  return out;
}

/**
 * The app's look as a plotly template layout: font family and colour
 * (muted tick labels), the palette as the colorway, transparent paper and plot (the page shows
 * through), grid, axis lines and zero lines in the border colour, on 2D
 * axes, 3D scenes, polar and ternary axes alike. A template, not layout
 * keys: plotly applies a template's `xaxis` to every x axis (xaxis2…) and
 * its values only where the figure sets none.
 */
export function plotlyThemeLayout(t: ChartTheme): Obj {
  const axis = defined({ gridcolor: t.border, linecolor: t.border, zerolinecolor: t.border, tickcolor: t.border });
  // Tick labels muted, axis titles in the text colour (as on Vega charts).
  if (t.muted) axis.tickfont = { color: t.muted };
  const layout: Obj = {
    font: defined({ family: t.font, color: t.fg }),
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    xaxis: axis,
    yaxis: axis,
    scene: { xaxis: axis, yaxis: axis, zaxis: axis },
    polar: { bgcolor: 'rgba(0,0,0,0)', angularaxis: axis, radialaxis: axis },
    ternary: { bgcolor: 'rgba(0,0,0,0)', aaxis: axis, baxis: axis, caxis: axis },
    hoverlabel: { font: defined({ family: t.font }) },
    // plotly.js derives the modebar's colours from paper_bgcolor, and reads
    // a transparent paper as dark: a grey bar with pale icons.
    modebar: defined({ bgcolor: 'rgba(0,0,0,0)', color: t.muted, activecolor: t.fg }),
    title: { font: defined({ color: t.fg }), x: 0.02, xanchor: 'left' },
  };
  if (t.palette.length > 0) layout.colorway = t.palette;
  return layout;
}

/**
 * plotly.js 3 dropped titles given as a plain string (`title: "Sales"`),
 * still common in figures written by hand or by older tools: it silently
 * draws no title. They become `{ text }` (the chart's and its 2D axes').
 */
function textTitles(layout: Obj): void {
  for (const [k, v] of Object.entries(layout)) {
    if (k === 'title' && typeof v === 'string') layout.title = { text: v };
    else if (/^[xy]axis\d*$/.test(k) && isObj(v) && typeof v.title === 'string') v.title = { text: v.title };
  }
}

/**
 * The layout handed to plotly.js: a copy of the figure's (plotly.js writes
 * into the layout it is given: ranges, autorange), with the chart's height,
 * its width (the column's when `use_container_width`, else the figure's or
 * plotly's 700), and, with `theme`, the app's look under the figure's own
 * template, which is under the figure's layout: the figure always wins.
 */
export function plotlyLayout(el: PlotlyChartEl, theme: ChartTheme | null): Obj {
  const own = isObj(el.figure.layout) ? (structuredClone(el.figure.layout) as Obj) : {};
  textTitles(own);
  const layout: Obj = { ...own, height: plotHeight(el) };
  // plotly's default margins leave 100 px above the plot for a title the
  // figure may not have; tighter ones, unless the figure sets its own
  // (plotly still widens them for axis labels and the legend).
  if (!isObj(own.margin)) layout.margin = { t: own.title ? 56 : 24, r: 12, b: 36, l: 48 };
  if (el.use_container_width) {
    layout.autosize = true;
    delete layout.width;
  } else {
    layout.autosize = false;
    if (!(typeof own.width === 'number' && own.width > 0)) layout.width = DEFAULT_WIDTH;
  }
  if (theme) {
    const template = isObj(own.template) ? own.template : {};
    const tLayout = isObj(template.layout) ? template.layout : {};
    layout.template = { ...template, layout: mergeUnder(plotlyThemeLayout(theme), tLayout) };
  }
  return layout;
}

/**
 * plotly's config: the figure's, with no plotly logo and no way to send the
 * chart to plotly's cloud (that would post the app's data to another
 * site), and `responsive` (follow the window's size) when the chart fills
 * its column.
 */
export function plotlyConfig(el: PlotlyChartEl): Obj {
  const own = isObj(el.figure.config) ? el.figure.config : {};
  return {
    ...own,
    displaylogo: false,
    showSendToCloud: false,
    plotlyServerURL: '',
    responsive: el.use_container_width,
  };
}

/** The traces handed to plotly.js: a copy (plotly.js adds its own keys to them). */
export function plotlyData(el: PlotlyChartEl): unknown[] {
  return Array.isArray(el.figure.data) ? (structuredClone(el.figure.data) as unknown[]) : [];
}

/** A short name for the chart's aria-label: its title, else "Chart". */
export function plotLabel(el: PlotlyChartEl): string {
  const layout = isObj(el.figure.layout) ? el.figure.layout : {};
  const title = isObj(layout.title) ? layout.title.text : layout.title;
  // Titles may hold plotly's little HTML (<b>, <br>): only the words are read out.
  const text = typeof title === 'string' ? title.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() : '';
  return text ? 'Chart: ' + text : 'Chart';
}
