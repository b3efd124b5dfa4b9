//! The simple charts: line, area, bar and scatter charts of a frame, drawn
//! on a canvas in the browser. The points stay on the server (`data::series`,
//! `data::m4`): the page asks for as many as it has pixels, and for finer
//! ones when the person zooms. Drawn plain a chart is an element; with
//! [`SimpleChart::on_select`] it is a widget whose value is the selection.

use std::panic::Location;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::Common;
use crate::data::series::{prepare, ChartData, ColorBy, SeriesOptions};
use crate::data::{ChartError, Frame, FrameError, IntoFrame};
use crate::protocol::{
    Chart, ChartMark, ChartPoint, ChartSelection as WireSelection, ChartSelectionValue, ChartStack,
    Element, SeriesSpec, WidgetKind,
};
use crate::run::AppError;
use crate::ui::{Ui, Widget};

/// Points a selection may hold (clicks with shift add points).
pub const MAX_SELECTED_POINTS: usize = 1_000;

impl Ui {
    /// A line chart of `data` (rows of a `Serialize` type, a [`Frame`], an
    /// Arrow batch, …): by default every numeric column over the row
    /// positions. See [`SimpleChart`] for the options (x and y columns,
    /// colours, stacking, selections, …).
    #[track_caller]
    pub fn line_chart(&self, data: impl IntoFrame) -> DrawnChart {
        self.add(SimpleChart::line(data))
    }

    /// An area chart of `data`: lines filled down to zero, several series
    /// stacked. See [`SimpleChart`].
    #[track_caller]
    pub fn area_chart(&self, data: impl IntoFrame) -> DrawnChart {
        self.add(SimpleChart::area(data))
    }

    /// A bar chart of `data`: several series stacked (or side by side with
    /// `.stack(Stack::None)`, along y with `.horizontal(true)`). See
    /// [`SimpleChart`].
    #[track_caller]
    pub fn bar_chart(&self, data: impl IntoFrame) -> DrawnChart {
        self.add(SimpleChart::bar(data))
    }

    /// A scatter chart of `data`: a dot per row, sized and coloured by
    /// columns if asked. See [`SimpleChart`].
    #[track_caller]
    pub fn scatter_chart(&self, data: impl IntoFrame) -> DrawnChart {
        self.add(SimpleChart::scatter(data))
    }
}

/// How the series of an area or bar chart sit on one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Stack {
    /// Each on top of the ones before it (the default of area and bar
    /// charts).
    #[default]
    Stacked,
    /// Each from zero: areas drawn over one another, bars side by side.
    None,
    /// Stacked, as shares of each x's total (0 to 1).
    Normalize,
}

/// What a chart's selection is made of: a click on a point, a dragged x
/// range, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChartSelectMode {
    /// A click selects the nearest point; shift-click adds points.
    Point,
    /// Dragging selects a range of x (a brush).
    Interval,
}

/// One or both [`ChartSelectMode`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChartSelectModes {
    point: bool,
    interval: bool,
}

impl From<ChartSelectMode> for ChartSelectModes {
    fn from(mode: ChartSelectMode) -> ChartSelectModes {
        ChartSelectModes::from([mode])
    }
}

impl<const N: usize> From<[ChartSelectMode; N]> for ChartSelectModes {
    fn from(modes: [ChartSelectMode; N]) -> ChartSelectModes {
        let mut out = ChartSelectModes::default();
        for mode in modes {
            match mode {
                ChartSelectMode::Point => out.point = true,
                ChartSelectMode::Interval => out.interval = true,
            }
        }
        out
    }
}

