//! Charts on the wire: the simple charts whose points stay on the server
//! ([`Chart`]), charts drawn by libraries in the browser ([`VegaLiteChart`],
//! [`PlotlyChart`]), pictures drawn on the server ([`SvgChart`]) and maps
//! ([`MapChart`]).
//!
//! A simple chart's points do not ride in the element. The element names
//! an endpoint (`Chart::data`); the browser asks it for the points of a
//! range of x at its width in pixels and gets them as typed arrays (the
//! layout is in `docs/protocol.md` and `frontend/src/chartdata.ts`). For a
//! range with more points than pixels the answer is the per-pixel minimum,
//! maximum, first and last of each series (the M4 method), so every peak
//! shows; zoomed to fewer points than pixels it is the points themselves.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::WidgetId;

/// How a simple chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChartMark {
    /// Lines through the points.
    Line,
    /// Lines filled down to zero (or to the series below, when stacked).
    Area,
    /// One bar per x.
    Bar,
    /// A dot per point.
    Scatter,
}

impl ChartMark {
    /// `"line_chart"`, `"area_chart"`, … (the `Ui` method that draws it).
    pub fn method(self) -> &'static str {
        match self {
            ChartMark::Line => "line_chart",
            ChartMark::Area => "area_chart",
            ChartMark::Bar => "bar_chart",
            ChartMark::Scatter => "scatter_chart",
        }
    }
}

/// How the series of an area or bar chart sit on one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChartStack {
    /// Each from zero, drawn over one another (lines and scatter; bars side
    /// by side).
    #[default]
    None,
    /// Each on top of the ones before it.
    Stacked,
    /// Stacked, as shares of each x's total (0 to 1).
    Normalize,
}

/// What the values along an axis are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AxisScale {
    /// Numbers.
    #[default]
    Number,
    /// Instants, as seconds since 1970-01-01 UTC (dates at midnight UTC).
    Time,
    /// Names: the values are positions in [`ChartAxis::categories`].
    Category,
}

/// One axis of a simple chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChartAxis {
    /// The title shown along it (a column name unless the app set one);
    /// empty shows none.
    pub title: String,
    /// What its values are.
    pub scale: AxisScale,
    /// For a category scale, the names by position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// The smallest value in the data (after stacking, for y).
    pub min: f64,
    /// The largest value in the data.
    pub max: f64,
}

/// One series of a simple chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SeriesSpec {
    /// Its name in the legend and tooltip.
    pub name: String,
    /// A CSS colour the app chose; `None` takes the theme's palette colour
    /// for its position.
    #[serde(default)]
    pub color: Option<String>,
}

/// A scatter chart's dot sizes or colours from a column: the column's
/// range, which the browser maps to pixels or to a colour ramp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChannelSpec {
    /// The column (for the legend).
    pub column: String,
    /// Its smallest value.
    pub min: f64,
    /// Its largest value.
    pub max: f64,
}

/// A simple chart (`line_chart`, `area_chart`, `bar_chart`,
/// `scatter_chart`) as the page shows it. Its points stay on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Chart {
    /// The chart's identity on this page (32 hex digits): a hash of its
    /// data and options. Points appended by `add_rows` keep it.
    pub chart: String,
    /// How it draws.
    pub mark: ChartMark,
    /// Same-origin URL of its points; the query names the range and width
    /// (`x0`, `x1`, `px`) or the rows the browser lacks (`after`).
    pub data: String,
    /// Rows in the data (grows with `add_rows`).
    pub rows: u64,
    /// The horizontal axis (vertical for a horizontal bar chart).
    pub x: ChartAxis,
    /// The value axis.
    pub y: ChartAxis,
    /// The series, in drawing order; each array of y values in the points
    /// follows this order.
    pub series: Vec<SeriesSpec>,
    /// How area and bar series sit on one another (the server has applied
    /// it to the points: the browser draws them as they come).
    #[serde(default)]
    pub stack: ChartStack,
    /// Bars along y instead of x.
    #[serde(default)]
    pub horizontal: bool,
    /// Height in pixels.
    pub height: u32,
    /// Width in pixels; `None` fills the container.
    #[serde(default)]
    pub width: Option<u32>,
    /// Scatter: dot sizes from a column (the points carry the values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<ChannelSpec>,
    /// Scatter: dot colours from a numeric column (the points carry the
    /// values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<ChannelSpec>,
    /// Scatter: the dot diameter in pixels when no column sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_size: Option<f64>,
    /// Whether the legend shows.
    pub legend: bool,
    /// Selection, when the app asked for it (it makes the chart a widget).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<ChartSelection>,
}

/// How a simple chart can be selected, and what is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChartSelection {
    /// The widget id the browser sends the selection to.
    pub id: WidgetId,
    /// A click selects the nearest point (shift-click adds).
    pub point: bool,
    /// A drag selects a range of x (a brush).
    pub interval: bool,
    /// What is selected now.
    pub value: ChartSelectionValue,
}

