//! Data elements: JSON, metrics and static tables (the dataframe is in
//! `ui/widgets/dataframe.rs`: with a selection it is a widget).

use std::fmt::Display;

use serde::Serialize;
use serde_json::Value;

use crate::data::columns::resolve_for;
use crate::data::view::FrameView;
use crate::data::{Column, Frame, FrameError, IntoFrame, Number, NumberFormat};
use crate::protocol::{ChartType, DeltaColor, Element};
use crate::run::AppError;
use crate::ui::{Drawn, Ui, Widget};

impl Ui {
    /// Any `Serialize` value as collapsible, pretty-printed JSON.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Drawn {
        self.add(Json::new(value))
    }

    /// A big number with a label; see [`Metric`] for the delta.
    pub fn metric(&self, label: impl Into<String>, value: impl Display) -> Drawn {
        self.add(Metric::new(label, value))
    }

    /// A static table of every row (of a `Serialize` type: structs become
    /// columns by field name; or a [`Frame`](crate::data::Frame)); see
    /// [`Table`].
    pub fn table(&self, data: impl IntoFrame) -> DrawnTable {
        self.add(Table::new(data))
    }
}

/// Pretty-printed, collapsible JSON of any `Serialize` value; the short
/// form is [`Ui::json`].
///
/// Options: [`expanded`](Json::expanded) (whether it starts open; default
/// true), [`expand_depth`](Json::expand_depth) (how many levels start open).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     ui.json(&["fjord", "capital"]);
///     let city = serde_json::json!({ "name": "Oslo", "people": 709_000 });
///     ui.add(Json::new(&city).expanded(false));
///     ui.add(Json::new(&city).expand_depth(1)); // the top level open only
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.elements().iter().filter(|el| el.kind() == "json").count(), 3);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Json {
    value: Result<Value, String>,
    expanded: bool,
    depth: Option<u32>,
}

impl Json {
    /// JSON of `value`.
    pub fn new<T: Serialize + ?Sized>(value: &T) -> Json {
        Json {
            value: serde_json::to_value(value).map_err(|e| e.to_string()),
            expanded: true,
            depth: None,
        }
    }
    /// Whether it starts expanded (default true).
    pub fn expanded(mut self, expanded: bool) -> Json {
        self.expanded = expanded;
        self
    }
    /// Start with this many levels open (0: closed; 1: the top level
    /// open, the values inside it closed; …), like Streamlit's
    /// `expanded=2`.
    pub fn expand_depth(mut self, depth: u32) -> Json {
        self.expanded = depth > 0;
        self.depth = Some(depth);
        self
    }
}

impl Widget for Json {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        match self.value {
            Ok(value) => ui
                .draw(Element::Json {
                    value,
                    expanded: self.expanded,
                    depth: self.depth,
                })
                .into(),
            Err(error) => ui
                .show_error(&AppError::message(format!(
                    "json: the value could not be serialized: {error}"
                )))
                .into(),
        }
    }
}

/// A metric: a label, a big value and, optionally, its change; the short
/// form is [`Ui::metric`].
///
/// Options: [`delta`](Metric::delta) (the change; text starting with `-`
/// is a decrease), [`delta_color`](Metric::delta_color) (`Normal`: an
/// increase is green; `Inverse`: an increase is red; `Off`: grey),
/// [`format`](Metric::format) (a [`NumberFormat`](crate::data::NumberFormat)
/// for a numeric value and delta, shared with dataframes and tables),
/// [`border`](Metric::border), [`chart`](Metric::chart) (recent values as
/// a small chart; [`chart_type`](Metric::chart_type) line, bar or area),
/// [`help`](Metric::help) (a tooltip).
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::protocol::{ChartType, DeltaColor};
///
/// fn app(ui: &Ui) {
///     ui.metric("Users", 1_204);
///     ui.add(Metric::new("Revenue", "$1.2M").delta("+4%"));
///     ui.add(
///         Metric::new("Latency", "212 ms")
///             .delta("-18 ms")
///             .delta_color(DeltaColor::Inverse) // lower is better: green
///             .help("95th percentile, last hour"),
///     );
///     ui.add(
///         Metric::new("Sales", 1234.5)
///             .delta(-52.25)
///             .format("dollar")
///             .border(true)
///             .chart([1100.0, 1180.0, 1290.0, 1234.5])
///             .chart_type(ChartType::Area),
///     );
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # use brooklet::protocol::Element;
/// # let metrics: Vec<_> = at.elements().into_iter().filter(|el| el.kind() == "metric").collect();
/// # assert_eq!(metrics.len(), 4);
/// # let Element::Metric { value, delta, border, .. } = metrics[3] else { panic!() };
/// # assert_eq!((value.as_str(), delta.as_deref(), *border), ("$1,234.50", Some("-$52.25"), true));
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Metric {
    label: String,
    value: String,
    delta: Option<String>,
    delta_color: DeltaColor,
    help: Option<String>,
    format: Option<String>,
    border: bool,
    chart: Option<Vec<f64>>,
    chart_type: ChartType,
}