/// A line, area, bar or scatter chart of a frame; the short forms are
/// [`Ui::line_chart`], [`Ui::area_chart`], [`Ui::bar_chart`] and
/// [`Ui::scatter_chart`].
///
/// Which columns: [`x`](SimpleChart::x) (default: the row position),
/// [`y`](SimpleChart::y) (one or several; default: every other numeric
/// column), [`color_by`](SimpleChart::color_by) (a column whose values
/// split the rows into series — long-form data — or, on a scatter chart, a
/// numeric column that colours the dots) and [`size`](SimpleChart::size)
/// (scatter: dot sizes). A date or time column on x makes a time axis; a
/// text column makes categories, in the order they first appear.
///
/// How it looks: [`colors`](SimpleChart::colors) (fixed colours per series;
/// default the theme's colour-blind-safe palette),
/// [`x_label`](SimpleChart::x_label), [`y_label`](SimpleChart::y_label),
/// [`height`](SimpleChart::height), [`width`](SimpleChart::width),
/// [`stack`](SimpleChart::stack), [`horizontal`](SimpleChart::horizontal),
/// [`point_size`](SimpleChart::point_size), [`legend`](SimpleChart::legend).
///
/// Any size: the points stay on the server, and the page gets at most
/// four per pixel column (the first, smallest, largest and last: every peak
/// shows), then the points themselves as the person zooms in. Wheel to
/// zoom, shift-drag to pan, double-click to reset.
///
/// ```
/// use brooklet::prelude::*;
///
/// #[derive(serde::Serialize)]
/// struct Day {
///     day: u32,
///     visits: f64,
///     signups: f64,
/// }
///
/// fn app(ui: &Ui) {
///     let days: Vec<Day> = (0..90)
///         .map(|day| Day { day, visits: 100.0 + f64::from(day % 7) * 10.0, signups: f64::from(day % 5) })
///         .collect();
///     ui.add(SimpleChart::line(&days).x("day").y(["visits", "signups"]).y_label("per day"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # let chart = at.chart(0);
/// # assert_eq!(chart.series(), vec!["visits", "signups"]);
/// # assert_eq!(chart.rows(), 90);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct SimpleChart {
    frame: Result<Frame, FrameError>,
    options: SeriesOptions,
    x_label: Option<String>,
    y_label: Option<String>,
    height: u32,
    width: Option<u32>,
    horizontal: bool,
    point_size: Option<f64>,
    legend: Option<bool>,
    location: &'static Location<'static>,
}

impl SimpleChart {
    #[track_caller]
    fn new(mark: ChartMark, data: impl IntoFrame) -> SimpleChart {
        SimpleChart {
            frame: data.into_frame(),
            options: SeriesOptions {
                mark,
                x: None,
                y: Vec::new(),
                color: ColorBy::Palette,
                size: None,
                stack: match mark {
                    ChartMark::Area | ChartMark::Bar => ChartStack::Stacked,
                    _ => ChartStack::None,
                },
            },
            x_label: None,
            y_label: None,
            height: 320,
            width: None,
            horizontal: false,
            point_size: None,
            legend: None,
            location: Location::caller(),
        }
    }

    /// A line chart of `data`.
    #[track_caller]
    pub fn line(data: impl IntoFrame) -> SimpleChart {
        SimpleChart::new(ChartMark::Line, data)
    }
    /// An area chart of `data` (several series stacked).
    #[track_caller]
    pub fn area(data: impl IntoFrame) -> SimpleChart {
        SimpleChart::new(ChartMark::Area, data)
    }
    /// A bar chart of `data` (several series stacked).
    #[track_caller]
    pub fn bar(data: impl IntoFrame) -> SimpleChart {
        SimpleChart::new(ChartMark::Bar, data)
    }
    /// A scatter chart of `data`.
    #[track_caller]
    pub fn scatter(data: impl IntoFrame) -> SimpleChart {
        SimpleChart::new(ChartMark::Scatter, data)
    }

