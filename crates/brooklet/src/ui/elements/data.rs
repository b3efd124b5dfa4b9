//! Data elements: JSON, metrics, static tables and dataframes.

use std::fmt::Display;

use serde::Serialize;
use serde_json::Value;

use crate::protocol::{DeltaColor, Element};
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

    /// A static table of rows (structs become columns by field name).
    pub fn table<T: Serialize>(&self, rows: &[T]) -> Drawn {
        self.add(Table::new(rows))
    }

    /// An interactive table: sortable, scrollable, drawing only the rows in
    /// view, so 100,000 rows stay smooth. See [`Dataframe`] for the height.
    pub fn dataframe<T: Serialize>(&self, rows: &[T]) -> Drawn {
        self.add(Dataframe::new(rows))
    }
}

/// Pretty-printed, collapsible JSON of any `Serialize` value; the short
/// form is [`Ui::json`].
///
/// Options: [`expanded`](Json::expanded) (whether it starts open; default
/// true).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     ui.json(&["fjord", "capital"]);
///     let city = serde_json::json!({ "name": "Oslo", "people": 709_000 });
///     ui.add(Json::new(&city).expanded(false));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.elements().iter().filter(|el| el.kind() == "json").count(), 2);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Json {
    value: Result<Value, String>,
    expanded: bool,
}

impl Json {
    /// JSON of `value`.
    pub fn new<T: Serialize + ?Sized>(value: &T) -> Json {
        Json {
            value: serde_json::to_value(value).map_err(|e| e.to_string()),
            expanded: true,
        }
    }
    /// Whether it starts expanded (default true).
    pub fn expanded(mut self, expanded: bool) -> Json {
        self.expanded = expanded;
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
/// [`help`](Metric::help) (a tooltip).
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::protocol::DeltaColor;
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
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.elements().iter().filter(|el| el.kind() == "metric").count(), 3);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Metric {
    label: String,
    value: String,
    delta: Option<String>,
    delta_color: DeltaColor,
    help: Option<String>,
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
}

impl Widget for Metric {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        ui.draw(Element::Metric {
            label: self.label,
            value: self.value,
            delta: self.delta,
            delta_color: self.delta_color,
            help: self.help,
        })
        .into()
    }
}

/// Rows of any `Serialize` type as columns and cells. Structs (and maps)
/// give one column per field, in declaration order; sequences give numbered
/// columns; anything else is one column named `value`.
fn rows_to_cells<T: Serialize>(rows: &[T]) -> Result<(Vec<String>, Vec<Vec<Value>>), String> {
    let mut columns: Vec<String> = Vec::new();
    let mut cells = Vec::with_capacity(rows.len());
    for row in rows {
        let value = serde_json::to_value(row).map_err(|e| e.to_string())?;
        match value {
            Value::Object(map) => {
                if columns.is_empty() {
                    columns = map.keys().cloned().collect();
                }
                let mut line = Vec::with_capacity(columns.len());
                let mut map = map;
                for column in &columns {
                    line.push(map.remove(column).unwrap_or(Value::Null));
                }
                cells.push(line);
            }
            Value::Array(items) => {
                if items.len() > columns.len() {
                    columns = (0..items.len()).map(|i| i.to_string()).collect();
                }
                cells.push(items);
            }
            other => {
                if columns.is_empty() {
                    columns = vec!["value".to_owned()];
                }
                cells.push(vec![other]);
            }
        }
    }
    for line in &mut cells {
        line.resize(columns.len(), Value::Null);
    }
    Ok((columns, cells))
}

fn table_error(ui: &Ui, what: &str, error: String) -> Drawn {
    ui.show_error(&AppError::message(format!(
        "{what}: the rows could not be serialized: {error}"
    )))
    .into()
}

/// A static table of rows of any `Serialize` type; the short form is
/// [`Ui::table`]. A struct's fields (or a map's keys) are its columns, in
/// order; tuples and arrays give numbered columns; anything else is one
/// column named `value`.
///
/// It has no options; for many rows, sorting or scrolling use a
/// [`Dataframe`].
///
/// ```
/// use brooklet::prelude::*;
///
/// #[derive(serde::Serialize)]
/// struct City {
///     name: &'static str,
///     people: u32,
/// }
///
/// fn app(ui: &Ui) {
///     let rows = [
///         City { name: "Oslo", people: 709_000 },
///         City { name: "Lima", people: 10_092_000 },
///     ];
///     ui.add(Table::new(&rows)); // the same as `ui.table(&rows)`
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # use brooklet::protocol::Element;
/// # let Element::Table { columns, .. } = at.elements()[0] else { panic!("a table") };
/// # assert_eq!(columns, &["name", "people"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Table {
    cells: Result<(Vec<String>, Vec<Vec<Value>>), String>,
}

