// Pure logic of the Vega-Lite chart (elements/vega.tsx), kept out of the
// component so that unit tests can run it without a browser or the chunk:
// comparing elements by value, fitting the spec to the element's size, the
// theme read from the page's CSS variables, and a selection's value as the
// app gets it. `sameJson` and `ChartTheme` serve the plotly chart too.

import type { VegaLiteChartEl } from './protocol';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether two JSON values are equal by value (object key order aside).
 * Every rerun brings new element objects, most of them equal to the ones
 * drawn: comparing by value is what keeps an unchanged chart from being
 * re-embedded (which would flicker, reload its data and drop a brush).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN only reaches here from a JS caller; on the wire it is null.
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a as Obj);
  if (ka.length !== Object.keys(b as Obj).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameJson((a as Obj)[k], (b as Obj)[k])) return false;
  }
  return true;
}

/** What decides how a Vega-Lite chart is embedded; equal by value: nothing to redo. */
export function embedKey(el: VegaLiteChartEl): Obj {
  return { spec: el.spec, height: el.height, width: el.use_container_width, theme: el.theme };
}

// Keys of a Vega-Lite spec that make it a composition: its size is set per
// view inside (a top-level width/height is ignored with a warning, and
// width "container" is not supported there).
const COMPOSITE = ['hconcat', 'vconcat', 'concat', 'facet', 'repeat'];

/** Whether the spec is one view (a unit or a layer), whose size the element may set. */
export function isSingleView(spec: Obj): boolean {
  return !COMPOSITE.some((k) => k in spec);
}

/**
 * The spec to embed: the element's, with its height (when set) and width
 * "container" (when `use_container_width`) for a single view. A
 * composition keeps its own sizes. The element's spec is never modified:
 * the store holds it, and it is compared by value against the next one.
 */
export function fitSpec(el: VegaLiteChartEl): Obj {
  const spec: Obj = { ...el.spec };
  if (!isSingleView(spec)) return spec;
  if (el.height != null) spec.height = el.height;
  if (el.use_container_width) spec.width = 'container';
  return spec;
}

/**
 * Height of the placeholder drawn while the library loads (px): about the
 * chart's, so that little moves when it arrives. A Vega-Lite height is the
 * plot's; the axis below it and a title add some 40 px. Vega-Lite's default
 * view is 300 px high (continuous y).
 */
export function placeholderHeight(el: VegaLiteChartEl): number {
  const h = el.height ?? el.spec.height;
  return (typeof h === 'number' && h > 0 ? h : 300) + 40;
}

/** A short name for the chart's aria-label: its description, else its title, else "Chart". */
export function chartLabel(spec: Obj): string {
  const d = spec.description;
  if (typeof d === 'string' && d.trim()) return d.trim();
  const t = isObj(spec.title) ? spec.title.text : spec.title;
  const text = Array.isArray(t) ? t.join(' ') : t;
  if (typeof text === 'string' && text.trim()) return 'Chart: ' + text.trim();
  return 'Chart';
}

// ----- theme -----

/** The app's look, read from its CSS variables (see styles.css, :root). "" = not set. */
export interface ChartTheme {
  fg: string;
  muted: string;
  border: string;
  bg: string;
  font: string;
  /** The categorical palette, --bk-chart-1.. (the ones set). */
  palette: string[];
}

/** Reads the theme through `get` (a CSS custom property's value, e.g. from getComputedStyle). */
export function readTheme(get: (name: string) => string): ChartTheme {
  const v = (name: string) => get(name).trim();
  const palette: string[] = [];
  for (let i = 1; i <= 7; i++) {
    const c = v(`--bk-chart-${i}`);
    if (c) palette.push(c);
  }
  return {
    fg: v('--bk-fg'),
    muted: v('--bk-muted'),
    border: v('--bk-border'),
    bg: v('--bk-bg'),
    font: v('--bk-font'),
    palette,
  };
}

/** The theme of the page (the CSS variables on <html>). */
export function pageTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  return readTheme((name) => style.getPropertyValue(name));
}

/** `obj` without the keys whose value is "" or undefined (so Vega's defaults stay for what the page does not set). */
function defined(obj: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(obj)) if (v !== '' && v !== undefined) out[k] = v;
  return out;
}

/**
 * A Vega-Lite config in the app's look: its text colours and font on
 * titles, axes, legends and headers, hairline grid and domain in the
 * border colour, the page's background (also what a PNG export gets), no
 * frame around the view, and the categorical palette for colour by category
 * (and its first colour for single-colour marks). A spec's own `config`
 * still wins over this (Vega-Lite merges the spec's config over the one
 * given to embed).
 */
export function vegaThemeConfig(t: ChartTheme): Obj {
  const text = defined({ labelColor: t.muted, titleColor: t.fg, labelFont: t.font, titleFont: t.font });
  const config: Obj = defined({
    background: t.bg,
    font: t.font,
  });
  config.title = defined({
    color: t.fg,
    subtitleColor: t.muted,
    font: t.font,
    subtitleFont: t.font,
    fontSize: 14,
    fontWeight: 600,
    anchor: 'start',
  });
  config.axis = {
    ...text,
    ...defined({ domainColor: t.border, gridColor: t.border, tickColor: t.border }),
    titleFontWeight: 500,
    labelFontSize: 11,
    titleFontSize: 12,
  };
  config.legend = { ...text, titleFontWeight: 500, labelFontSize: 11, titleFontSize: 12 };
  config.header = { ...text, labelFontSize: 12, titleFontSize: 12, titleFontWeight: 500 };
  config.view = { stroke: null };
  if (t.palette.length > 0) {
    config.range = { category: t.palette };
    config.mark = { color: t.palette[0] };
  }
  return config;
}

// ----- selection -----

// Keys Vega-Lite puts in a selection parameter's value for its own use: the
// predicate it evaluates (`vlPoint`, and `vlMulti` / `vlSingle` in older
// Vega-Lite) and `_vgsid_`, the row ids a point selection without `fields`
// holds (internal ids of Vega's rows, meaningless to the app).
const INTERNAL = new Set(['vlPoint', 'vlMulti', 'vlSingle', 'vlInterval', '_vgsid_']);

/**
 * One selection parameter's value as the app gets it: field → values (a
 * point selection), field → [low, high] (an interval), without Vega-Lite's
 * internal keys; {} when nothing is selected. Through JSON, as it will be
 * sent: dates become ISO strings, and an equal value compares equal.
 */
export function cleanParam(value: unknown): Obj {
  if (!isObj(value)) return {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (INTERNAL.has(k) || v === undefined) continue;
    out[k] = v;
  }
  return JSON.parse(JSON.stringify(out)) as Obj;
}

/** The selection's value: each param (by name) → its cleaned value, read by `read` (`view.signal`). */
export function selectionValue(params: readonly string[], read: (name: string) => unknown): Obj {
  const out: Obj = {};
  for (const p of params) out[p] = cleanParam(read(p));
  return out;
}

/** An error's text as shown to the person (Vega's and Vega-Lite's messages are plain strings). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || String(err);
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
