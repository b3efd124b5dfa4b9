//! Display elements: text, data, status. Each has a short method on [`Ui`]
//! for the common case and, where it has options, a type to use with
//! [`Ui::add`].

use std::fmt::Display;

use serde::Serialize;
use serde_json::Value;

use super::markdown;
use super::{AppError, Drawn, Ui, Widget};
use crate::protocol::{AlertLevel, DeltaColor, Element};

impl Ui {
    /// A page title.
    pub fn title(&self, text: impl Into<String>) -> Drawn {
        self.draw(Element::Title { text: text.into() }).into()
    }

    /// A section header.
    pub fn header(&self, text: impl Into<String>) -> Drawn {
        self.add(Header::new(text))
    }

    /// A sub-section header.
    pub fn subheader(&self, text: impl Into<String>) -> Drawn {
        self.add(Header::new(text).sub())
    }

    /// Markdown text (CommonMark with tables, strikethrough and task lists).
    /// Raw HTML in it is shown as text; see [`Markdown::unsafe_allow_html`].
    pub fn markdown(&self, text: impl Into<String>) -> Drawn {
        self.add(Markdown::new(text))
    }

    /// Fixed-width plain text, shown as is.
    pub fn text(&self, text: impl Into<String>) -> Drawn {
        self.draw(Element::Text { text: text.into() }).into()
    }

    /// Small grey text.
    pub fn caption(&self, text: impl Into<String>) -> Drawn {
        self.draw(Element::Caption { text: text.into() }).into()
    }

    /// A block of code; see [`Code::language`].
    pub fn code(&self, code: impl Into<String>) -> Drawn {
        self.add(Code::new(code))
    }

    /// A horizontal rule.
    pub fn divider(&self) -> Drawn {
        self.draw(Element::Divider).into()
    }

    /// Anything `Display`, rendered as markdown (so `&str` is markdown, and
    /// numbers and other values show as their text).
    pub fn write(&self, value: impl Display) -> Drawn {
        self.markdown(value.to_string())
    }

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

    /// A green success box (markdown).
    pub fn success(&self, text: impl Into<String>) -> Drawn {
        self.alert(AlertLevel::Success, text.into())
    }

    /// A blue info box (markdown).
    pub fn info(&self, text: impl Into<String>) -> Drawn {
        self.alert(AlertLevel::Info, text.into())
    }

    /// A yellow warning box (markdown).
    pub fn warning(&self, text: impl Into<String>) -> Drawn {
        self.alert(AlertLevel::Warning, text.into())
    }

    /// A red error box (markdown).
    pub fn error(&self, text: impl Into<String>) -> Drawn {
        self.alert(AlertLevel::Error, text.into())
    }

    fn alert(&self, level: AlertLevel, text: String) -> Drawn {
        let html = markdown::to_html(&text, false);
        self.draw(Element::Alert { level, text, html }).into()
    }

    /// An error value with its chain of sources.
    ///
    /// ```
    /// # use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     if let Err(error) = "x".parse::<i32>() {
    ///         ui.exception(&error);
    ///     }
    /// }
    /// ```
    pub fn exception(&self, error: &(dyn std::error::Error + 'static)) -> Drawn {
        let mut chain = Vec::new();
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push(format!("caused by: {cause}"));
            source = cause.source();
        }
        self.draw(Element::Exception {
            message: error.to_string(),
            location: None,
            detail: (!chain.is_empty()).then(|| chain.join("\n")),
        })
        .into()
    }

    /// A progress bar at `value` (0.0 to 1.0); update it through the handle.
    /// Rapid updates are coalesced before they are sent.
    ///
    /// ```
    /// # use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     let bar = ui.progress(0.0);
    ///     for i in 1..=100 {
    ///         bar.set_text(i as f64 / 100.0, format!("{i}%"));
    ///     }
    /// }
    /// ```
    pub fn progress(&self, value: f64) -> Progress {
        let slot = self.draw_slot(Element::Progress {
            value: clamp01(value),
            text: None,
        });
        Progress { slot }
    }

