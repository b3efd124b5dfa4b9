//! Windows of a frame's view: its rows sorted and searched on the server,
//! then only the rows the browser shows, formatted.
//!
//! A sort order is computed once per frame and key and shared by every
//! session (see [`Frame::sort_order`]); a search is computed once per grid
//! and text. Neither copies the data: a view is a list of row positions.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, DurationMicrosecondType, DurationMillisecondType,
    DurationNanosecondType, DurationSecondType, Float16Type, Float32Type, Float64Type, Int16Type,
    Int32Type, Int64Type, Int8Type, Time32MillisecondType, Time32SecondType, Time64MicrosecondType,
    Time64NanosecondType, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrowNativeTypeOp, ArrowPrimitiveType, PrimitiveArray};
use arrow_schema::{DataType, SortOptions, TimeUnit};

use super::cells::{str_at, CellWriter};
use super::columns::ShownColumn;
use super::{Frame, FrameError};
use crate::protocol::{ColumnKind, SortKey, WindowRows};

/// Most rows in one window.
pub const MAX_WINDOW_ROWS: u32 = 1_000;
/// Longest search text.
pub const MAX_SEARCH_CHARS: usize = 200;

/// A frame as one grid shows it: the data and its shown columns. This is
/// what a session keeps for each grid on its page, and all it keeps: the
/// frame is shared.
#[derive(Debug, Clone)]
pub(crate) struct FrameView {
    pub(crate) frame: Frame,
    pub(crate) columns: Arc<[ShownColumn]>,
    /// The grid's identity (see `columns::Resolved::key`).
    pub(crate) key: String,
}

/// Whether columns of `data_type` can be sorted.
pub(crate) fn sortable(data_type: &DataType) -> bool {
    data_type.is_primitive()
        || matches!(
            data_type,
            DataType::Boolean
                | DataType::Utf8
                | DataType::LargeUtf8
                | DataType::Utf8View
                | DataType::Binary
                | DataType::LargeBinary
                | DataType::Decimal128(_, _)
        )
        || matches!(data_type, DataType::Dictionary(_, value) if sortable(value))
}

