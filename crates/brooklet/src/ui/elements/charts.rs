//! Charts that are only shown: Graphviz graphs and plotters drawings (SVG
//! made on the server), plotly figures (drawn by plotly.js in the browser)
//! and maps. The simple charts and Vega-Lite charts, which can be
//! selected on, are in `ui/widgets/`.

use std::panic::Location;

use arrow_array::Array as _;
use base64::Engine as _;

use crate::data::{ChartError, Frame, FrameError, IntoFrame};
use crate::protocol::{Element, MapChart, SvgChart, SvgSource, TileSource};
use crate::run::AppError;
use crate::ui::{Drawn, Ui, Widget};

/// The largest DOT source `graphviz_chart` lays out.
pub const MAX_DOT_BYTES: usize = 256 * 1024;
/// The most points a map shows.
pub const MAX_MAP_POINTS: usize = 1_000_000;

/// The colour-blind-safe palette (Paul Tol's "bright"), as the theme's
/// `--bk-chart-1..7`: used where the server picks colours (map categories).
const PALETTE: [&str; 7] = [
    "#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb",
];

impl Ui {
    /// A graph in Graphviz's DOT language (`digraph { a -> b }`), laid out
    /// and drawn on the server (no WebAssembly, no network). A DOT error
    /// is shown in its place, with the line that drew it.
    ///
    /// ```
    /// use brooklet::prelude::*;
    ///
    /// fn app(ui: &Ui) {
    ///     ui.graphviz_chart("digraph { load -> clean -> chart; clean -> table }");
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert!(at.svg_chart(0).svg.contains("clean"));
    /// ```
    #[track_caller]
    pub fn graphviz_chart(&self, dot: impl AsRef<str>) -> Drawn {
        let location = Location::caller();
        match graphviz_svg(dot.as_ref()) {
            Ok((svg, width, height)) => self
                .draw(Element::SvgChart(Box::new(SvgChart {
                    source: SvgSource::Graphviz,
                    svg,
                    width,
                    height,
                    use_container_width: false,
                    alt: "Graph".to_owned(),
                })))
                .into(),
            Err(message) => {
                self.show_error(&AppError::located(
                    format!("graphviz_chart: {message}"),
                    location,
                ));
                Drawn::from(None)
            }
        }
    }
}

/// DOT laid out and drawn as SVG, with its size; or what is wrong.
fn graphviz_svg(dot: &str) -> Result<(String, u32, u32), String> {
    use layout::backends::svg::SVGWriter;
    use layout::gv::{DotParser, GraphBuilder};
    if dot.len() > MAX_DOT_BYTES {
        return Err(format!(
            "the graph is {} bytes of DOT; at most {MAX_DOT_BYTES}",
            dot.len()
        ));
    }
    let graph = DotParser::new(dot)
        .process()
        .map_err(|e| format!("the DOT source does not parse: {e}"))?;
    // The layout library asserts on inputs it does not handle: its panic
    // is this chart's error, not the app's.
    let svg = std::panic::catch_unwind(|| {
        let mut builder = GraphBuilder::new();
        builder.visit_graph(&graph);
        let mut visual = builder.get();
        let mut writer = SVGWriter::new();
        visual.do_it(false, false, false, &mut writer);
        writer.finalize()
    })
    .map_err(|panic| {
        format!(
            "the graph could not be laid out ({})",
            crate::run::unwind::payload_message(panic.as_ref())
        )
    })?;
    let size = |name: &str| -> u32 {
        svg.split_once(&format!("{name}=\""))
            .and_then(|(_, rest)| rest.split('"').next())
            .and_then(|n| n.parse::<f64>().ok())
            .map_or(300, |n| n.ceil().clamp(1.0, 20_000.0) as u32)
    };
    let (width, height) = (size("width"), size("height"));
    Ok((svg, width, height))
}

