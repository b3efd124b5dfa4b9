//! A data editor's edits: checked against the grid's columns (what the
//! browser sends is never trusted), and shown formatted.

use std::collections::BTreeMap;

use serde_json::Value;

use super::cells::format_raw;
use super::columns::ShownColumn;
use crate::protocol::{ColumnKind, EditsShown, EditsValue};

/// Most edited cells and added rows one editor holds.
pub const MAX_EDITS: usize = 10_000;

/// What the person changed in a data editor: cells of rows of the data (by
/// position), new rows and deleted rows. Values are as JSON: numbers,
/// strings, booleans, ISO dates, `null` for an emptied cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edits {
    /// Row position → column → new value.
    pub edited: BTreeMap<usize, BTreeMap<String, Value>>,
    /// New rows, column → value (columns not set are absent).
    pub added: Vec<BTreeMap<String, Value>>,
    /// Deleted rows, by position, ascending.
    pub deleted: Vec<usize>,
}

impl Edits {
    /// Whether nothing was changed.
    pub fn is_empty(&self) -> bool {
        self.edited.is_empty() && self.added.is_empty() && self.deleted.is_empty()
    }

    /// The edits on the wire.
    pub(crate) fn to_wire(&self) -> EditsValue {
        EditsValue {
            edited: self
                .edited
                .iter()
                .map(|(row, cells)| {
                    let cells = cells.iter().map(|(c, v)| (c.clone(), v.clone())).collect();
                    (row.to_string(), cells)
                })
                .collect(),
            added: self
                .added
                .iter()
                .map(|row| row.iter().map(|(c, v)| (c.clone(), v.clone())).collect())
                .collect(),
            deleted: self.deleted.iter().map(|&r| r as u64).collect(),
        }
    }