impl FrameView {
    /// The shown column named `name`.
    pub(crate) fn column(&self, name: &str) -> Result<&ShownColumn, FrameError> {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| FrameError::UnknownColumn {
                // A name from the page is echoed in the error: at most 100
                // characters of it.
                name: name.chars().take(100).collect(),
                known: self
                    .columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The rows of the view, in order (`None`: every row, in the frame's
    /// order).
    pub(crate) fn rows(
        &self,
        sort: Option<&SortKey>,
        search: &str,
    ) -> Result<Option<Arc<[u32]>>, FrameError> {
        if search.chars().count() > MAX_SEARCH_CHARS {
            return Err(FrameError::Request(format!(
                "the search text is over {MAX_SEARCH_CHARS} characters"
            )));
        }
        let sorted = match sort {
            Some(key) => {
                let column = self.column(&key.column)?;
                if !column.sortable {
                    let array = self.frame.batch().column(column.field);
                    return Err(FrameError::Unsortable {
                        column: key.column.clone(),
                        data_type: array.data_type().to_string(),
                    });
                }
                let field = column.field;
                let descending = key.descending;
                Some(self.frame.sort_order(field, descending, || {
                    let array = self.frame.batch().column(field).as_ref();
                    // Sorted the other way already: turn it around in O(n).
                    match self.frame.cached_sort_order(field, !descending) {
                        Some(other) => reversed_stable(array, &other),
                        None => sort_indices(array, descending),
                    }
                }))
            }
            None => None,
        };
        let search = search.trim();
        if search.is_empty() {
            return Ok(sorted);
        }
        let found = self
            .frame
            .view(format!("{}|search|{search}", self.key), || {
                self.search(search)
            });
        Ok(Some(match sorted {
            None => found,
            Some(order) => {
                let key = format!("{}|{:?}|{search}", self.key, sort);
                self.frame.view(key, || {
                    let mut hit = vec![false; self.frame.num_rows()];
                    for &row in found.iter() {
                        hit[row as usize] = true;
                    }
                    order.iter().copied().filter(|&r| hit[r as usize]).collect()
                })
            }
        }))
    }

    /// Rows with a shown cell containing `text` (any case), ascending.
    fn search(&self, text: &str) -> Vec<u32> {
        let rows = self.frame.num_rows();
        let needle = text.to_lowercase();
        let has_digit = needle.bytes().any(|b| b.is_ascii_digit());
        let mut hit = vec![false; rows];
        for column in self.columns.iter() {
            let array = self.frame.batch().column(column.field);
            let raw_text = matches!(column.kind, ColumnKind::Text | ColumnKind::Image)
                || (column.kind == ColumnKind::Link && column.display_text.is_none());
            match column.kind {
                ColumnKind::Checkbox | ColumnKind::LineChart | ColumnKind::BarChart => continue,
                // Numbers show digits: text without one cannot match.
                ColumnKind::Number | ColumnKind::Progress if !has_digit => continue,
                _ => {}
            }
            let strings = matches!(
                array.data_type(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            );
            if raw_text && strings {
                for (row, seen) in hit.iter_mut().enumerate() {
                    if !*seen {
                        if let Some(s) = str_at(array.as_ref(), row) {
                            *seen = contains(s, &needle);
                        }
                    }
                }
                continue;
            }
            if let Some(dictionary) = array.as_any_dictionary_opt() {
                // Categories: match each distinct value once.
                let values = dictionary.values();
                let values_writer = CellWriter::new(column, values);
                let matches: Vec<bool> = (0..values.len())
                    .map(|v| values_writer.text(v).is_some_and(|s| contains(&s, &needle)))
                    .collect();
                for (row, key) in dictionary.normalized_keys().into_iter().enumerate() {
                    if !hit[row]
                        && array.is_valid(row)
                        && matches.get(key).copied().unwrap_or(false)
                    {
                        hit[row] = true;
                    }
                }
                continue;
            }
            let writer = CellWriter::new(column, array);
            let matches = |row: usize| writer.text(row).is_some_and(|s| contains(&s, &needle));
            // Numbers and dates repeat (a date column of ten million rows
            // has a few thousand days): format each distinct value once.
            let data = array.to_data();
            let mut memo: HashMap<u64, bool> = HashMap::new();
            match RawKeys::of(&data) {
                Some(keys) => {
                    for (row, seen) in hit.iter_mut().enumerate() {
                        if !*seen && array.is_valid(row) {
                            let key = keys.at(row);
                            *seen = match memo.get(&key) {
                                Some(&known) => known,
                                None => {
                                    let found = matches(row);
                                    if memo.len() < MEMO_VALUES {
                                        memo.insert(key, found);
                                    }
                                    found
                                }
                            };
                        }
                    }
                }
                None => {
                    for (row, seen) in hit.iter_mut().enumerate() {
                        if !*seen {
                            *seen = matches(row);
                        }
                    }
                }
            }
        }
        hit.iter()
            .enumerate()
            .filter(|(_, hit)| **hit)
            .map(|(row, _)| row as u32)
            .collect()
    }

    /// Rows `start..start + count` of the view, formatted.
    pub(crate) fn window(
        &self,
        start: u64,
        count: u32,
        sort: Option<&SortKey>,
        search: &str,
    ) -> Result<WindowRows, FrameError> {
        if count == 0 || count > MAX_WINDOW_ROWS {
            return Err(FrameError::Request(format!(
                "a window is 1 to {MAX_WINDOW_ROWS} rows, not {count}"
            )));
        }
        let rows = self.rows(sort, search)?;
        let total = rows
            .as_ref()
            .map_or(self.frame.num_rows(), |rows| rows.len()) as u64;
        if start > total {
            return Err(FrameError::Request(format!(
                "row {start} is past the end of the view ({total} rows)"
            )));
        }
        let end = (start + u64::from(count)).min(total);
        let index: Vec<u64> = (start..end)
            .map(|at| match &rows {
                Some(rows) => u64::from(rows[at as usize]),
                None => at,
            })
            .collect();
        Ok(WindowRows {
            start,
            total,
            rows: self.cells(&index),
            index,
        })
    }

    /// The cells of the rows at these positions in the frame.
    pub(crate) fn cells(&self, index: &[u64]) -> Vec<Vec<serde_json::Value>> {
        let batch = self.frame.batch();
        let writers: Vec<CellWriter<'_>> = self
            .columns
            .iter()
            .map(|c| CellWriter::new(c, batch.column(c.field)))
            .collect();
        index
            .iter()
            .map(|&row| writers.iter().map(|w| w.cell(row as usize)).collect())
            .collect()
    }
}

/// Distinct values remembered per column while searching.
const MEMO_VALUES: usize = 1 << 18;

/// The raw bits of each value of a fixed-width column, as a key.
enum RawKeys<'a> {
    One(&'a [u8]),
    Two(&'a [u16]),
    Four(&'a [u32]),
    Eight(&'a [u64]),
}

impl<'a> RawKeys<'a> {
    fn of(data: &'a arrow_data::ArrayData) -> Option<RawKeys<'a>> {
        if !data.data_type().is_primitive() || data.buffers().is_empty() {
            return None;
        }
        Some(match data.data_type().primitive_width()? {
            1 => RawKeys::One(data.buffer::<u8>(0)),
            2 => RawKeys::Two(data.buffer::<u16>(0)),
            4 => RawKeys::Four(data.buffer::<u32>(0)),
            8 => RawKeys::Eight(data.buffer::<u64>(0)),
            _ => return None,
        })
    }

    fn at(&self, row: usize) -> u64 {
        match self {
            RawKeys::One(v) => u64::from(v[row]),
            RawKeys::Two(v) => u64::from(v[row]),
            RawKeys::Four(v) => u64::from(v[row]),
            RawKeys::Eight(v) => v[row],
        }
    }
}

/// Whether `haystack` contains `needle` (already lower case), any case.
fn contains(haystack: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        if n.len() > h.len() {
            return false;
        }
        h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

/// The rows of `array` in sorted order: stable (equal values keep their
/// order in both directions), empty cells last in both directions.
pub(crate) fn sort_indices(array: &dyn Array, descending: bool) -> Vec<u32> {
    macro_rules! primitive {
        ($ty:ty) => {
            match array.as_primitive_opt::<$ty>() {
                Some(values) => sort_primitive(values, descending),
                None => sort_dynamic(array, descending),
            }
        };
    }
    match array.data_type() {
        DataType::Int8 => primitive!(Int8Type),
        DataType::Int16 => primitive!(Int16Type),
        DataType::Int32 => primitive!(Int32Type),
        DataType::Int64 => primitive!(Int64Type),
        DataType::UInt8 => primitive!(UInt8Type),
        DataType::UInt16 => primitive!(UInt16Type),
        DataType::UInt32 => primitive!(UInt32Type),
        DataType::UInt64 => primitive!(UInt64Type),
        DataType::Float16 => primitive!(Float16Type),
        DataType::Float32 => primitive!(Float32Type),
        DataType::Float64 => primitive!(Float64Type),
        DataType::Decimal128(_, _) => primitive!(Decimal128Type),
        DataType::Date32 => primitive!(Date32Type),
        DataType::Date64 => primitive!(Date64Type),
        DataType::Timestamp(TimeUnit::Second, _) => primitive!(TimestampSecondType),
        DataType::Timestamp(TimeUnit::Millisecond, _) => primitive!(TimestampMillisecondType),
        DataType::Timestamp(TimeUnit::Microsecond, _) => primitive!(TimestampMicrosecondType),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => primitive!(TimestampNanosecondType),
        DataType::Time32(TimeUnit::Second) => primitive!(Time32SecondType),
        DataType::Time32(_) => primitive!(Time32MillisecondType),
        DataType::Time64(TimeUnit::Microsecond) => primitive!(Time64MicrosecondType),
        DataType::Time64(_) => primitive!(Time64NanosecondType),
        DataType::Duration(TimeUnit::Second) => primitive!(DurationSecondType),
        DataType::Duration(TimeUnit::Millisecond) => primitive!(DurationMillisecondType),
        DataType::Duration(TimeUnit::Microsecond) => primitive!(DurationMicrosecondType),
        DataType::Duration(TimeUnit::Nanosecond) => primitive!(DurationNanosecondType),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let mut keyed: Vec<(&str, u32)> = Vec::with_capacity(array.len());
            let mut nulls = Vec::new();
            for row in 0..array.len() {
                match str_at(array, row) {
                    Some(s) => keyed.push((s, row as u32)),
                    None => nulls.push(row as u32),
                }
            }
            keyed.sort_unstable_by(|a, b| directed(a.0.cmp(b.0), descending).then(a.1.cmp(&b.1)));
            keyed.into_iter().map(|(_, row)| row).chain(nulls).collect()
        }
        DataType::Dictionary(_, _) => match array.as_any_dictionary_opt() {
            // Categories: sort the (few) distinct values once, then the rows
            // by their value's rank.
            Some(dictionary) => {
                let values = dictionary.values();
                let mut rank = vec![0u32; values.len()];
                for (at, value) in sort_indices(values.as_ref(), false).into_iter().enumerate() {
                    rank[value as usize] = at as u32;
                }
                let keys = dictionary.normalized_keys();
                let mut keyed: Vec<(u32, u32)> = Vec::with_capacity(keys.len());
                let mut nulls = Vec::new();
                for (row, key) in keys.into_iter().enumerate() {
                    if array.is_valid(row) && values.is_valid(key) {
                        keyed.push((rank[key], row as u32));
                    } else {
                        nulls.push(row as u32);
                    }
                }
                keyed.sort_unstable_by(|a, b| {
                    directed(a.0.cmp(&b.0), descending).then(a.1.cmp(&b.1))
                });
                keyed.into_iter().map(|(_, row)| row).chain(nulls).collect()
            }
            None => sort_dynamic(array, descending),
        },
        DataType::Boolean => match array.as_boolean_opt() {
            Some(bools) => {
                let (mut falses, mut trues, mut nulls) = (Vec::new(), Vec::new(), Vec::new());
                for row in 0..bools.len() {
                    if bools.is_null(row) {
                        nulls.push(row as u32);
                    } else if bools.value(row) {
                        trues.push(row as u32);
                    } else {
                        falses.push(row as u32);
                    }
                }
                let (first, second) = if descending {
                    (trues, falses)
                } else {
                    (falses, trues)
                };
                first.into_iter().chain(second).chain(nulls).collect()
            }
            None => sort_dynamic(array, descending),
        },
        _ => sort_dynamic(array, descending),
    }
}

/// The order of `array` the other way round, from one sort: its values
/// reversed, but each run of equal values kept in the frame's order (the
/// sort is stable both ways), and the empty cells still last.
pub(crate) fn reversed_stable(array: &dyn Array, order: &[u32]) -> Vec<u32> {
    // Logical nulls count a category whose value is empty as empty too.
    let nulls = array.logical_nulls();
    let empty = |row: u32| nulls.as_ref().is_some_and(|n| n.is_null(row as usize));
    let valid = order.len() - order.iter().rev().take_while(|&&row| empty(row)).count();
    let options = SortOptions {
        descending: false,
        nulls_first: false,
    };
    let Ok(compare) = arrow_ord::ord::make_comparator(array, array, options) else {
        return sort_indices(array, false);
    };
    let mut out: Vec<u32> = order[..valid].iter().rev().copied().collect();
    let mut start = 0;
    while start < out.len() {
        let mut end = start + 1;
        while end < out.len() && compare(out[start] as usize, out[end] as usize) == Ordering::Equal
        {
            end += 1;
        }
        out[start..end].reverse();
        start = end;
    }
    out.extend_from_slice(&order[valid..]);
    out
}

fn directed(order: Ordering, descending: bool) -> Ordering {
    if descending {
        order.reverse()
    } else {
        order
    }
}

/// Values with their rows, sorted by value then row: a cache-friendly sort
/// (no lookups through the index while comparing).
fn sort_primitive<T: ArrowPrimitiveType>(values: &PrimitiveArray<T>, descending: bool) -> Vec<u32> {
    let mut keyed: Vec<(T::Native, u32)> = Vec::with_capacity(values.len() - values.null_count());
    let mut nulls = Vec::with_capacity(values.null_count());
    match values.nulls() {
        None => keyed.extend(
            values
                .values()
                .iter()
                .enumerate()
                .map(|(row, v)| (*v, row as u32)),
        ),
        Some(valid) => {
            for (row, v) in values.values().iter().enumerate() {
                if valid.is_valid(row) {
                    keyed.push((*v, row as u32));
                } else {
                    nulls.push(row as u32);
                }
            }
        }
    }
    keyed.sort_unstable_by(|a, b| directed(a.0.compare(b.0), descending).then(a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, row)| row).chain(nulls).collect()
}

/// Any other sortable type, through Arrow's comparator.
fn sort_dynamic(array: &dyn Array, descending: bool) -> Vec<u32> {
    let options = SortOptions {
        descending: false,
        nulls_first: false,
    };
    let Ok(compare) = arrow_ord::ord::make_comparator(array, array, options) else {
        return (0..array.len() as u32).collect();
    };
    let (mut valid, nulls): (Vec<u32>, Vec<u32>) =
        (0..array.len() as u32).partition(|&row| array.is_valid(row as usize));
    valid.sort_unstable_by(|&a, &b| {
        directed(compare(a as usize, b as usize), descending).then(a.cmp(&b))
    });
    valid.into_iter().chain(nulls).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::columns::resolve;

    #[derive(serde::Serialize)]
    struct Row {
        n: Option<f64>,
        s: &'static str,
        b: bool,
    }

    fn view() -> FrameView {
        let rows = vec![
            Row {
                n: Some(2.0),
                s: "beta",
                b: true,
            },
            Row {
                n: None,
                s: "Alpha",
                b: false,
            },
            Row {
                n: Some(1.0),
                s: "gamma",
                b: true,
            },
            Row {
                n: Some(2.0),
                s: "delta",
                b: false,
            },
        ];
        let frame = Frame::from_rows(&rows).expect("rows");
        let resolved = resolve(&frame, &[], None, false).expect("resolves");
        FrameView {
            frame,
            columns: resolved.columns,
            key: resolved.key,
        }
    }

    fn sort(column: &str, descending: bool) -> SortKey {
        SortKey {
            column: column.into(),
            descending,
        }
    }

    fn index(view: &FrameView, sort: Option<&SortKey>, search: &str) -> Vec<u64> {
        view.window(0, 10, sort, search).expect("window").index
    }

    #[test]
    fn sorting_is_stable_with_empty_cells_last_both_ways() {
        let v = view();
        assert_eq!(index(&v, Some(&sort("n", false)), ""), [2, 0, 3, 1]);
        // Equal values (rows 0 and 3) keep their order descending too.
        assert_eq!(index(&v, Some(&sort("n", true)), ""), [0, 3, 2, 1]);
        assert_eq!(index(&v, Some(&sort("s", false)), ""), [1, 0, 3, 2]);
        assert_eq!(index(&v, Some(&sort("b", true)), ""), [0, 2, 1, 3]);
        assert_eq!(index(&v, None, ""), [0, 1, 2, 3]);
    }

    #[test]
    fn search_matches_shown_text_in_any_case_and_combines_with_sort() {
        let v = view();
        assert_eq!(index(&v, None, "ALPHA"), [1]);
        assert_eq!(index(&v, None, "a"), [0, 1, 2, 3]);
        assert_eq!(index(&v, None, "2"), [0, 3]);
        assert_eq!(index(&v, Some(&sort("s", true)), "ta"), [3, 0]);
        let window = v.window(0, 10, None, "nothing like it").expect("window");
        assert_eq!((window.total, window.rows.len()), (0, 0));
    }

    #[test]
    fn windows_are_formatted_and_bounded() {
        let v = view();
        let window = v.window(1, 2, None, "").expect("window");
        assert_eq!(window.start, 1);
        assert_eq!(window.total, 4);
        assert_eq!(window.rows[0][0], serde_json::Value::Null);
        assert_eq!(window.rows[1][0], serde_json::json!("1"));
        assert_eq!(window.rows[1][2], serde_json::json!(true));
        assert!(v.window(5, 1, None, "").is_err(), "past the end");
        assert!(v.window(0, 0, None, "").is_err());
        assert!(v.window(0, MAX_WINDOW_ROWS + 1, None, "").is_err());
        let unknown = v
            .window(0, 1, Some(&sort("nope", false)), "")
            .expect_err("unknown");
        assert!(unknown.to_string().contains("nope"), "{unknown}");
        let huge = v
            .window(0, 1, Some(&sort(&"x".repeat(100_000), false)), "")
            .expect_err("unknown");
        assert!(huge.to_string().len() < 300, "the name is not echoed whole");
        assert!(v
            .window(0, 1, None, &"x".repeat(MAX_SEARCH_CHARS + 1))
            .is_err());
    }

    #[test]
    fn categories_sort_by_their_values_and_search_once_per_value() {
        use arrow_array::types::Int8Type;
        use arrow_array::{DictionaryArray, RecordBatch};
        let regions: DictionaryArray<Int8Type> = vec![
            Some("south"),
            Some("east"),
            None,
            Some("south"),
            Some("north"),
        ]
        .into_iter()
        .collect();
        let batch =
            RecordBatch::try_from_iter([("region", Arc::new(regions) as arrow_array::ArrayRef)])
                .expect("batch");
        let frame = Frame::from_batch(batch);
        let resolved = resolve(&frame, &[], None, false).expect("resolves");
        let v = FrameView {
            frame,
            columns: resolved.columns,
            key: resolved.key,
        };
        assert_eq!(index(&v, Some(&sort("region", false)), ""), [1, 4, 0, 3, 2]);
        assert_eq!(index(&v, Some(&sort("region", true)), ""), [0, 3, 4, 1, 2]);
        assert_eq!(index(&v, None, "SOUTH"), [0, 3]);
        assert_eq!(
            v.window(0, 1, None, "").expect("window").rows[0][0],
            "south"
        );
    }

    #[test]
    fn a_reversed_sort_equals_sorting_the_other_way() {
        let values = arrow_array::Int32Array::from(vec![
            Some(3),
            None,
            Some(1),
            Some(3),
            Some(2),
            None,
            Some(1),
            Some(3),
        ]);
        for descending in [false, true] {
            let one_way = sort_indices(&values, descending);
            assert_eq!(
                reversed_stable(&values, &one_way),
                sort_indices(&values, !descending),
                "from descending = {descending}"
            );
        }
    }

    #[test]
    fn the_comparator_path_sorts_other_types() {
        let array = arrow_array::BinaryArray::from(vec![Some(&b"b"[..]), None, Some(b"a")]);
        assert_eq!(sort_indices(&array, false), [2, 0, 1]);
        assert_eq!(sort_indices(&array, true), [0, 2, 1]);
    }
}