#[cfg(feature = "plotters")]
mod plotters_chart {
    use super::*;
    use plotters::coord::Shift;
    use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};

    impl Ui {
        /// A picture drawn with the [`plotters`](::plotters) crate: `draw`
        /// gets a `width` × `height` drawing area (SVG, made on the server:
        /// the counterpart of Streamlit's `st.pyplot`). An error `draw`
        /// returns is shown in its place. Needs the `plotters` feature.
        ///
        /// ```
        /// use brooklet::prelude::*;
        /// use brooklet::plotters::prelude::*;
        ///
        /// fn app(ui: &Ui) {
        ///     ui.plotters(480, 300, |area| {
        ///         area.fill(&WHITE)?;
        ///         let mut chart = ChartBuilder::on(area)
        ///             .caption("y = x²", ("sans-serif", 18))
        ///             .margin(10)
        ///             .x_label_area_size(30)
        ///             .y_label_area_size(40)
        ///             .build_cartesian_2d(-1.0f64..1.0, 0.0f64..1.0)?;
        ///         chart.configure_mesh().draw()?;
        ///         chart.draw_series(LineSeries::new((-50..=50).map(|x| x as f64 / 50.0).map(|x| (x, x * x)), &RED))?;
        ///         Ok::<(), Box<dyn std::error::Error>>(())
        ///     });
        /// }
        /// # let mut at = brooklet::testing::AppTest::new(app);
        /// # at.run().unwrap();
        /// # assert!(at.svg_chart(0).svg.contains("<svg"));
        /// ```
        #[track_caller]
        pub fn plotters<E: std::fmt::Display>(
            &self,
            width: u32,
            height: u32,
            draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), E>,
        ) -> Drawn {
            let location = Location::caller();
            let (width, height) = (width.clamp(16, 8_000), height.clamp(16, 8_000));
            let mut svg = String::new();
            let drawn = {
                let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                draw(&area)
                    .map_err(|e| e.to_string())
                    .and_then(|()| area.present().map_err(|e| e.to_string()))
            };
            match drawn {
                Ok(()) => self
                    .draw(Element::SvgChart(Box::new(SvgChart {
                        source: SvgSource::Plotters,
                        svg,
                        width,
                        height,
                        use_container_width: false,
                        alt: "Chart".to_owned(),
                    })))
                    .into(),
                Err(message) => {
                    self.show_error(&AppError::located(format!("plotters: {message}"), location));
                    Drawn::from(None)
                }
            }
        }
    }
}

#[cfg(feature = "plotly")]
mod plotly_chart {
    use super::*;
    use crate::protocol::PlotlyChart;

    /// The trace types of plotly.js (its "strict" bundle) a page can draw.
    /// Map and geo traces are left out: they fetch tiles or outlines from
    /// the network (use [`Ui::map`]).
    pub(crate) const PLOTLY_TRACES: [&str; 42] = [
        "bar",
        "barpolar",
        "box",
        "candlestick",
        "carpet",
        "cone",
        "contour",
        "contourcarpet",
        "funnel",
        "funnelarea",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "icicle",
        "image",
        "indicator",
        "isosurface",
        "mesh3d",
        "ohlc",
        "parcats",
        "parcoords",
        "pie",
        "sankey",
        "scatter",
        "scatter3d",
        "scattercarpet",
        "scattergl",
        "scatterpolar",
        "scatterpolargl",
        "scattersmith",
        "scatterternary",
        "splom",
        "streamtube",
        "sunburst",
        "surface",
        "table",
        "treemap",
        "violin",
        "volume",
        "waterfall",
        "histogram2dcontour",
    ];

