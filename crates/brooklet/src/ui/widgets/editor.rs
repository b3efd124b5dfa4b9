//! The data editor: a dataframe whose cells the person edits. The edits
//! are the widget's value (a short change list; the frame never travels
//! back), checked on the server against each column's type and
//! constraints, and applied to the app's rows as a typed `Vec<T>`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::dataframe::{grid_element, prepare, Dataframe};
use super::Common;
use crate::data::columns::ShownColumn;
use crate::data::edits::{check_edits, new_row_value};
use crate::data::{Column, Edits, Frame, IntoFrame};
use crate::protocol::{EditorGrid, EditsValue, Element, GridEditor, WidgetKind};
use crate::ui::{Ui, Widget};

impl Ui {
    /// An editable table of `rows`: returns the rows as edited (see
    /// [`DataEditor`] for adding and deleting rows and for column options).
    pub fn data_editor<T>(&self, rows: &[T]) -> Vec<T>
    where
        T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    {
        self.add(DataEditor::new(rows))
    }
}

/// Whether a data editor's rows can be added and deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum NumRows {
    /// Only cells can be edited (the default).
    #[default]
    Fixed,
    /// Rows can also be added and deleted.
    Dynamic,
}

/// An editable table; the short form is [`Ui::data_editor`]. [`Ui::add`]
/// returns the rows with the person's edits applied, typed.
///
/// Each column gets an editor for its type: numbers, text, checkboxes,
/// dates and times, and a select for [`Column::selectbox`] columns.
/// [`Column`] options constrain what may be entered (`min`, `max`, `step`,
/// `max_chars`, `required`) and [`Column::disabled`] locks a column; the
/// page shows a refused value's reason in the cell, and the server checks
/// every edit again. Edits are widget state: they survive reruns, wait for
/// a form's submit inside a form, and reset when the data changes (unless
/// the editor has a [`key`](DataEditor::key)). Sorting and search work as
/// in a [`Dataframe`]; new rows show at the end.
///
/// A new row that cannot be made into a `T` yet (a required cell is still
/// empty) is left out of the result, and the page says so.
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::data::Column;
/// use brooklet::ui::widgets::{DataEditor, NumRows};
///
/// #[derive(Clone, serde::Serialize, serde::Deserialize)]
/// struct Item {
///     name: String,
///     units: u32,
///     size: String,
/// }
///
/// fn app(ui: &Ui) {
///     let stock = vec![
///         Item { name: "Kettle".into(), units: 4, size: "M".into() },
///         Item { name: "Toaster".into(), units: 2, size: "S".into() },
///     ];
///     let edited = ui.add(
///         DataEditor::new(&stock)
///             .num_rows(NumRows::Dynamic)
///             .column("name", Column::text().disabled(true))
///             .column("units", Column::number().min(0.0).max(1_000.0))
///             .column("size", Column::selectbox(["S", "M", "L"])),
///     );
///     let total: u32 = edited.iter().map(|item| item.units).sum();
///     ui.text(format!("Total units: {total}"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["Total units: 6"]);
/// # at.data_editor(0).edit(1, "units", 10).run().unwrap();
/// # assert_eq!(at.text(), vec!["Total units: 14"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct DataEditor<T> {
    rows: Vec<T>,
    options: EditorOptions,
}

/// An editable table of a [`Frame`] (or an Arrow batch, or a polars
/// frame); [`Ui::add`] returns the [`Edits`]: the changed cells, new rows
/// and deleted rows. Options as for [`DataEditor`].
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::data::Frame;
/// use brooklet::ui::widgets::FrameEditor;
///
/// fn app(ui: &Ui) {
///     let frame = Frame::from_rows(&[1.5, 2.5]).expect("numbers");
///     let edits = ui.add(FrameEditor::new(&frame));
///     ui.text(format!("{} rows changed", edits.edited.len()));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # at.data_editor(0).edit(0, "value", 9.5).run().unwrap();
/// # assert_eq!(at.text(), vec!["1 rows changed"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct FrameEditor {
    options: EditorOptions,
}

/// What both editors share: the grid's options, rows added or not, and
/// the widget's common fields.
#[derive(Debug, Clone)]
struct EditorOptions {
    grid: Dataframe,
    dynamic: bool,
    common: Common,
}

impl EditorOptions {
    fn new(data: impl IntoFrame) -> EditorOptions {
        EditorOptions {
            grid: Dataframe::new(data),
            dynamic: false,
            common: Common::new("data_editor"),
        }
    }
}

