//! [`AppTest`] accessors for charts: read what a chart draws, fetch its
//! points as the browser does, and select on it.

use serde_json::Value;

use super::{AppTest, WidgetRef};
use crate::data::m4::{points, PointsRequest, FLAG_AGGREGATED};
use crate::protocol::{
    Chart, ChartAxis, ChartMark, ChartSelectionValue, Element, MapChart, PlotlyChart, SvgChart,
    VegaLiteChart,
};

impl AppTest {
    /// The `index`-th simple chart on the page (line, area, bar or
    /// scatter; counting from 0, main area first): read its series and
    /// axes, fetch its points as the browser does, and select on it.
    ///
    /// # Panics
    /// When the page has fewer simple charts.
    pub fn chart(&mut self, index: usize) -> ChartRef<'_> {
        let found = self.nth_found(index, "simple chart", |el| matches!(el, Element::Chart(_)));
        ChartRef {
            widget: self.widget_ref(found),
        }
    }

    /// The `index`-th Vega-Lite chart on the page.
    ///
    /// # Panics
    /// When the page has fewer.
    pub fn vega_lite_chart(&mut self, index: usize) -> VegaRef<'_> {
        let found = self.nth_found(index, "Vega-Lite chart", |el| {
            matches!(el, Element::VegaLiteChart(_))
        });
        VegaRef {
            widget: self.widget_ref(found),
        }
    }

    /// The `index`-th plotly chart on the page.
    ///
    /// # Panics
    /// When the page has fewer.
    pub fn plotly_chart(&self, index: usize) -> PlotlyChart {
        match self.nth_element(index, "plotly chart", |el| {
            matches!(el, Element::PlotlyChart(_))
        }) {
            Element::PlotlyChart(chart) => *chart,
            _ => unreachable!("matched above"),
        }
    }

    /// The `index`-th picture drawn on the server (`ui.plotters`,
    /// `ui.graphviz_chart`) on the page.
    ///
    /// # Panics
    /// When the page has fewer.
    pub fn svg_chart(&self, index: usize) -> SvgChart {
        match self.nth_element(index, "SVG chart", |el| matches!(el, Element::SvgChart(_))) {
            Element::SvgChart(chart) => *chart,
            _ => unreachable!("matched above"),
        }
    }

    /// The `index`-th map on the page.
    ///
    /// # Panics
    /// When the page has fewer.
    pub fn map(&self, index: usize) -> MapChart {
        match self.nth_element(index, "map", |el| matches!(el, Element::Map(_))) {
            Element::Map(map) => *map,
            _ => unreachable!("matched above"),
        }
    }

    pub(super) fn nth_found(
        &self,
        index: usize,
        what: &str,
        matches: impl Fn(&Element) -> bool,
    ) -> super::Found {
        let mut all = self.find_all(matches);
        let count = all.len();
        if index >= count {
            panic!("there is no {what} {index}; the page has {count}");
        }
        all.swap_remove(index)
    }

    pub(super) fn nth_element(
        &self,
        index: usize,
        what: &str,
        matches: impl Fn(&Element) -> bool,
    ) -> Element {
        self.nth_found(index, what, matches).el
    }
}

/// The points of a simple chart as the server sends them to the browser.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoints {
    /// Whether these are per-pixel summaries (first, min, max, last)
    /// rather than every point.
    pub aggregated: bool,
    /// The data rows the points stand for.
    pub rows: u64,
    /// x of each point.
    pub x: Vec<f64>,
    /// y of each series at each point (NaN: no value).
    pub ys: Vec<Vec<f64>>,
}

/// A simple chart on an [`AppTest`] page; see [`AppTest::chart`].
#[derive(Debug)]
pub struct ChartRef<'a> {
    widget: WidgetRef<'a>,
}

impl<'a> ChartRef<'a> {
    /// The chart as the page received it.
    pub fn element(&self) -> &Chart {
        match &self.widget.el {
            Element::Chart(chart) => chart,
            _ => unreachable!("a ChartRef is made for simple charts only"),
        }
    }

    /// Line, area, bar or scatter.
    pub fn mark(&self) -> ChartMark {
        self.element().mark
    }