    impl Ui {
        /// A figure of the [`plotly`](::plotly) crate, drawn by plotly.js
        /// in the browser (loaded the first time a page shows one). Its
        /// layout follows the app's theme unless
        /// [`PlotlyFigure::theme(false)`]. Needs the `plotly` feature.
        ///
        /// ```
        /// use brooklet::prelude::*;
        /// use brooklet::plotly::{Plot, Scatter};
        ///
        /// fn app(ui: &Ui) {
        ///     let mut plot = Plot::new();
        ///     plot.add_trace(Scatter::new(vec![1, 2, 3], vec![2, 1, 3]).name("series"));
        ///     ui.plotly_chart(&plot);
        /// }
        /// # let mut at = brooklet::testing::AppTest::new(app);
        /// # at.run().unwrap();
        /// # assert_eq!(at.plotly_chart(0).figure["data"][0]["type"], "scatter");
        /// ```
        #[track_caller]
        pub fn plotly_chart(&self, plot: &::plotly::Plot) -> Drawn {
            self.add(PlotlyFigure::new(plot))
        }
    }

    /// A plotly figure; the short form is [`Ui::plotly_chart`].
    #[derive(Debug, Clone)]
    #[must_use = "add it with `ui.add(..)`"]
    pub struct PlotlyFigure {
        figure: Result<serde_json::Value, String>,
        height: Option<u32>,
        use_container_width: bool,
        theme: bool,
        location: &'static Location<'static>,
    }

    impl PlotlyFigure {
        /// The figure of `plot`.
        #[track_caller]
        pub fn new(plot: &::plotly::Plot) -> PlotlyFigure {
            PlotlyFigure::from_json(&plot.to_json())
        }
        /// A figure as plotly.js JSON (`{"data": [...], "layout": {...}}`).
        #[track_caller]
        pub fn from_json(json: &str) -> PlotlyFigure {
            PlotlyFigure {
                figure: serde_json::from_str(json).map_err(|e| e.to_string()),
                height: None,
                use_container_width: true,
                theme: true,
                location: Location::caller(),
            }
        }
        /// Height in pixels (default: the figure's, else 450).
        pub fn height(mut self, pixels: u32) -> PlotlyFigure {
            self.height = Some(pixels.clamp(80, 4_000));
            self
        }
        /// Fill the container's width (default true).
        pub fn use_container_width(mut self, fill: bool) -> PlotlyFigure {
            self.use_container_width = fill;
            self
        }
        /// Use the app's colours and fonts (default true).
        pub fn theme(mut self, theme: bool) -> PlotlyFigure {
            self.theme = theme;
            self
        }
    }

    /// What is wrong with a figure, if anything: traces of unknown types.
    pub(crate) fn check_figure(figure: &serde_json::Value) -> Result<(), String> {
        let Some(object) = figure.as_object() else {
            return Err("the figure must be a JSON object".into());
        };
        let traces = object
            .get("data")
            .and_then(serde_json::Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (i, trace) in traces.iter().enumerate() {
            let kind = trace
                .get("type")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("scatter");
            if !PLOTLY_TRACES.contains(&kind) {
                return Err(format!(
                    "trace {i} has the type `{kind}`, which the page cannot draw (it draws: {})",
                    PLOTLY_TRACES.join(", ")
                ));
            }
        }
        Ok(())
    }

    impl Widget for PlotlyFigure {
        type Output = Drawn;
        fn add_to(self, ui: &Ui) -> Drawn {
            let figure = self
                .figure
                .map_err(|e| format!("the figure is not JSON: {e}"))
                .and_then(|f| check_figure(&f).map(|()| f));
            match figure {
                Ok(figure) => ui
                    .draw(Element::PlotlyChart(Box::new(PlotlyChart {
                        figure,
                        height: self.height,
                        use_container_width: self.use_container_width,
                        theme: self.theme,
                        location: ui.location_for_errors(self.location),
                    })))
                    .into(),
                Err(message) => {
                    ui.show_error(&AppError::located(
                        format!("plotly_chart: {message}"),
                        self.location,
                    ));
                    Drawn::from(None)
                }
            }
        }
    }
}

#[cfg(feature = "plotly")]
pub use plotly_chart::PlotlyFigure;

impl Ui {
    /// Points on a map from a frame's latitude and longitude columns
    /// (named `lat`/`latitude` and `lon`/`lng`/`longitude`, any case, unless
    /// set with [`Map::latitude`] and [`Map::longitude`]). Without a tile
    /// source the points are drawn over a world outline shipped with
    /// Brooklet (no network). See [`Map`] for sizes, colours and tiles.
    #[track_caller]
    pub fn map(&self, data: impl IntoFrame) -> Drawn {
        self.add(Map::new(data))
    }
}

/// Points on a map; the short form is [`Ui::map`].
///
/// ```
/// use brooklet::prelude::*;
///
/// #[derive(serde::Serialize)]
/// struct City {
///     name: &'static str,
///     lat: f64,
///     lon: f64,
///     people: f64,
/// }
///
/// fn app(ui: &Ui) {
///     let cities = [
///         City { name: "Oslo", lat: 59.91, lon: 10.75, people: 709_000.0 },
///         City { name: "Bergen", lat: 60.39, lon: 5.32, people: 291_000.0 },
///     ];
///     ui.add(Map::new(&cities).size_by("people").size_scale(0.1).color_by("name"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # let map = at.map(0);
/// # assert_eq!(map.count, 2);
/// # assert_eq!(map.colors.len(), 2);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Map {
    frame: Result<Frame, FrameError>,
    latitude: Option<String>,
    longitude: Option<String>,
    size_by: Option<String>,
    size_scale: f64,
    radius: f64,
    color: Option<String>,
    color_by: Option<String>,
    tiles: Option<TileSource>,
    center: Option<[f64; 2]>,
    zoom: Option<f64>,
    height: u32,
    width: Option<u32>,
    location: &'static Location<'static>,
}

