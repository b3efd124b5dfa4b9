//! One cell of a column as the browser shows it: a formatted string, a
//! checkbox, a link, a bar, a list, a sparkline (see `docs/protocol.md`).

use std::fmt::Write as _;

use arrow_array::cast::AsArray;
use arrow_array::temporal_conversions::{as_date, as_datetime, as_time};
use arrow_array::timezone::Tz;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float16Type, Float32Type, Float64Type, Int16Type,
    Int32Type, Int64Type, Int8Type, Time32MillisecondType, Time32SecondType, Time64MicrosecondType,
    Time64NanosecondType, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, TimeUnit};
use serde_json::Value;

use super::columns::ShownColumn;
use super::format::Number;
use crate::protocol::ColumnKind;

/// Longest text a cell carries to the browser (the CSV has all of it).
pub(crate) const MAX_CELL_CHARS: usize = 1_000;
/// Most items of a list or sparkline cell sent to the browser.
const MAX_ITEMS: usize = 200;

/// Writes the cells of one column; built once per window.
pub(crate) struct CellWriter<'a> {
    column: &'a ShownColumn,
    array: &'a ArrayRef,
    /// Arrow's display of any type, for text of types without a
    /// formatter of ours.
    display: Option<ArrayFormatter<'a>>,
    tz: Option<Tz>,
}

fn display_options() -> FormatOptions<'static> {
    FormatOptions::new().with_null("")
}