    /// The series' names, in order.
    pub fn series(&self) -> Vec<String> {
        self.element()
            .series
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// Points in the chart's data (after a split by colour: distinct x).
    pub fn rows(&self) -> u64 {
        self.element().rows
    }

    /// The x axis.
    pub fn x_axis(&self) -> &ChartAxis {
        &self.element().x
    }

    /// The y axis.
    pub fn y_axis(&self) -> &ChartAxis {
        &self.element().y
    }

    /// The points of the whole range at `px` pixel columns, as the server
    /// answers the browser.
    ///
    /// # Panics
    /// When the session no longer shows the chart.
    pub fn points(&self, px: u32) -> ChartPoints {
        self.fetch(PointsRequest::Range {
            x0: None,
            x1: None,
            px,
        })
    }

    /// The points between `x0` and `x1` (a zoom) at `px` pixel columns.
    ///
    /// # Panics
    /// When the session no longer shows the chart.
    pub fn points_in(&self, x0: f64, x1: f64, px: u32) -> ChartPoints {
        self.fetch(PointsRequest::Range {
            x0: Some(x0),
            x1: Some(x1),
            px,
        })
    }

    fn fetch(&self, request: PointsRequest) -> ChartPoints {
        let key = &self.element().chart;
        let data = self
            .widget
            .at
            .session
            .context()
            .chart(key)
            .unwrap_or_else(|| panic!("the session no longer shows the chart {key}"));
        let p = points(&data, request);
        ChartPoints {
            aggregated: p.flags & FLAG_AGGREGATED != 0,
            rows: p.rows,
            x: p.x,
            ys: p.ys,
        }
    }

    /// What is selected, as the page shows it (`None`: no selection).
    pub fn selection(&self) -> Option<&ChartSelectionValue> {
        self.element().selection.as_ref().map(|s| &s.value)
    }

    /// Brush the range `lo..=hi` of x; takes effect at the next run.
    ///
    /// # Panics
    /// When the chart has no selection.
    pub fn select_x(self, lo: f64, hi: f64) -> &'a mut AppTest {
        self.selection_or_panic();
        self.widget.set_value(serde_json::json!({ "x": [lo, hi] }))
    }

    /// Click these points: (x, y, series name).
    ///
    /// # Panics
    /// When the chart has no selection or no such series.
    pub fn select_points(self, points: &[(f64, f64, &str)]) -> &'a mut AppTest {
        self.selection_or_panic();
        let names = self.series();
        let points: Vec<Value> = points
            .iter()
            .map(|(x, y, series)| {
                let at = names
                    .iter()
                    .position(|n| n == series)
                    .unwrap_or_else(|| panic!("no series {series:?} (there are {names:?})"));
                serde_json::json!({ "x": x, "y": y, "series": at })
            })
            .collect();
        self.widget
            .set_value(serde_json::json!({ "points": points }))
    }

    /// Clear the selection (a click on empty space).
    pub fn clear_selection(self) -> &'a mut AppTest {
        self.selection_or_panic();
        self.widget.set_value(serde_json::json!({}))
    }

    fn selection_or_panic(&self) {
        if self.selection().is_none() {
            panic!("this chart has no selection (use `on_select`)");
        }
    }
}

/// A Vega-Lite chart on an [`AppTest`] page; see [`AppTest::vega_lite_chart`].
#[derive(Debug)]
pub struct VegaRef<'a> {
    widget: WidgetRef<'a>,
}

impl<'a> VegaRef<'a> {
    /// The chart as the page received it.
    pub fn element(&self) -> &VegaLiteChart {
        match &self.widget.el {
            Element::VegaLiteChart(chart) => chart,
            _ => unreachable!("a VegaRef is made for Vega-Lite charts only"),
        }
    }

    /// The spec as sent (with `data` pointing at the rows' URL).
    pub fn spec(&self) -> &Value {
        &self.element().spec
    }

    /// The rows the chart draws, as the browser fetches them.
    pub fn data(&self) -> Option<Value> {
        let url = self.element().data.as_ref()?;
        let id = url.rsplit('/').next()?;
        let owner = url.rsplit('/').nth(1)?;
        let context = self.widget.at.session.context();
        let payload = context.shared().payloads.get(owner, id).ok()?;
        serde_json::from_slice(&payload.bytes).ok()
    }

    /// Set the value of the selection parameter `param` as Vega reports
    /// it (`{"field": [lo, hi]}` for an interval, `{"field": [values]}`
    /// for points); takes effect at the next run.
    ///
    /// # Panics
    /// When the chart has no selection.
    pub fn select(self, param: &str, value: Value) -> &'a mut AppTest {
        let Some(selection) = &self.element().selection else {
            panic!("this chart has no selection (use `on_select`)");
        };
        let mut all = selection.value.clone();
        all.insert(param.to_owned(), value);
        self.widget.set_value(Value::Object(all))
    }
}