impl Metric {
    /// A metric showing `value` under `label`.
    pub fn new(label: impl Into<String>, value: impl Display) -> Metric {
        Metric {
            label: label.into(),
            value: value.to_string(),
            delta: None,
            delta_color: DeltaColor::Normal,
            help: None,
            format: None,
            border: false,
            chart: None,
            chart_type: ChartType::Line,
        }
    }
    /// The change to show; text starting with `-` counts as a decrease.
    pub fn delta(mut self, delta: impl Display) -> Metric {
        self.delta = Some(delta.to_string());
        self
    }
    /// How the delta is coloured.
    pub fn delta_color(mut self, color: DeltaColor) -> Metric {
        self.delta_color = color;
        self
    }
    /// A tooltip.
    pub fn help(mut self, help: impl Into<String>) -> Metric {
        self.help = Some(help.into());
        self
    }
    /// Format the value and the delta, which must then be numbers, with
    /// a [`NumberFormat`](crate::data::NumberFormat) name or `printf`
    /// pattern (`"dollar"`, `"percent"`, `"%.1f ms"`, …).
    pub fn format(mut self, format: impl Into<String>) -> Metric {
        self.format = Some(format.into());
        self
    }
    /// Draw a border around the metric.
    pub fn border(mut self, border: bool) -> Metric {
        self.border = border;
        self
    }
    /// Recent values, oldest first, drawn as a small chart under the value
    /// (non-finite values are left out).
    pub fn chart(mut self, values: impl IntoIterator<Item = f64>) -> Metric {
        self.chart = Some(values.into_iter().filter(|v| v.is_finite()).collect());
        self
    }
    /// How [`chart`](Metric::chart) is drawn (default: a line).
    pub fn chart_type(mut self, chart_type: ChartType) -> Metric {
        self.chart_type = chart_type;
        self
    }
}

/// `text` read as a number, for a format.
fn as_number(text: &str) -> Option<Number> {
    let text = text.trim();
    text.parse::<i64>()
        .map(Number::Int)
        .or_else(|_| text.parse::<u64>().map(Number::UInt))
        .or_else(|_| text.parse::<f64>().map(Number::Float))
        .ok()
}

impl Widget for Metric {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let (mut value, mut delta) = (self.value, self.delta);
        if let Some(format) = &self.format {
            let formatted = NumberFormat::parse(format)
                .map_err(|e| e.to_string())
                .and_then(|f| {
                    let number =
                        |text: &str| {
                            as_number(text).map(|n| f.format(n)).ok_or_else(|| {
                        format!("`{text}` is not a number, so the format `{format}` cannot show it")
                    })
                        };
                    Ok((number(&value)?, delta.as_deref().map(number).transpose()?))
                });
            match formatted {
                Ok((v, d)) => (value, delta) = (v, d),
                Err(error) => {
                    return ui
                        .show_error(&AppError::message(format!(
                            "metric `{}`: {error}",
                            self.label
                        )))
                        .into()
                }
            }
        }
        ui.draw(Element::Metric {
            label: self.label,
            value,
            delta,
            delta_color: self.delta_color,
            help: self.help,
            border: self.border,
            chart: self.chart,
            chart_type: self.chart_type,
        })
        .into()
    }
}

/// Most rows of a static table: more belong in a dataframe.
pub const MAX_TABLE_ROWS: usize = 10_000;

/// A static table of every row, formatted like a dataframe's cells; the
/// short form is [`Ui::table`]. Data as for a
/// [`Dataframe`](crate::ui::widgets::Dataframe): rows of any `Serialize`
/// type (a struct's fields are its columns), a
/// [`Frame`](crate::data::Frame) or an Arrow batch. At most
/// [`MAX_TABLE_ROWS`] rows; for more, or for sorting, scrolling and
/// selection, use a dataframe.
///
/// Options: [`column`](Table::column), a
/// [`Column`](crate::data::Column) configuration as for a dataframe
/// (label, number format, …).
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::data::Column;
///
/// #[derive(serde::Serialize)]
/// struct City {
///     name: &'static str,
///     people: u32,
///     growth: f64,
/// }
///
/// fn app(ui: &Ui) {
///     let rows = [
///         City { name: "Oslo", people: 709_000, growth: 0.012 },
///         City { name: "Lima", people: 10_092_000, growth: 0.0175 },
///     ];
///     ui.table(&rows);
///     ui.add(
///         Table::new(&rows)
///             .column("people", Column::number().format("localized"))
///             .column("growth", Column::number().format("percent").label("Growth")),
///     );
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # use brooklet::protocol::Element;
/// # let Element::Table { columns, rows, .. } = at.elements()[1] else { panic!("a table") };
/// # assert_eq!(columns, &["name", "people", "Growth"]);
/// # assert_eq!(rows[1][1], "10,092,000");
/// # assert_eq!(rows[1][2], "1.75%");
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Table {
    frame: Result<Frame, FrameError>,
    columns: Vec<(String, Column)>,
}