    /// The column on the x axis (numbers, dates and times, or text for
    /// categories); default: the row position.
    pub fn x(mut self, column: impl Into<String>) -> SimpleChart {
        self.options.x = Some(column.into());
        self
    }
    /// The column(s) on the y axis: one name, or several (`["a", "b"]`),
    /// each a series; default: every numeric column not used otherwise.
    pub fn y(mut self, columns: impl ColumnNames) -> SimpleChart {
        self.options.y = columns.names();
        self
    }
    /// Split the rows into one series per value of `column` (long-form
    /// data: one y column). On a scatter chart a numeric column colours
    /// the dots on a scale instead.
    pub fn color_by(mut self, column: impl Into<String>) -> SimpleChart {
        self.options.color = ColorBy::Column(column.into());
        self
    }
    /// Fixed CSS colours (`"#ff6600"`, `"teal"`), one per y column in
    /// order, or one for all.
    pub fn colors<S: Into<String>>(mut self, colors: impl IntoIterator<Item = S>) -> SimpleChart {
        self.options.color = ColorBy::Fixed(colors.into_iter().map(Into::into).collect());
        self
    }
    /// Scatter: each dot's size from this numeric column (smallest to
    /// largest value: 4 to 24 pixels across).
    pub fn size(mut self, column: impl Into<String>) -> SimpleChart {
        self.options.size = Some(column.into());
        self
    }
    /// Scatter: every dot this many pixels across (default 6).
    pub fn point_size(mut self, pixels: f64) -> SimpleChart {
        self.point_size = Some(pixels.clamp(1.0, 64.0));
        self
    }
    /// The x axis title (default: the x column's name).
    pub fn x_label(mut self, label: impl Into<String>) -> SimpleChart {
        self.x_label = Some(label.into());
        self
    }
    /// The y axis title (default: the y column's name, when there is one).
    pub fn y_label(mut self, label: impl Into<String>) -> SimpleChart {
        self.y_label = Some(label.into());
        self
    }
    /// Height in pixels (default 320).
    pub fn height(mut self, pixels: u32) -> SimpleChart {
        self.height = pixels.clamp(80, 4_000);
        self
    }
    /// Width in pixels; by default the container's width.
    pub fn width(mut self, pixels: u32) -> SimpleChart {
        self.width = Some(pixels.clamp(80, 8_000));
        self
    }
    /// Fill the container's width (the default), or keep
    /// [`width`](SimpleChart::width).
    pub fn use_container_width(mut self, fill: bool) -> SimpleChart {
        if fill {
            self.width = None;
        } else if self.width.is_none() {
            self.width = Some(640);
        }
        self
    }
    /// How several series of an area or bar chart sit (default
    /// [`Stack::Stacked`]; lines and dots never stack).
    pub fn stack(mut self, stack: Stack) -> SimpleChart {
        self.options.stack = match stack {
            Stack::Stacked => ChartStack::Stacked,
            Stack::None => ChartStack::None,
            Stack::Normalize => ChartStack::Normalize,
        };
        self
    }
    /// Bar charts: bars along y, from the left (categories down the side).
    pub fn horizontal(mut self, horizontal: bool) -> SimpleChart {
        self.horizontal = horizontal;
        self
    }
    /// Whether the legend shows (default: when there are several series).
    pub fn legend(mut self, show: bool) -> SimpleChart {
        self.legend = Some(show);
        self
    }
    /// Make points or x ranges selectable: the chart becomes a widget whose
    /// value is the [`ChartSelection`] (with the rows of the data it
    /// covers). A change reruns the app (or its fragment); add a callback
    /// with [`SelectableChart::on_change`].
    ///
    /// ```
    /// use brooklet::prelude::*;
    ///
    /// fn app(ui: &Ui) {
    ///     let prices = [3.0, 4.5, 4.0, 6.0, 5.5];
    ///     let picked = ui.add(SimpleChart::line(&prices).on_select(ChartSelectMode::Interval));
    ///     if let Some((from, to)) = picked.x {
    ///         ui.text(format!("Selected: {from}..{to}, {} rows", picked.rows.len()));
    ///     }
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # at.chart(0).select_x(1.0, 3.0).run().unwrap();
    /// # assert_eq!(at.text(), vec!["Selected: 1..3, 3 rows"]);
    /// ```
    pub fn on_select(self, modes: impl Into<ChartSelectModes>) -> SelectableChart {
        let modes = modes.into();
        SelectableChart {
            common: Common::new(self.options.mark.method()),
            chart: self,
            modes,
        }
    }
}