    /// Show a spinner with `text` while `work` runs, then remove it.
    pub fn spinner<R>(&self, text: impl Into<String>, work: impl FnOnce() -> R) -> R {
        let slot = self.draw_slot(Element::Spinner { text: text.into() });
        let result = work();
        slot.draw(Element::Empty);
        result
    }

    /// A one-element slot: each element drawn into the returned `Ui` replaces
    /// the previous one. Draw `empty()` into it to clear it.
    ///
    /// ```
    /// # use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     let status = ui.empty();
    ///     status.text("working…");
    ///     status.success("done"); // replaces "working…"
    /// }
    /// ```
    pub fn empty(&self) -> Ui {
        self.draw_slot(Element::Empty)
    }
}

fn clamp01(value: f64) -> f64 {
    if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 1.0)
    }
}

/// A progress bar drawn by [`Ui::progress`].
#[derive(Debug, Clone)]
pub struct Progress {
    slot: Ui,
}

impl Progress {
    /// Move the bar to `value` (0.0 to 1.0).
    pub fn set(&self, value: f64) {
        self.slot.draw(Element::Progress {
            value: clamp01(value),
            text: None,
        });
    }

    /// Move the bar and set its text.
    pub fn set_text(&self, value: f64, text: impl Into<String>) {
        self.slot.draw(Element::Progress {
            value: clamp01(value),
            text: Some(text.into()),
        });
    }

    /// Remove the bar.
    pub fn clear(&self) {
        self.slot.draw(Element::Empty);
    }
}

/// A header or sub-header, optionally with a divider under it.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Header {
    text: String,
    sub: bool,
    divider: bool,
}

impl Header {
    /// A header with `text`.
    pub fn new(text: impl Into<String>) -> Header {
        Header {
            text: text.into(),
            sub: false,
            divider: false,
        }
    }
    /// Make it a sub-header.
    pub fn sub(mut self) -> Header {
        self.sub = true;
        self
    }
    /// Draw a divider under it.
    pub fn divider(mut self, divider: bool) -> Header {
        self.divider = divider;
        self
    }
}

impl Widget for Header {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let Header { text, sub, divider } = self;
        ui.draw(if sub {
            Element::Subheader { text, divider }
        } else {
            Element::Header { text, divider }
        })
        .into()
    }
}

/// Markdown text.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Markdown {
    text: String,
    allow_html: bool,
}

impl Markdown {
    /// Markdown from `text`.
    pub fn new(text: impl Into<String>) -> Markdown {
        Markdown {
            text: text.into(),
            allow_html: false,
        }
    }

    /// Pass raw HTML in the text through to the page instead of escaping it.
    /// Only for text you trust: HTML from users can run scripts in the page.
    pub fn unsafe_allow_html(mut self, allow: bool) -> Markdown {
        self.allow_html = allow;
        self
    }
}

impl Widget for Markdown {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let html = markdown::to_html(&self.text, self.allow_html);
        ui.draw(Element::Markdown {
            text: self.text,
            html,
        })
        .into()
    }
}

/// A code block.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Code {
    code: String,
    language: Option<String>,
}

impl Code {
    /// A block showing `code`.
    pub fn new(code: impl Into<String>) -> Code {
        Code {
            code: code.into(),
            language: None,
        }
    }
    /// The language name shown with it (e.g. `"rust"`).
    pub fn language(mut self, language: impl Into<String>) -> Code {
        self.language = Some(language.into());
        self
    }
}

impl Widget for Code {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        ui.draw(Element::Code {
            code: self.code,
            language: self.language,
        })
        .into()
    }
}

/// Pretty-printed JSON of a `Serialize` value.
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

/// A metric: label, big value, optional delta.
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

/// A static table.
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

/// An interactive table: sortable by column, scrollable, virtualised.
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
