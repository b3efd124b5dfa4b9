// Chart elements on the wire: the mirror of crates/brooklet/src/protocol/charts.rs
// (authoritative). The binary layout of a simple chart's points is in
// `chartdata.ts`.

export type ChartMark = 'line' | 'area' | 'bar' | 'scatter';
/** How area/bar series sit on one another; the server has applied it to the points. */
export type ChartStack = 'none' | 'stacked' | 'normalize';
/** number; time = seconds since 1970 UTC; category = positions in `categories`. */
export type AxisScale = 'number' | 'time' | 'category';

export interface ChartAxis {
  /** Title along the axis; "" = none. */
  title: string;
  scale: AxisScale;
  /** Category names by position (category scale only). */
  categories?: string[];
  /** Smallest / largest value in the whole data (after stacking, for y). */
  min: number;
  max: number;
}

export interface SeriesSpec {
  name: string;
  /** A CSS colour the app chose; null: the theme palette's colour at this series' position. */
  color: string | null;
}

/** Scatter: dot size or colour from a column: that column's range. */
export interface ChannelSpec {
  column: string;
  min: number;
  max: number;
}

export interface ChartPoint {
  x: number;
  /** As drawn (stacked: the top of its band). */
  y: number;
  /** Position in `series`. */
  series: number;
}

export interface ChartSelectionValue {
  /** Brushed x range [low, high] (seconds on a time axis, positions for categories). */
  x?: [number, number] | null;
  /** Clicked points. */
  points?: ChartPoint[];
}

export interface ChartSelection {
  /** The widget id the selection is committed to. */
  id: string;
  /** Click selects the nearest point (shift-click adds). */
  point: boolean;
  /** Drag selects an x range (brush). */
  interval: boolean;
  /** The current value (the truth after the rerun a commit causes). */
  value: ChartSelectionValue;
}

/**
 * A line/area/bar/scatter chart. The points stay on the server: fetch
 * `${data}?px=W` (whole range at W pixel columns), `${data}?x0=A&x1=B&px=W`
 * (a zoomed range), or `${data}?after=R&px=W` (the points of rows R.. after
 * `add_rows`). Answers are binary; see `chartdata.ts`.
 */
export type ChartEl = {
  kind: 'chart';
  /** 32 hex: identity of data + options; kept by add_rows. */
  chart: string;
  mark: ChartMark;
  /** Same-origin URL of the points endpoint. */
  data: string;
  /** Rows in the data; grows with add_rows (same `chart`). */
  rows: number;
  x: ChartAxis;
  y: ChartAxis;
  series: SeriesSpec[];
  stack: ChartStack;
  /** Bars along y (bar charts). */
  horizontal: boolean;
  /** Px. */
  height: number;
  /** Px; null = the container's width. */
  width: number | null;
  /** Scatter: sizes from a column (points carry an extra array `size`). */
  size?: ChannelSpec | null;
  /** Scatter: colours from a numeric column (points carry an extra array `color`). */
  color?: ChannelSpec | null;
  /** Scatter: dot diameter in px when no column sets it. */
  point_size?: number | null;
  legend: boolean;
  selection?: ChartSelection | null;
};

export interface VegaSelection {
  id: string;
  /** The selection parameters (by name) whose values are reported. */
  params: string[];
  /** Param name → Vega's value for it (`view.signal(name)`), {} when empty. */
  value: Record<string, unknown>;
}

/** A Vega-Lite spec; its data (when `data` is set) is a JSON array at that URL, named `brooklet`. */
export type VegaLiteChartEl = {
  kind: 'vega_lite_chart';
  spec: Record<string, unknown>;
  data: string | null;
  height: number | null;
  use_container_width: boolean;
  /** Apply Brooklet's theme (colours, fonts). */
  theme: boolean;
  selection?: VegaSelection | null;
  /** The app's line that drew it, shown with an error (only when the app shows error details). */
  location?: string | null;
};

export type PlotlyChartEl = {
  kind: 'plotly_chart';
  /** { data: traces[], layout: {...} } */
  figure: { data?: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown> } & Record<string, unknown>;
  height: number | null;
  use_container_width: boolean;
  theme: boolean;
  /** As `VegaLiteChartEl.location`. */
  location?: string | null;
};

/** SVG drawn on the server; shown as an <img> (never inline markup). */
export type SvgChartEl = {
  kind: 'svg_chart';
  source: 'plotters' | 'graphviz';
  svg: string;
  width: number;
  height: number;
  use_container_width: boolean;
  alt: string;
};

export interface TileSource {
  /** `{z}/{x}/{y}` template (and `{s}` subdomain a/b/c, `{r}` "" or "@2x"). */
  url: string;
  attribution: string;
  max_zoom: number;
}

/** Points on a map. Arrays are base64 of little-endian typed arrays. */
export type MapEl = {
  kind: 'map';
  count: number;
  /** base64 Float64Array, degrees. */
  lat: string;
  lon: string;
  /** base64 Float64Array: each dot's radius in metres; null: `radius` px everywhere. */
  sizes: string | null;
  radius: number;
  /** Distinct CSS colours; [] = the theme's accent. */
  colors: string[];
  /** base64 Uint16Array: each dot's colour as a position in `colors`; null = colors[0]. */
  color_of: string | null;
  /** null: draw the bundled world outline (no network). */
  tiles: TileSource | null;
  /** [lat, lon]; null: fit the points. */
  center: [number, number] | null;
  zoom: number | null;
  height: number;
  width: number | null;
};

export type ChartElement = ChartEl | VegaLiteChartEl | PlotlyChartEl | SvgChartEl | MapEl;