impl Map {
    /// A map of the points in `data`.
    #[track_caller]
    pub fn new(data: impl IntoFrame) -> Map {
        Map {
            frame: data.into_frame(),
            latitude: None,
            longitude: None,
            size_by: None,
            size_scale: 1.0,
            radius: 5.0,
            color: None,
            color_by: None,
            tiles: None,
            center: None,
            zoom: None,
            height: 400,
            width: None,
            location: Location::caller(),
        }
    }
    /// The latitude column (degrees).
    pub fn latitude(mut self, column: impl Into<String>) -> Map {
        self.latitude = Some(column.into());
        self
    }
    /// The longitude column (degrees).
    pub fn longitude(mut self, column: impl Into<String>) -> Map {
        self.longitude = Some(column.into());
        self
    }
    /// Each dot's radius in metres from this numeric column (times
    /// [`size_scale`](Map::size_scale)): dots grow as the map zooms in.
    pub fn size_by(mut self, column: impl Into<String>) -> Map {
        self.size_by = Some(column.into());
        self
    }
    /// Multiplies the sizes of [`size_by`](Map::size_by) (default 1).
    pub fn size_scale(mut self, scale: f64) -> Map {
        self.size_scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        self
    }
    /// Every dot's radius in pixels when no column sets it (default 5).
    pub fn radius(mut self, pixels: f64) -> Map {
        self.radius = pixels.clamp(1.0, 100.0);
        self
    }
    /// Every dot in this CSS colour.
    pub fn color(mut self, color: impl Into<String>) -> Map {
        self.color = Some(color.into());
        self
    }
    /// Dot colours from this column: CSS colours (`#rrggbb`, `rgb(…)`)
    /// as they are, other values as categories in the theme's palette.
    pub fn color_by(mut self, column: impl Into<String>) -> Map {
        self.color_by = Some(column.into());
        self
    }
    /// Draw tiles under the points from `url`, a template with `{z}`,
    /// `{x}` and `{y}` (and optionally `{s}`: a, b or c; `{r}`: "@2x" on
    /// sharp screens), over HTTPS or from the app itself; `attribution` is
    /// the credit the provider requires.
    pub fn tiles(mut self, url: impl Into<String>, attribution: impl Into<String>) -> Map {
        self.tiles = Some(TileSource {
            url: url.into(),
            attribution: attribution.into(),
            max_zoom: 19,
        });
        self
    }
    /// The view's centre (degrees); default: fit the points.
    pub fn center(mut self, lat: f64, lon: f64) -> Map {
        self.center = Some([lat, lon]);
        self
    }
    /// The zoom level (0: the whole world in 256 pixels; each level
    /// doubles); default: fit the points.
    pub fn zoom(mut self, zoom: f64) -> Map {
        self.zoom = Some(zoom.clamp(0.0, 22.0));
        self
    }
    /// Height in pixels (default 400).
    pub fn height(mut self, pixels: u32) -> Map {
        self.height = pixels.clamp(80, 4_000);
        self
    }
    /// Width in pixels; by default the container's width.
    pub fn width(mut self, pixels: u32) -> Map {
        self.width = Some(pixels.clamp(80, 8_000));
        self
    }