impl<'a> CellWriter<'a> {
    pub(crate) fn new(column: &'a ShownColumn, array: &'a ArrayRef) -> CellWriter<'a> {
        let display = ArrayFormatter::try_new(array.as_ref(), &display_options()).ok();
        let tz = match array.data_type() {
            DataType::Timestamp(_, Some(tz)) => tz.parse::<Tz>().ok(),
            _ => None,
        };
        CellWriter {
            column,
            array,
            display,
            tz,
        }
    }

    /// The cell at `row` for the browser.
    pub(crate) fn cell(&self, row: usize) -> Value {
        if row >= self.array.len() || self.array.is_null(row) {
            return Value::Null;
        }
        match self.column.kind {
            ColumnKind::Checkbox => match self.array.as_boolean_opt() {
                Some(bools) => Value::Bool(bools.value(row)),
                None => Value::Null,
            },
            ColumnKind::Link => {
                let href = self.text(row).unwrap_or_default();
                let text = self
                    .column
                    .display_text
                    .clone()
                    .unwrap_or_else(|| href.clone());
                Value::Array(vec![Value::String(href), Value::String(text)])
            }
            ColumnKind::Progress => match number_at(self.array.as_ref(), row) {
                Some(n) => {
                    let (min, max) = self.column.range;
                    let fraction = if max > min {
                        ((n.as_f64() - min) / (max - min)).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    Value::Array(vec![
                        serde_json::Number::from_f64(fraction).map_or(Value::Null, Value::Number),
                        Value::String(self.column.number.format(n)),
                    ])
                }
                None => Value::Null,
            },
            ColumnKind::List => match list_items(self.array.as_ref(), row) {
                Some(items) => {
                    let display = ArrayFormatter::try_new(items.as_ref(), &display_options()).ok();
                    let shown = (0..items.len().min(MAX_ITEMS))
                        .map(|i| {
                            Value::String(match &display {
                                Some(d) => truncate(d.value(i).to_string()),
                                None => String::new(),
                            })
                        })
                        .collect();
                    Value::Array(shown)
                }
                None => Value::Null,
            },
            ColumnKind::LineChart | ColumnKind::BarChart => {
                match list_items(self.array.as_ref(), row) {
                    Some(items) => Value::Array(
                        (0..items.len().min(MAX_ITEMS))
                            .map(|i| {
                                number_at(items.as_ref(), i)
                                    .and_then(|n| serde_json::Number::from_f64(n.as_f64()))
                                    .map_or(Value::Null, Value::Number)
                            })
                            .collect(),
                    ),
                    None => Value::Null,
                }
            }
            _ => self.text(row).map_or(Value::Null, Value::String),
        }
    }

    /// The text shown for the cell at `row` (what search matches), or
    /// `None` when it is empty.
    pub(crate) fn text(&self, row: usize) -> Option<String> {
        if row >= self.array.len() || self.array.is_null(row) {
            return None;
        }
        let text = match self.column.kind {
            ColumnKind::Number | ColumnKind::Progress => {
                number_at(self.array.as_ref(), row).map(|n| self.column.number.format(n))
            }
            ColumnKind::Date | ColumnKind::Datetime | ColumnKind::Time => self.when(row),
            ColumnKind::Checkbox => None,
            ColumnKind::List => {
                let items = list_items(self.array.as_ref(), row)?;
                let display = ArrayFormatter::try_new(items.as_ref(), &display_options()).ok()?;
                let mut out = String::new();
                for i in 0..items.len().min(MAX_ITEMS) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{}", display.value(i));
                }
                Some(out)
            }
            ColumnKind::LineChart | ColumnKind::BarChart => None,
            _ => None,
        };
        let text = match text {
            Some(text) => text,
            None => match str_at(self.array.as_ref(), row) {
                Some(s) => s.to_owned(),
                None => match (&self.display, self.column.kind) {
                    (_, ColumnKind::Checkbox | ColumnKind::LineChart | ColumnKind::BarChart) => {
                        return None
                    }
                    (Some(display), _) => display.value(row).to_string(),
                    (None, _) => return None,
                },
            },
        };
        Some(truncate(text))
    }

    /// A date, date-time or time, in the column's format.
    fn when(&self, row: usize) -> Option<String> {
        let format = self.column.date_format.as_str();
        let mut out = String::new();
        let array = self.array.as_ref();
        let written = match array.data_type() {
            DataType::Date32 => array
                .as_primitive_opt::<Date32Type>()
                .and_then(|a| a.value_as_date(row))
                .map(|d| write!(out, "{}", d.format(format))),
            DataType::Date64 => array
                .as_primitive_opt::<Date64Type>()
                .and_then(|a| as_date::<Date64Type>(a.value(row)))
                .map(|d| write!(out, "{}", d.format(format))),
            DataType::Timestamp(unit, _) => {
                let naive = match unit {
                    TimeUnit::Second => array
                        .as_primitive_opt::<TimestampSecondType>()
                        .and_then(|a| as_datetime::<TimestampSecondType>(a.value(row))),
                    TimeUnit::Millisecond => array
                        .as_primitive_opt::<TimestampMillisecondType>()
                        .and_then(|a| as_datetime::<TimestampMillisecondType>(a.value(row))),
                    TimeUnit::Microsecond => array
                        .as_primitive_opt::<TimestampMicrosecondType>()
                        .and_then(|a| as_datetime::<TimestampMicrosecondType>(a.value(row))),
                    TimeUnit::Nanosecond => array
                        .as_primitive_opt::<TimestampNanosecondType>()
                        .and_then(|a| as_datetime::<TimestampNanosecondType>(a.value(row))),
                };
                naive.map(|utc| match &self.tz {
                    Some(tz) => {
                        let local = chrono::TimeZone::from_utc_datetime(tz, &utc);
                        write!(out, "{}", local.format(format))
                    }
                    None => write!(out, "{}", utc.format(format)),
                })
            }
            DataType::Time32(TimeUnit::Second) => array
                .as_primitive_opt::<Time32SecondType>()
                .and_then(|a| as_time::<Time32SecondType>(i64::from(a.value(row))))
                .map(|t| write!(out, "{}", t.format(format))),
            DataType::Time32(_) => array
                .as_primitive_opt::<Time32MillisecondType>()
                .and_then(|a| as_time::<Time32MillisecondType>(i64::from(a.value(row))))
                .map(|t| write!(out, "{}", t.format(format))),
            DataType::Time64(TimeUnit::Microsecond) => array
                .as_primitive_opt::<Time64MicrosecondType>()
                .and_then(|a| as_time::<Time64MicrosecondType>(a.value(row)))
                .map(|t| write!(out, "{}", t.format(format))),
            DataType::Time64(_) => array
                .as_primitive_opt::<Time64NanosecondType>()
                .and_then(|a| as_time::<Time64NanosecondType>(a.value(row)))
                .map(|t| write!(out, "{}", t.format(format))),
            _ => str_at(array, row).and_then(|s| parse_when(s, self.column.kind, format, &mut out)),
        };
        // A format that does not fit the value (a time field of a date)
        // fails to write: show Arrow's own text instead of nothing.
        match written {
            Some(Ok(())) => Some(out),
            _ => str_at(array, row)
                .map(str::to_owned)
                .or_else(|| self.display.as_ref().map(|d| d.value(row).to_string())),
        }
    }
}