impl Table {
    /// A table of `rows`.
    pub fn new<T: Serialize>(rows: &[T]) -> Table {
        Table {
            cells: rows_to_cells(rows),
        }
    }
}

impl Widget for Table {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        match self.cells {
            Ok((columns, rows)) => ui.draw(Element::Table { columns, rows }).into(),
            Err(error) => table_error(ui, "table", error),
        }
    }
}

/// An interactive table: sortable by column, scrollable, drawing only the
/// rows in view (so 100,000 rows stay smooth); the short form is
/// [`Ui::dataframe`]. Rows and columns as for a [`Table`]; the rows are
/// sent once, over HTTP, however many tabs show them.
///
/// Options: [`height`](Dataframe::height) (of the scroll area, in pixels;
/// default 400, at least 60).
///
/// ```
/// use brooklet::prelude::*;
///
/// #[derive(serde::Serialize)]
/// struct Reading {
///     id: u32,
///     value: f64,
/// }
///
/// fn app(ui: &Ui) {
///     let rows: Vec<Reading> = (0..10_000)
///         .map(|id| Reading { id, value: f64::from(id) / 10.0 })
///         .collect();
///     ui.add(Dataframe::new(&rows).height(240));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # use brooklet::protocol::Element;
/// # let shown = at.elements()[0];
/// # assert!(matches!(shown, Element::Dataframe { row_count: 10_000, height: 240, .. }));
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Dataframe {
    cells: Result<(Vec<String>, Vec<Vec<Value>>), String>,
    height: u32,
}

impl Dataframe {
    /// A dataframe of `rows`.
    pub fn new<T: Serialize>(rows: &[T]) -> Dataframe {
        Dataframe {
            cells: rows_to_cells(rows),
            height: 400,
        }
    }
    /// Height of the scroll area in pixels (default 400).
    pub fn height(mut self, pixels: u32) -> Dataframe {
        self.height = pixels.max(60);
        self
    }
}

impl Widget for Dataframe {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let (columns, rows) = match self.cells {
            Ok(cells) => cells,
            Err(error) => return table_error(ui, "dataframe", error),
        };
        // The rows go to the app-wide payload store: stored once however
        // many tabs show them, fetched by the browser over HTTP, and not
        // re-sent when a rerun draws the same rows.
        let bytes = match serde_json::to_vec(&rows) {
            Ok(bytes) => bytes,
            Err(error) => return table_error(ui, "dataframe", error.to_string()),
        };
        let row_count = rows.len() as u64;
        drop(rows);
        let data = match ui.put_payload(bytes, "application/json") {
            Ok(Some(data)) => data,
            Ok(None) => return Drawn::from(None),
            Err(error) => {
                return ui
                    .show_error(&AppError::message(format!("dataframe: {error}")))
                    .into()
            }
        };
        ui.draw(Element::Dataframe {
            columns,
            data,
            row_count,
            height: self.height,
        })
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        zeta: i32,
        alpha: &'static str,
    }

    #[test]
    fn struct_rows_keep_field_order() {
        let (columns, rows) = rows_to_cells(&[
            Row {
                zeta: 1,
                alpha: "a",
            },
            Row {
                zeta: 2,
                alpha: "b",
            },
        ])
        .expect("rows");
        assert_eq!(columns, vec!["zeta", "alpha"]);
        assert_eq!(rows[1], vec![Value::from(2), Value::from("b")]);
    }

    #[test]
    fn tuples_and_scalars_become_columns() {
        let (columns, rows) = rows_to_cells(&[(1, "x"), (2, "y")]).expect("tuples");
        assert_eq!(columns, vec!["0", "1"]);
        assert_eq!(rows.len(), 2);
        let (columns, _) = rows_to_cells(&[1.5, 2.5]).expect("scalars");
        assert_eq!(columns, vec!["value"]);
    }
}