    fn element(&self) -> Result<MapChart, String> {
        let frame = self.frame.as_ref().map_err(ToString::to_string)?;
        let find = |given: &Option<String>, names: &[&str], what: &str| -> Result<String, String> {
            if let Some(name) = given {
                return Ok(name.clone());
            }
            frame
                .column_names()
                .into_iter()
                .find(|c| names.contains(&c.to_lowercase().as_str()))
                .map(str::to_owned)
                .ok_or_else(|| {
                    format!(
                        "no {what} column (name one {names:?}, or set it with `.{what}(..)`); the columns are: {}",
                        frame.column_names().join(", ")
                    )
                })
        };
        let lat_name = find(&self.latitude, &["lat", "latitude"], "latitude")?;
        let lon_name = find(
            &self.longitude,
            &["lon", "lng", "long", "longitude"],
            "longitude",
        )?;
        let numbers = |name: &str| -> Result<Vec<f64>, String> {
            let column = frame.column(name).ok_or_else(|| {
                ChartError::UnknownColumn {
                    name: name.to_owned(),
                    known: frame.column_names().join(", "),
                }
                .to_string()
            })?;
            crate::data::series::column_numbers(name, column).map_err(|e| e.to_string())
        };
        let (lat, lon) = (numbers(&lat_name)?, numbers(&lon_name)?);
        if lat.len() > MAX_MAP_POINTS {
            return Err(format!(
                "{} points; a map shows at most {MAX_MAP_POINTS}",
                lat.len()
            ));
        }
        // Rows without a position are left out; positions must be on Earth.
        let mut keep = Vec::with_capacity(lat.len());
        for (row, (&la, &lo)) in lat.iter().zip(&lon).enumerate() {
            if la.is_nan() || lo.is_nan() {
                continue;
            }
            if !(-90.0..=90.0).contains(&la) || !(-180.0..=180.0).contains(&lo) {
                return Err(format!(
                    "row {row} is at latitude {la}, longitude {lo}: latitudes run from -90 to 90, longitudes from -180 to 180"
                ));
            }
            keep.push(row);
        }
        let sizes = match &self.size_by {
            None => None,
            Some(name) => {
                let values = numbers(name)?;
                Some(
                    keep.iter()
                        .map(|&r| {
                            let v = values[r];
                            if v.is_nan() {
                                0.0
                            } else {
                                v.abs() * self.size_scale
                            }
                        })
                        .collect::<Vec<f64>>(),
                )
            }
        };
        let (colors, color_of) = match (&self.color_by, &self.color) {
            (Some(name), _) => {
                let column = frame.column(name).ok_or_else(|| {
                    ChartError::UnknownColumn {
                        name: name.clone(),
                        known: frame.column_names().join(", "),
                    }
                    .to_string()
                })?;
                let texts = arrow_cast::cast(column, &arrow_schema::DataType::Utf8)
                    .map_err(|e| format!("column `{name}`: {e}"))?;
                let texts = arrow_array::cast::AsArray::as_string::<i32>(&texts);
                let mut distinct: Vec<String> = Vec::new();
                let mut of = Vec::with_capacity(keep.len());
                for &row in &keep {
                    let value = if texts.is_valid(row) {
                        texts.value(row)
                    } else {
                        ""
                    };
                    let at = match distinct.iter().position(|d| d == value) {
                        Some(at) => at,
                        None => {
                            if distinct.len() == usize::from(u16::MAX) {
                                return Err(format!(
                                    "column `{name}` has more than {} distinct colours",
                                    u16::MAX
                                ));
                            }
                            distinct.push(value.to_owned());
                            distinct.len() - 1
                        }
                    };
                    of.push(at as u16);
                }
                let all_css = distinct.iter().all(|d| is_css_color(d));
                let colors = if all_css {
                    distinct
                } else {
                    (0..distinct.len())
                        .map(|i| PALETTE[i % PALETTE.len()].to_owned())
                        .collect()
                };
                (colors, Some(of))
            }
            (None, Some(color)) => (vec![color.clone()], None),
            (None, None) => (Vec::new(), None),
        };
        if let Some(tiles) = &self.tiles {
            let url = &tiles.url;
            if !(url.starts_with("https://") || url.starts_with('/')) {
                return Err(format!(
                    "tile URL {url}: tiles come over HTTPS or from the app itself"
                ));
            }
            if !["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p)) {
                return Err(format!("tile URL {url}: it needs {{z}}, {{x}} and {{y}}"));
            }
        }
        let encode_f64 = |values: &mut dyn Iterator<Item = f64>| {
            let bytes: Vec<u8> = values.flat_map(f64::to_le_bytes).collect();
            base64::engine::general_purpose::STANDARD.encode(bytes)
        };
        Ok(MapChart {
            count: keep.len() as u32,
            lat: encode_f64(&mut keep.iter().map(|&r| lat[r])),
            lon: encode_f64(&mut keep.iter().map(|&r| lon[r])),
            sizes: sizes.map(|s| encode_f64(&mut s.into_iter())),
            radius: self.radius,
            colors,
            color_of: color_of.map(|of| {
                let bytes: Vec<u8> = of.into_iter().flat_map(u16::to_le_bytes).collect();
                base64::engine::general_purpose::STANDARD.encode(bytes)
            }),
            tiles: self.tiles.clone(),
            center: self.center,
            zoom: self.zoom,
            height: self.height,
            width: self.width,
        })
    }
}