impl<T: Serialize + DeserializeOwned + Clone> DataEditor<T> {
    /// An editor of `rows`. With no rows, the columns come from `T` itself
    /// (so a dynamic editor can start empty).
    pub fn new(rows: &[T]) -> DataEditor<T> {
        let options = match Frame::empty_of::<T>().filter(|_| rows.is_empty()) {
            Some(empty) => EditorOptions::new(empty),
            None => EditorOptions::new(rows),
        };
        DataEditor {
            rows: rows.to_vec(),
            options,
        }
    }
}

impl FrameEditor {
    /// An editor of `data`.
    pub fn new(data: impl IntoFrame) -> FrameEditor {
        FrameEditor {
            options: EditorOptions::new(data),
        }
    }
}

/// The options both editors have.
macro_rules! editor_options {
    ($($ty:ident $(<$gen:ident>)?),*) => {$(
        impl $(<$gen>)? $ty $(<$gen>)? {
            /// Whether rows can be added and deleted (default: fixed).
            pub fn num_rows(mut self, rows: NumRows) -> Self {
                self.options.dynamic = rows == NumRows::Dynamic;
                self
            }
            /// How the column `name` shows and may be edited.
            pub fn column(mut self, name: impl Into<String>, config: impl Into<Column>) -> Self {
                self.options.grid = self.options.grid.column(name, config);
                self
            }
            /// Show only these columns, in this order.
            pub fn column_order<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
                self.options.grid = self.options.grid.column_order(names);
                self
            }
            /// Hide the index column.
            pub fn hide_index(mut self, hide: bool) -> Self {
                self.options.grid = self.options.grid.hide_index(hide);
                self
            }
            /// Height in pixels; by default it fits the rows, up to 400.
            pub fn height(mut self, pixels: u32) -> Self {
                self.options.grid = self.options.grid.height(pixels);
                self
            }
            /// Width in pixels; by default the container's width.
            pub fn width(mut self, pixels: u32) -> Self {
                self.options.grid = self.options.grid.width(pixels);
                self
            }
            /// Identify the editor by this key: its edits then survive
            /// changes of the data, and are mirrored in session state (as
            /// [`Edits`]) under the key.
            pub fn key(mut self, key: impl Into<String>) -> Self {
                self.options.common.key = Some(key.into());
                self
            }
            /// Nothing can be edited.
            pub fn disabled(mut self, disabled: bool) -> Self {
                self.options.common.disabled = disabled;
                self
            }
            /// Run `callback` when the person changes the data, before the
            /// rest of the rerun it triggers.
            pub fn on_change<R>(mut self, callback: impl Fn(&Ui) -> R + Send + Sync + 'static) -> Self {
                self.options.common.callback = Some($crate::ui::widgets::into_callback(callback));
                self
            }
        }
    )*};
}

editor_options!(DataEditor<T>, FrameEditor);

impl<T> Widget for DataEditor<T>
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    type Output = Vec<T>;
    fn add_to(self, ui: &Ui) -> Vec<T> {
        let Some((edits, columns)) = self.options.draw(ui) else {
            return self.rows;
        };
        let (rows, problems) = apply(self.rows, &edits, &columns);
        if !problems.is_empty() {
            ui.warning(problems.join("\n"));
        }
        rows
    }
}

impl Widget for FrameEditor {
    type Output = Edits;
    fn add_to(self, ui: &Ui) -> Edits {
        self.options
            .draw(ui)
            .map(|(edits, _)| edits)
            .unwrap_or_default()
    }
}

impl EditorOptions {
    /// Draw the editor; its edits and its columns.
    fn draw(self, ui: &Ui) -> Option<(Edits, Arc<[ShownColumn]>)> {
        let (view, resolved) = prepare(ui, &self.grid, true)?;
        let dynamic = self.dynamic;
        let id = self
            .common
            .id(WidgetKind::DataEditor)
            .with(&view.key)
            .with(if dynamic { "dynamic" } else { "fixed" })
            .finish();
        let columns = resolved.columns.clone();
        let row_count = view.frame.num_rows();
        let checked = columns.clone();
        let decode = move |raw: &Value| {
            let wire = EditsValue::deserialize(raw).ok()?;
            let (edits, dropped) = check_edits(&wire, &checked, row_count, dynamic);
            if !dropped.is_empty() {
                tracing::debug!(
                    "data editor: dropped {} edit(s): {}",
                    dropped.len(),
                    dropped.join("; ")
                );
            }
            Some(edits)
        };
        let identity = self.common.identity(WidgetKind::DataEditor, id);
        let grid = self.grid;
        let edits = ui.widget(
            identity,
            Edits::default(),
            decode,
            |edits: &Edits| serde_json::to_value(edits.to_wire()).unwrap_or(Value::Null),
            |base, edits| {
                let editor = GridEditor {
                    id: base.id,
                    dynamic,
                    disabled: base.disabled,
                    value: edits.to_wire(),
                    shown: edits.shown(&resolved.columns),
                };
                match grid_element(ui, &grid, view, resolved, None) {
                    Some(grid) => Element::DataEditor(Box::new(EditorGrid { grid, editor })),
                    None => Element::Empty,
                }
            },
        );
        Some((edits, columns))
    }
}