/// Column names: one (`"price"`) or several (`["open", "close"]`).
pub trait ColumnNames {
    /// The names.
    fn names(self) -> Vec<String>;
}

impl ColumnNames for &str {
    fn names(self) -> Vec<String> {
        vec![self.to_owned()]
    }
}

impl ColumnNames for String {
    fn names(self) -> Vec<String> {
        vec![self]
    }
}

impl<S: Into<String>, const N: usize> ColumnNames for [S; N] {
    fn names(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Into<String>> ColumnNames for Vec<S> {
    fn names(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

/// A point of a chart's selection.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectedPoint {
    /// Its x (seconds since 1970 on a time axis, the position on a
    /// category axis).
    pub x: f64,
    /// Its y as drawn (stacked charts: the top of its band).
    pub y: f64,
    /// The name of its series.
    pub series: String,
}

/// What is selected in a chart: a range of x, points, and the rows of
/// the data they cover.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartSelection {
    /// The brushed range of x, low to high (seconds since 1970 on a time
    /// axis, positions on a category axis).
    pub x: Option<(f64, f64)>,
    /// The clicked points.
    pub points: Vec<SelectedPoint>,
    /// The rows of the data inside the range or at the points, ascending.
    pub rows: Vec<usize>,
}

impl ChartSelection {
    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.x.is_none() && self.points.is_empty()
    }
}

/// A chart whose points or ranges can be selected; made by
/// [`SimpleChart::on_select`]. [`Ui::add`] returns its [`ChartSelection`].
/// The selection survives reruns that show the same data.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct SelectableChart {
    chart: SimpleChart,
    modes: ChartSelectModes,
    common: Common,
}

impl SelectableChart {
    /// Identify the selection by this key (needed for two selectable
    /// charts of the same kind and data), and mirror it in session state.
    pub fn key(mut self, key: impl Into<String>) -> SelectableChart {
        self.common.key = Some(key.into());
        self
    }
}

on_change_option!(SelectableChart);

/// What the chart functions return: whether the chart was drawn, and
/// [`add_rows`](DrawnChart::add_rows) to append rows (a live feed).
#[derive(Debug, Clone)]
pub struct DrawnChart {
    live: Option<Live>,
}

#[derive(Debug, Clone)]
struct Live {
    /// Draws over the chart's element.
    slot: Ui,
    element: Chart,
    key: String,
}

impl DrawnChart {
    /// Whether the chart is on its way to the page.
    pub fn is_drawn(&self) -> bool {
        self.live.is_some()
    }

    /// Append rows (with the chart's columns). When x keeps ascending, the
    /// page fetches only the new points; the series is never sent again.
    /// Works while the run that drew the chart goes on (from the run or a
    /// worker it spawned).
    ///
    /// ```
    /// use brooklet::prelude::*;
    ///
    /// fn app(ui: &Ui) {
    ///     let mut feed = ui.line_chart(&[1.0, 2.0]);
    ///     for v in [3.0, 5.0, 4.0] {
    ///         feed.add_rows(&[v]).unwrap();
    ///     }
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert_eq!(at.chart(0).rows(), 5);
    /// ```
    pub fn add_rows(&mut self, rows: impl IntoFrame) -> Result<(), ChartError> {
        let Some(live) = &mut self.live else {
            return Err(ChartError::Options("the chart was not drawn".into()));
        };
        let gone = || ChartError::Options("the chart is no longer on the page".into());
        let Some(session) = live.slot.session() else {
            return Err(ChartError::Options(
                "the run that drew the chart has ended".into(),
            ));
        };
        let current = session.chart(&live.key).ok_or_else(gone)?;
        let more = rows
            .into_frame_like(&current.frame)
            .map_err(|e| ChartError::Data(e.to_string()))?;
        let data = loop {
            let current = session.chart(&live.key).ok_or_else(gone)?;
            let frame = current
                .frame
                .concat(&more)
                .map_err(|e| ChartError::Data(e.to_string()))?;
            let mut data = prepare(&frame, &current.options)?;
            // The chart keeps its identity (and its place in the registry).
            if data.key != live.key {
                let mut owned = (*data).clone();
                owned.key = live.key.clone();
                data = Arc::new(owned);
            }
            match session.swap_chart(&live.key, &current, data.clone()) {
                None => return Err(gone()),
                Some(false) => {}
                Some(true) => break data,
            }
        };
        live.element.rows = data.len() as u64;
        live.element.x.min = data.x_axis.min;
        live.element.x.max = data.x_axis.max;
        live.element.x.categories = data.x_axis.categories.clone();
        live.element.y.min = data.y_axis.min;
        live.element.y.max = data.y_axis.max;
        live.slot
            .draw(Element::Chart(Box::new(live.element.clone())));
        Ok(())
    }
}