/// A simple chart's selection on the wire.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChartSelectionValue {
    /// The brushed range of x, low to high (seconds for a time axis,
    /// positions for categories).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<[f64; 2]>,
    /// Clicked points: their x and y as drawn and their series' position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<ChartPoint>,
}

/// A clicked point of a simple chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChartPoint {
    /// Its x.
    pub x: f64,
    /// Its y as drawn (stacked charts: the top of its band).
    pub y: f64,
    /// Its series' position in [`Chart::series`].
    pub series: u32,
}

/// A Vega-Lite chart: the spec, with its data at a URL of the payload store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VegaLiteChart {
    /// The Vega-Lite spec as the browser hands it to vega-embed (its data
    /// named `brooklet` and loaded from `data`).
    pub spec: Value,
    /// Same-origin URL of the rows as a JSON array of objects, when the app
    /// passed data.
    #[serde(default)]
    pub data: Option<String>,
    /// Height in pixels; `None` keeps the spec's.
    #[serde(default)]
    pub height: Option<u32>,
    /// Fill the container's width (the spec's `width` is replaced).
    pub use_container_width: bool,
    /// Whether Brooklet's theme (colours, fonts) styles the chart.
    pub theme: bool,
    /// Selection, when the app asked for it (it makes the chart a widget).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<VegaSelection>,
    /// The app's line that drew the chart (`file:line:column`), shown with
    /// an error Vega-Lite reports in the browser; sent only under
    /// `client.show_error_details = "full"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Which Vega-Lite selection parameters reach the app, and their values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VegaSelection {
    /// The widget id the browser sends the selection to.
    pub id: WidgetId,
    /// The names of the spec's selection parameters that are reported.
    pub params: Vec<String>,
    /// Parameter name → its value as Vega reports it (an interval: field →
    /// `[low, high]`; points: field → values; see `docs/charts.md`).
    pub value: serde_json::Map<String, Value>,
}

/// A plotly.js figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlotlyChart {
    /// `{ "data": [traces], "layout": {…} }` as plotly.js takes it.
    pub figure: Value,
    /// Height in pixels; `None` keeps the figure's (or plotly's 450).
    #[serde(default)]
    pub height: Option<u32>,
    /// Fill the container's width.
    pub use_container_width: bool,
    /// Whether Brooklet's theme (colours, fonts) styles the chart.
    pub theme: bool,
    /// The app's line that drew the chart, as [`VegaLiteChart::location`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Who drew an [`SvgChart`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SvgSource {
    /// `ui.plotters`: the plotters crate.
    Plotters,
    /// `ui.graphviz_chart`: a DOT graph laid out on the server.
    Graphviz,
}

/// A picture drawn on the server as SVG. The browser shows it as an image
/// (never as inline markup, so nothing in it can run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SvgChart {
    /// Who drew it.
    pub source: SvgSource,
    /// The SVG document.
    pub svg: String,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// Scale it to the container's width.
    pub use_container_width: bool,
    /// Text for screen readers.
    pub alt: String,
}

/// Where a map's background tiles come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TileSource {
    /// A URL template with `{z}`, `{x}`, `{y}` (and optionally `{s}`,
    /// `{r}`), e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`.
    pub url: String,
    /// The credit the tile provider requires, shown in the corner.
    pub attribution: String,
    /// The deepest zoom the source has.
    pub max_zoom: u8,
}

/// Points on a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MapChart {
    /// How many points.
    pub count: u32,
    /// Latitudes in degrees: base64 of little-endian `f64`s.
    pub lat: String,
    /// Longitudes in degrees, as `lat`.
    pub lon: String,
    /// Each dot's radius in metres (base64 `f64`s), or `None` for
    /// `radius` everywhere.
    #[serde(default)]
    pub sizes: Option<String>,
    /// Every dot's radius in pixels when `sizes` is `None`.
    pub radius: f64,
    /// The distinct CSS colours of the dots.
    pub colors: Vec<String>,
    /// Each dot's colour as a position in `colors` (base64 of
    /// little-endian `u16`s), or `None` for `colors[0]` (or the theme's
    /// colour when `colors` is empty).
    #[serde(default)]
    pub color_of: Option<String>,
    /// Tiles under the points; `None` draws a world outline shipped with
    /// Brooklet (no network).
    #[serde(default)]
    pub tiles: Option<TileSource>,
    /// The view's centre `[lat, lon]`; `None` fits the points.
    #[serde(default)]
    pub center: Option<[f64; 2]>,
    /// The zoom level (web-map levels, 0 = the whole world in 256 px);
    /// `None` fits the points.
    #[serde(default)]
    pub zoom: Option<f64>,
    /// Height in pixels.
    pub height: u32,
    /// Width in pixels; `None` fills the container.
    #[serde(default)]
    pub width: Option<u32>,
}