/// `rows` with `edits` applied: edited cells replaced, deleted rows left
/// out, new rows added when they make a whole `T`. Also what could not be
/// applied, one line each.
fn apply<T>(rows: Vec<T>, edits: &Edits, columns: &[ShownColumn]) -> (Vec<T>, Vec<String>)
where
    T: Serialize + DeserializeOwned,
{
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(rows.len() + edits.added.len());
    for (at, row) in rows.into_iter().enumerate() {
        if edits.deleted.binary_search(&at).is_ok() {
            continue;
        }
        let Some(changes) = edits.edited.get(&at) else {
            out.push(row);
            continue;
        };
        match with_changes(&row, changes) {
            Ok(changed) => out.push(changed),
            Err(error) => {
                problems.push(format!(
                    "Row {at}: the edit does not fit the data ({error})."
                ));
                out.push(row);
            }
        }
    }
    let mut incomplete = 0;
    for added in &edits.added {
        let mut fields = serde_json::Map::new();
        for column in columns {
            let value = added
                .get(&column.name)
                .cloned()
                .or_else(|| new_row_value(column))
                .unwrap_or(Value::Null);
            fields.insert(column.name.clone(), value);
        }
        match serde_json::from_value(Value::Object(fields)) {
            Ok(row) => out.push(row),
            Err(_) => incomplete += 1,
        }
    }
    if incomplete > 0 {
        problems.push(format!(
            "{incomplete} new {} left out until {} required cells are filled in.",
            if incomplete == 1 {
                "row is"
            } else {
                "rows are"
            },
            if incomplete == 1 { "its" } else { "their" },
        ));
    }
    (out, problems)
}

/// `row` with some of its fields replaced (through its JSON form).
fn with_changes<T: Serialize + DeserializeOwned>(
    row: &T,
    changes: &BTreeMap<String, Value>,
) -> Result<T, String> {
    let mut value = serde_json::to_value(row).map_err(|e| e.to_string())?;
    match &mut value {
        Value::Object(fields) => {
            for (name, new) in changes {
                fields.insert(name.clone(), new.clone());
            }
        }
        // A row that is one value: its column is `value`.
        other => {
            if let Some(new) = changes.get("value") {
                *other = new.clone();
            }
        }
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::columns::resolve_for;
    use serde_json::json;

    #[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
    struct Item {
        name: String,
        units: u32,
    }

    #[test]
    fn edits_apply_to_typed_rows() {
        let rows = vec![
            Item {
                name: "a".into(),
                units: 1,
            },
            Item {
                name: "b".into(),
                units: 2,
            },
            Item {
                name: "c".into(),
                units: 3,
            },
        ];
        let frame = Frame::from_rows(&rows).expect("rows");
        let columns = resolve_for(&frame, &[], None, false, true)
            .expect("resolves")
            .columns;
        let mut edits = Edits::default();
        edits
            .edited
            .entry(0)
            .or_default()
            .insert("units".into(), json!(10));
        edits
            .edited
            .entry(2)
            .or_default()
            .insert("units".into(), json!(-1));
        edits.deleted = vec![1];
        edits.added.push(BTreeMap::from([
            ("name".to_owned(), json!("d")),
            ("units".to_owned(), json!(4)),
        ]));
        edits
            .added
            .push(BTreeMap::from([("name".to_owned(), json!("e"))]));
        let (out, problems) = apply(rows, &edits, &columns);
        assert_eq!(
            out,
            vec![
                Item {
                    name: "a".into(),
                    units: 10
                },
                Item {
                    name: "c".into(),
                    units: 3
                },
                Item {
                    name: "d".into(),
                    units: 4
                },
            ]
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("Row 2"), "{problems:?}");
        assert!(
            problems[1].contains("1 new row is left out"),
            "{problems:?}"
        );
    }
}