impl Table {
    /// A table of `data`.
    pub fn new(data: impl IntoFrame) -> Table {
        Table {
            frame: data.into_frame(),
            columns: Vec::new(),
        }
    }
    /// How the column `name` shows: a [`Column`], or just its label.
    pub fn column(mut self, name: impl Into<String>, config: impl Into<Column>) -> Table {
        self.columns.push((name.into(), config.into()));
        self
    }
}

fn too_many(rows: usize) -> FrameError {
    FrameError::Request(format!(
        "{rows} rows are too many for a static table (at most {MAX_TABLE_ROWS}); \
         show them in a dataframe"
    ))
}

impl Widget for Table {
    type Output = DrawnTable;
    fn add_to(self, ui: &Ui) -> DrawnTable {
        let table = self.frame.and_then(|frame| {
            if frame.num_rows() > MAX_TABLE_ROWS {
                return Err(too_many(frame.num_rows()));
            }
            let resolved = resolve_for(&frame, &self.columns, None, true, false)?;
            let view = FrameView {
                frame,
                columns: resolved.columns,
                key: resolved.key,
            };
            let index: Vec<u64> = (0..view.frame.num_rows() as u64).collect();
            let element = Element::Table {
                columns: resolved.specs.iter().map(|c| c.label.clone()).collect(),
                kinds: resolved.specs.iter().map(|c| c.kind).collect(),
                align: resolved.specs.iter().map(|c| c.align).collect(),
                rows: view.cells(&index),
            };
            Ok((element, view))
        });
        match table {
            Ok((element, view)) => DrawnTable {
                live: ui.draw(element).map(|path| TableLive {
                    ui: ui.clone(),
                    path,
                    rows: view.frame.num_rows(),
                    view,
                }),
            },
            Err(error) => {
                ui.show_error(&AppError::message(format!("table: {error}")));
                DrawnTable { live: None }
            }
        }
    }
}

/// What [`Ui::table`] returns: whether it was drawn, and
/// [`add_rows`](DrawnTable::add_rows) to append rows while the run goes on.
#[derive(Debug, Clone)]
pub struct DrawnTable {
    live: Option<TableLive>,
}

#[derive(Debug, Clone)]
struct TableLive {
    ui: Ui,
    path: crate::protocol::Path,
    /// The table's columns and first frame (new rows are converted like it).
    view: FrameView,
    /// Rows shown so far (by this handle).
    rows: usize,
}

impl DrawnTable {
    /// Whether the table is on its way to the page.
    pub fn is_drawn(&self) -> bool {
        self.live.is_some()
    }

    /// `Ok(())` when drawn, `Err(Error::RunEnded)` when the run had ended.
    pub fn result(&self) -> Result<(), crate::Error> {
        Drawn::from(self.live.as_ref().map(|live| live.path.clone())).result()
    }

    /// Append rows (with the table's columns), formatted like the others:
    /// only the new rows travel to the page. Works while the run that drew
    /// the table goes on (from the run or a worker it spawned); at most
    /// [`MAX_TABLE_ROWS`] rows in all.
    ///
    /// ```
    /// use brooklet::prelude::*;
    ///
    /// fn app(ui: &Ui) {
    ///     let mut log = ui.table(&[("start", 0.0)]);
    ///     for step in 1..=3 {
    ///         log.add_rows(&[("step", f64::from(step) / 2.0)]).unwrap();
    ///     }
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # use brooklet::protocol::Element;
    /// # let Element::Table { rows, .. } = at.elements()[0] else { panic!() };
    /// # assert_eq!(rows.len(), 4);
    /// # assert_eq!(rows[3][1], "1.5");
    /// ```
    pub fn add_rows(&mut self, rows: impl IntoFrame) -> Result<(), FrameError> {
        let Some(live) = &mut self.live else {
            return Err(FrameError::Request("the table was not drawn".into()));
        };
        let more = rows.into_frame_like(&live.view.frame)?;
        if more.schema().fields() != live.view.frame.schema().fields() {
            return Err(FrameError::Schema {
                expected: live.view.frame.column_names().join(", "),
                found: more.column_names().join(", "),
            });
        }
        if live.rows + more.num_rows() > MAX_TABLE_ROWS {
            return Err(too_many(live.rows + more.num_rows()));
        }
        let view = FrameView {
            frame: more,
            ..live.view.clone()
        };
        let index: Vec<u64> = (0..view.frame.num_rows() as u64).collect();
        let count = index.len();
        if !live.ui.add_table_rows(&live.path, view.cells(&index)) {
            return Err(FrameError::Request(
                "the run that drew the table has ended".into(),
            ));
        }
        live.rows += count;
        Ok(())
    }
}