impl Widget for SimpleChart {
    type Output = DrawnChart;
    fn add_to(self, ui: &Ui) -> DrawnChart {
        let Some(data) = prepared(ui, &self) else {
            return DrawnChart { live: None };
        };
        let Some(element) = chart_element(ui, &self, &data, None) else {
            return DrawnChart { live: None };
        };
        match ui.draw(Element::Chart(Box::new(element.clone()))) {
            Some(path) => DrawnChart {
                live: Some(Live {
                    slot: ui.slot(path),
                    element,
                    key: data.key.clone(),
                }),
            },
            None => DrawnChart { live: None },
        }
    }
}

impl Widget for SelectableChart {
    type Output = ChartSelection;
    fn add_to(self, ui: &Ui) -> ChartSelection {
        let Some(data) = prepared(ui, &self.chart) else {
            return ChartSelection::default();
        };
        let modes = self.modes;
        let id = self
            .common
            .id(WidgetKind::Chart)
            .with(&data.key)
            .with(format!("{}{}", modes.point, modes.interval))
            .finish();
        let series = data.names.len();
        let decode = move |raw: &Value| decode_selection(raw, modes, series);
        let identity = self.common.identity(WidgetKind::Chart, id).with_state(
            |value: &ChartSelectionValue| value.clone(),
            move |value| decode_selection(&encode_selection(value), modes, series),
        );
        let chart = &self.chart;
        let value = ui.widget(
            identity,
            ChartSelectionValue::default(),
            decode,
            encode_selection,
            |base, value| {
                let selection = WireSelection {
                    id: base.id,
                    point: modes.point,
                    interval: modes.interval,
                    value: value.clone(),
                };
                match chart_element(ui, chart, &data, Some(selection)) {
                    Some(element) => Element::Chart(Box::new(element)),
                    None => Element::Empty,
                }
            },
        );
        selection_of(&data, &value)
    }
}

/// The chart's data prepared, or the reason it cannot be, shown in its
/// place (with the line that drew it).
fn prepared(ui: &Ui, chart: &SimpleChart) -> Option<Arc<ChartData>> {
    let method = chart.options.mark.method();
    let result = chart
        .frame
        .as_ref()
        .map_err(|e| e.to_string())
        .and_then(|frame| prepare(frame, &chart.options).map_err(|e| e.to_string()));
    match result {
        Ok(data) => Some(data),
        Err(message) => {
            ui.show_error(&AppError {
                message: format!("{method}: {message}"),
                location: Some(chart.location.to_string()),
                detail: None,
            });
            None
        }
    }
}