/// Whether `text` reads as a CSS colour (hex or a colour function).
fn is_css_color(text: &str) -> bool {
    let hex = text.strip_prefix('#').is_some_and(|h| {
        matches!(h.len(), 3 | 4 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit())
    });
    hex || ["rgb(", "rgba(", "hsl(", "hsla("]
        .iter()
        .any(|f| text.starts_with(f) && text.ends_with(')') && text.len() < 64)
}

impl Widget for Map {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        match self.element() {
            Ok(map) => ui.draw(Element::Map(Box::new(map))).into(),
            Err(message) => {
                ui.show_error(&AppError::located(format!("map: {message}"), self.location));
                Drawn::from(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_is_laid_out_or_its_error_said() {
        let (svg, width, height) = graphviz_svg("digraph { a -> b; b -> c }").expect("lays out");
        assert!(svg.contains("<svg") && svg.contains(">b<"), "{svg:.300}");
        assert!(width > 0 && height > 0);
        let error = graphviz_svg("digraph { a -> ; }").expect_err("bad DOT");
        assert!(error.contains("does not parse"), "{error}");
        let huge = "a".repeat(MAX_DOT_BYTES + 1);
        assert!(graphviz_svg(&huge)
            .expect_err("too big")
            .contains("at most"));
    }

    #[test]
    fn css_colours_are_told_from_categories() {
        assert!(is_css_color("#fa0"));
        assert!(is_css_color("rgb(1, 2, 3)"));
        assert!(!is_css_color("north"));
        assert!(!is_css_color("#zzzzzz"));
    }
}