    /// The edited and added cells, formatted as the columns show cells.
    pub(crate) fn shown(&self, columns: &[ShownColumn]) -> EditsShown {
        let find = |name: &str| columns.iter().find(|c| c.name == name);
        EditsShown {
            edited: self
                .edited
                .iter()
                .map(|(row, cells)| {
                    let cells = cells
                        .iter()
                        .filter_map(|(name, v)| {
                            find(name).map(|c| (name.clone(), format_raw(c, v)))
                        })
                        .collect();
                    (row.to_string(), cells)
                })
                .collect(),
            added: self
                .added
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|c| match row.get(&c.name) {
                            Some(v) => format_raw(c, v),
                            // What a new row holds until the cell is set.
                            None => new_row_value(c).map_or(Value::Null, |v| format_raw(c, &v)),
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// The value a column has in a new row before the person sets it: its
/// `Column::default_value`, unchecked for a checkbox, else empty.
pub(crate) fn new_row_value(column: &ShownColumn) -> Option<Value> {
    match (&column.default_value, column.kind) {
        (Some(value), _) => Some(value.clone()),
        (None, ColumnKind::Checkbox) => Some(Value::Bool(false)),
        (None, _) => None,
    }
}

/// The edits the browser sent, keeping only what the grid allows: rows
/// that exist, editable columns, values of the column's type within its
/// constraints; added and deleted rows only when `dynamic`. What is
/// dropped is listed in the second value, one line each.
pub(crate) fn check_edits(
    raw: &EditsValue,
    columns: &[ShownColumn],
    row_count: usize,
    dynamic: bool,
) -> (Edits, Vec<String>) {
    let mut edits = Edits::default();
    let mut dropped = Vec::new();
    let mut cells = 0;
    for (row, changes) in &raw.edited {
        let Some(row) = row.parse::<usize>().ok().filter(|&r| r < row_count) else {
            dropped.push(format!("row {row} is not in the data"));
            continue;
        };
        for (name, value) in changes {
            cells += 1;
            if cells > MAX_EDITS {
                dropped.push(format!("more than {MAX_EDITS} edited cells"));
                break;
            }
            match check_value(columns, name, value) {
                Ok(value) => {
                    edits
                        .edited
                        .entry(row)
                        .or_default()
                        .insert(name.clone(), value);
                }
                Err(why) => dropped.push(format!("row {row}, column `{name}`: {why}")),
            }
        }
    }
    if dynamic {
        for added in raw.added.iter().take(MAX_EDITS) {
            let mut row = BTreeMap::new();
            for (name, value) in added {
                match check_value(columns, name, value) {
                    Ok(value) => {
                        row.insert(name.clone(), value);
                    }
                    Err(why) => dropped.push(format!("a new row, column `{name}`: {why}")),
                }
            }
            edits.added.push(row);
        }
        let mut deleted: Vec<usize> = raw
            .deleted
            .iter()
            .filter_map(|&r| usize::try_from(r).ok().filter(|&r| r < row_count))
            .collect();
        deleted.sort_unstable();
        deleted.dedup();
        edits.deleted = deleted;
    } else if !raw.added.is_empty() || !raw.deleted.is_empty() {
        dropped.push("rows cannot be added or deleted in this editor".into());
    }
    (edits, dropped)
}

/// One edited value, checked against its column; the value to keep.
fn check_value(columns: &[ShownColumn], name: &str, value: &Value) -> Result<Value, String> {
    let Some(column) = columns.iter().find(|c| c.name == name) else {
        return Err("there is no such column".into());
    };
    let Some(edit) = &column.edit else {
        return Err("the column cannot be edited".into());
    };
    if value.is_null() {
        return if edit.required {
            Err("a value is required".into())
        } else {
            Ok(Value::Null)
        };
    }
    match column.kind {
        ColumnKind::Number => {
            let Some(n) = value.as_f64() else {
                return Err(format!("{value} is not a number"));
            };
            if edit.integer && n.fract() != 0.0 {
                return Err(format!("{n} is not a whole number"));
            }
            if let Some(min) = edit.min.filter(|&min| n < min) {
                return Err(format!("{n} is below the minimum {min}"));
            }
            if let Some(max) = edit.max.filter(|&max| n > max) {
                return Err(format!("{n} is above the maximum {max}"));
            }
            Ok(value.clone())
        }
        ColumnKind::Checkbox => match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => Err(format!("{value} is not true or false")),
        },
        ColumnKind::Date | ColumnKind::Datetime | ColumnKind::Time => {
            let Some(text) = value.as_str() else {
                return Err(format!("{value} is not a date or time"));
            };
            let parsed = match column.kind {
                ColumnKind::Date => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
                ColumnKind::Time => {
                    chrono::NaiveTime::parse_from_str(text, "%H:%M:%S%.f").is_ok()
                        || chrono::NaiveTime::parse_from_str(text, "%H:%M").is_ok()
                }
                _ => {
                    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
                        || chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").is_ok()
                }
            };
            if parsed {
                Ok(value.clone())
            } else {
                Err(format!("`{text}` is not an ISO 8601 date or time"))
            }
        }
        _ => {
            let Some(text) = value.as_str() else {
                return Err(format!("{value} is not text"));
            };
            if let Some(options) = &edit.options {
                if !options.iter().any(|o| o == text) {
                    return Err(format!("`{text}` is not one of the options"));
                }
            }
            if let Some(max) = edit.max_chars {
                if text.chars().count() > max as usize {
                    return Err(format!("the text is over {max} characters"));
                }
            }
            Ok(value.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::columns::resolve_for;
    use crate::data::{Column, Frame};
    use serde_json::json;

    #[derive(serde::Serialize)]
    struct Row {
        name: String,
        units: u32,
        ok: bool,
        note: Option<String>,
    }

    fn columns() -> Vec<ShownColumn> {
        let frame = Frame::from_rows(&[Row {
            name: "a".into(),
            units: 1,
            ok: true,
            note: None,
        }])
        .expect("rows");
        let config = vec![
            ("units".to_owned(), Column::number().min(0.0).max(100.0)),
            ("ok".to_owned(), Column::checkbox().disabled(true)),
            ("name".to_owned(), Column::selectbox(["a", "b"])),
        ];
        resolve_for(&frame, &config, None, false, true)
            .expect("resolves")
            .columns
            .to_vec()
    }

    #[test]
    fn edits_are_checked_against_the_columns() {
        let raw: EditsValue = serde_json::from_value(json!({
            "edited": {
                "0": {"units": 5, "ok": false, "name": "b", "note": null},
                "1": {"units": 5},
                "x": {"units": 5}
            },
            "added": [{"units": 101, "name": "zz", "note": "hi"}],
            "deleted": [0, 0, 9]
        }))
        .expect("wire edits");
        let (edits, dropped) = check_edits(&raw, &columns(), 1, true);
        let row: Vec<(&str, &Value)> = edits.edited[&0]
            .iter()
            .map(|(c, v)| (c.as_str(), v))
            .collect();
        assert_eq!(
            row,
            [
                ("name", &json!("b")),
                ("note", &Value::Null),
                ("units", &json!(5))
            ]
        );
        assert_eq!(edits.added.len(), 1);
        assert_eq!(edits.added[0].get("note"), Some(&json!("hi")));
        assert_eq!(edits.deleted, [0]);
        let text = dropped.join("\n");
        for reason in [
            "`ok`: the column cannot be edited",
            "row 1 is not in the data",
            "row x is not in the data",
            "above the maximum 100",
            "`zz` is not one of the options",
        ] {
            assert!(text.contains(reason), "{reason} in {text}");
        }
        let (fixed, dropped) = check_edits(&raw, &columns(), 1, false);
        assert!(fixed.added.is_empty() && fixed.deleted.is_empty());
        assert!(dropped
            .iter()
            .any(|d| d.contains("cannot be added or deleted")));
    }

    #[test]
    fn required_wrong_types_and_integers() {
        let cols = columns();
        assert!(
            check_value(&cols, "units", &Value::Null).is_err(),
            "a u32 cannot be empty"
        );
        assert!(check_value(&cols, "units", &json!(2.5)).is_err());
        assert!(check_value(&cols, "units", &json!("7")).is_err());
        assert!(
            check_value(&cols, "note", &Value::Null).is_ok(),
            "an Option can"
        );
        assert!(check_value(&cols, "note", &json!(3)).is_err());
    }

    #[test]
    fn edits_are_shown_formatted() {
        let cols = columns();
        let mut edits = Edits::default();
        edits
            .edited
            .entry(0)
            .or_default()
            .insert("units".into(), json!(42));
        edits
            .added
            .push(BTreeMap::from([("name".to_owned(), json!("b"))]));
        let shown = edits.shown(&cols);
        assert_eq!(shown.edited["0"]["units"], json!("42"));
        assert_eq!(shown.added[0].len(), cols.len());
        // A new row shows its defaults: the checkbox unchecked.
        let ok = cols.iter().position(|c| c.name == "ok").expect("ok column");
        assert_eq!(shown.added[0][ok], json!(false));
        let wire = edits.to_wire();
        assert_eq!(wire.edited["0"]["units"], json!(42));
    }
}