/// A value typed into a data editor, shown as the column's cells are.
pub(crate) fn format_raw(column: &ShownColumn, value: &Value) -> Value {
    match (column.kind, value) {
        (_, Value::Null) => Value::Null,
        (ColumnKind::Number | ColumnKind::Progress, Value::Number(n)) => {
            let number = match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => Number::Int(i),
                (_, Some(u), _) => Number::UInt(u),
                (_, _, Some(f)) => Number::Float(f),
                _ => return Value::Null,
            };
            Value::String(column.number.format(number))
        }
        (ColumnKind::Date | ColumnKind::Datetime | ColumnKind::Time, Value::String(s)) => {
            let mut out = String::new();
            match parse_when(s, column.kind, &column.date_format, &mut out) {
                Some(Ok(())) => Value::String(out),
                _ => Value::String(s.clone()),
            }
        }
        (ColumnKind::Link, Value::String(href)) => Value::Array(vec![
            Value::String(href.clone()),
            Value::String(column.display_text.clone().unwrap_or_else(|| href.clone())),
        ]),
        (_, Value::String(s)) => Value::String(truncate(s.clone())),
        (_, other) => other.clone(),
    }
}

/// A date or time written as text (ISO 8601), reformatted.
fn parse_when(
    s: &str,
    kind: ColumnKind,
    format: &str,
    out: &mut String,
) -> Option<std::fmt::Result> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
    let s = s.trim();
    match kind {
        ColumnKind::Date => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .or_else(|| {
                NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                    .ok()
                    .map(|d| d.date())
            })
            .map(|d| write!(out, "{}", d.format(format))),
        ColumnKind::Time => NaiveTime::parse_from_str(s, "%H:%M:%S%.f")
            .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
            .ok()
            .map(|t| write!(out, "{}", t.format(format))),
        _ => {
            if let Ok(with_zone) = DateTime::parse_from_rfc3339(s) {
                return Some(write!(out, "{}", with_zone.format(format)));
            }
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
                .ok()
                .or_else(|| {
                    NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .ok()
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                })
                .map(|d| write!(out, "{}", d.format(format)))
        }
    }
}

/// Text over [`MAX_CELL_CHARS`] is cut, with `…`.
pub(crate) fn truncate(mut text: String) -> String {
    if text.len() > MAX_CELL_CHARS {
        if let Some((cut, _)) = text.char_indices().nth(MAX_CELL_CHARS) {
            text.truncate(cut);
            text.push('…');
        }
    }
    text
}

/// The string at `row` of a string column.
pub(crate) fn str_at(array: &dyn Array, row: usize) -> Option<&str> {
    if array.is_null(row) {
        return None;
    }
    match array.data_type() {
        DataType::Utf8 => array.as_string_opt::<i32>().map(|a| a.value(row)),
        DataType::LargeUtf8 => array.as_string_opt::<i64>().map(|a| a.value(row)),
        DataType::Utf8View => array.as_string_view_opt().map(|a| a.value(row)),
        _ => None,
    }
}

/// The items of the list at `row` of a list column.
pub(crate) fn list_items(array: &dyn Array, row: usize) -> Option<ArrayRef> {
    match array.data_type() {
        DataType::List(_) => array.as_list_opt::<i32>().map(|a| a.value(row)),
        DataType::LargeList(_) => array.as_list_opt::<i64>().map(|a| a.value(row)),
        DataType::FixedSizeList(_, _) => array.as_fixed_size_list_opt().map(|a| a.value(row)),
        _ => None,
    }
}

/// The number at `row` of a numeric column.
pub(crate) fn number_at(array: &dyn Array, row: usize) -> Option<Number> {
    if row >= array.len() || array.is_null(row) {
        return None;
    }
    macro_rules! prim {
        ($ty:ty) => {
            array
                .as_primitive_opt::<$ty>()
                .map(|a| Number::from(a.value(row)))
        };
    }
    match array.data_type() {
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::UInt64 => prim!(UInt64Type),
        DataType::Float16 => array
            .as_primitive_opt::<Float16Type>()
            .map(|a| Number::Float(f64::from(a.value(row).to_f32()))),
        DataType::Float32 => prim!(Float32Type),
        DataType::Float64 => prim!(Float64Type),
        DataType::Decimal128(_, scale) => array
            .as_primitive_opt::<Decimal128Type>()
            .map(|a| Number::Float(a.value(row) as f64 / 10f64.powi(i32::from(*scale)))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        let long = "é".repeat(MAX_CELL_CHARS + 10);
        let cut = truncate(long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate("short".into()), "short");
    }
}