/// The chart's element, with its data registered for this session's
/// points requests.
fn chart_element(
    ui: &Ui,
    chart: &SimpleChart,
    data: &Arc<ChartData>,
    selection: Option<WireSelection>,
) -> Option<Chart> {
    let session = ui.session()?;
    let key = data.key.clone();
    ui.run()
        .with_drawn(|drawn| drawn.charts.insert(key.clone()));
    let url = session.show_chart(data.clone());
    let mut x = data.x_axis.clone();
    let mut y = data.y_axis.clone();
    if let Some(label) = &chart.x_label {
        x.title = label.clone();
    }
    if let Some(label) = &chart.y_label {
        y.title = label.clone();
    }
    let series: Vec<SeriesSpec> = data
        .names
        .iter()
        .zip(&data.colors)
        .map(|(name, color)| SeriesSpec {
            name: name.clone(),
            color: color.clone(),
        })
        .collect();
    let stack = match chart.options.mark {
        ChartMark::Area | ChartMark::Bar => chart.options.stack,
        _ => ChartStack::None,
    };
    Some(Chart {
        chart: key,
        mark: chart.options.mark,
        data: url,
        rows: data.len() as u64,
        x,
        y,
        legend: chart
            .legend
            .unwrap_or(series.len() > 1 || data.color.is_some()),
        series,
        stack,
        horizontal: chart.horizontal && chart.options.mark == ChartMark::Bar,
        height: chart.height,
        width: chart.width,
        size: data.size.clone(),
        color: data.color.clone(),
        point_size: chart.point_size,
        selection,
    })
}

/// The selection the browser sent, checked: a finite range low to high,
/// points of series that exist, no more than the chart allows.
fn decode_selection(
    raw: &Value,
    modes: ChartSelectModes,
    series: usize,
) -> Option<ChartSelectionValue> {
    let value = ChartSelectionValue::deserialize(raw).ok()?;
    let x = match value.x {
        Some([lo, hi]) if modes.interval => {
            if !lo.is_finite() || !hi.is_finite() {
                return None;
            }
            Some([lo.min(hi), lo.max(hi)])
        }
        _ => None,
    };
    let points: Vec<ChartPoint> = if modes.point {
        value.points
    } else {
        Vec::new()
    };
    if points.len() > MAX_SELECTED_POINTS
        || points
            .iter()
            .any(|p| !p.x.is_finite() || !p.y.is_finite() || p.series as usize >= series)
    {
        return None;
    }
    Some(ChartSelectionValue { x, points })
}

fn encode_selection(value: &ChartSelectionValue) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The selection as the run reads it: series by name, and the rows.
fn selection_of(data: &ChartData, value: &ChartSelectionValue) -> ChartSelection {
    let mut rows: Vec<usize> = Vec::new();
    if let Some([lo, hi]) = value.x {
        rows.extend(data.rows_in(lo, hi));
    }
    for point in &value.points {
        rows.extend(data.rows_at(point.x, point.series as usize));
    }
    rows.sort_unstable();
    rows.dedup();
    ChartSelection {
        x: value.x.map(|[lo, hi]| (lo, hi)),
        points: value
            .points
            .iter()
            .map(|p| SelectedPoint {
                x: p.x,
                y: p.y,
                series: data
                    .names
                    .get(p.series as usize)
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_from_the_page_are_checked() {
        let both = ChartSelectModes::from([ChartSelectMode::Point, ChartSelectMode::Interval]);
        let ok = decode_selection(&serde_json::json!({"x": [3.0, 1.0]}), both, 1).expect("valid");
        assert_eq!(ok.x, Some([1.0, 3.0]));
        let point = serde_json::json!({"points": [{"x": 1.0, "y": 2.0, "series": 0}]});
        assert_eq!(
            decode_selection(&point, both, 1)
                .expect("valid")
                .points
                .len(),
            1
        );
        // A series that does not exist, a point without a number, junk.
        let wrong_series = serde_json::json!({"points": [{"x": 1.0, "y": 2.0, "series": 3}]});
        assert!(decode_selection(&wrong_series, both, 1).is_none());
        assert!(decode_selection(&serde_json::json!({"x": ["a", 1]}), both, 1).is_none());
        assert!(decode_selection(&serde_json::json!(7), both, 1).is_none());
        // A range on a chart that only selects points is dropped.
        let points_only = ChartSelectModes::from(ChartSelectMode::Point);
        let range = decode_selection(&serde_json::json!({"x": [1.0, 2.0]}), points_only, 1);
        assert_eq!(range.expect("valid").x, None);
    }
}
