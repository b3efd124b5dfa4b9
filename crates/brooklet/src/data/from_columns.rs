//! [`Frame::from_columns`]: a frame of named columns (`Vec`s of numbers,
//! text, booleans, optional values, or Arrow arrays), the way a dict of
//! lists makes a pandas frame.

use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, BooleanArray, Float32Array, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray, UInt32Array, UInt64Array,
};

use super::{Frame, FrameError};

/// Values that make one column of a frame: a `Vec` (or slice) of `f64`,
/// `f32`, `i64`, `i32`, `u64`, `u32`, `bool`, `String` or `&str`, the same
/// of `Option`s (`None`: an empty value), or an Arrow array.
pub trait IntoColumn {
    /// The column as an Arrow array.
    fn into_column(self) -> ArrayRef;
}

impl IntoColumn for ArrayRef {
    fn into_column(self) -> ArrayRef {
        self
    }
}

macro_rules! primitive_columns {
    ($($t:ty => $array:ty),* $(,)?) => {$(
        impl IntoColumn for Vec<$t> {
            fn into_column(self) -> ArrayRef {
                Arc::new(<$array>::from(self))
            }
        }
        impl IntoColumn for &[$t] {
            fn into_column(self) -> ArrayRef {
                Arc::new(<$array>::from(self.to_vec()))
            }
        }
        impl IntoColumn for Vec<Option<$t>> {
            fn into_column(self) -> ArrayRef {
                Arc::new(<$array>::from(self))
            }
        }
    )*};
}

primitive_columns!(
    f64 => Float64Array,
    f32 => Float32Array,
    i64 => Int64Array,
    i32 => Int32Array,
    u64 => UInt64Array,
    u32 => UInt32Array,
    bool => BooleanArray,
);

impl IntoColumn for Vec<String> {
    fn into_column(self) -> ArrayRef {
        Arc::new(StringArray::from(self))
    }
}

impl IntoColumn for Vec<&str> {
    fn into_column(self) -> ArrayRef {
        Arc::new(StringArray::from(self))
    }
}

impl IntoColumn for Vec<Option<String>> {
    fn into_column(self) -> ArrayRef {
        Arc::new(StringArray::from(self))
    }
}

impl IntoColumn for Vec<Option<&str>> {
    fn into_column(self) -> ArrayRef {
        Arc::new(StringArray::from(self))
    }
}

impl Frame {
    /// A frame of named columns, in order. Every column must have as many
    /// values as the first; otherwise the error names the column that
    /// differs.
    ///
    /// ```
    /// use brooklet::data::Frame;
    ///
    /// let frame = Frame::from_columns([
    ///     ("day", vec![1.0, 2.0, 3.0]),
    ///     ("visits", vec![120.0, 98.0, 143.0]),
    /// ])
    /// .unwrap();
    /// assert_eq!(frame.num_rows(), 3);
    ///
    /// // Columns of different types: `IntoColumn::into_column` each.
    /// use brooklet::data::IntoColumn;
    /// let mixed = Frame::from_columns([
    ///     ("city", vec!["Oslo", "Lima"].into_column()),
    ///     ("people", vec![709_000i64, 10_092_000].into_column()),
    /// ])
    /// .unwrap();
    /// assert_eq!(mixed.column_names(), ["city", "people"]);
    ///
    /// let err = Frame::from_columns([("a", vec![1.0, 2.0]), ("b", vec![1.0])]).unwrap_err();
    /// assert_eq!(err.to_string(), "column `b` has 1 value, but `a` has 2: columns must be of one length");
    /// ```
    pub fn from_columns<N: Into<String>, C: IntoColumn>(
        columns: impl IntoIterator<Item = (N, C)>,
    ) -> Result<Frame, FrameError> {
        let columns: Vec<(String, ArrayRef)> = columns
            .into_iter()
            .map(|(name, column)| (name.into(), column.into_column()))
            .collect();
        if let Some((first, first_column)) = columns.first() {
            let rows = first_column.len();
            if let Some((name, column)) = columns.iter().find(|(_, c)| c.len() != rows) {
                return Err(FrameError::Lengths {
                    column: name.clone(),
                    len: column.len(),
                    first: first.clone(),
                    first_len: rows,
                });
            }
        }
        if columns.is_empty() {
            return Frame::from_rows::<u8>(&[]);
        }
        RecordBatch::try_from_iter(columns)
            .map(Frame::from_batch)
            .map_err(|e| FrameError::Arrow(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_each_kind_and_of_no_kind() {
        let frame = Frame::from_columns([
            ("n", vec![Some(1i64), None].into_column()),
            ("t", vec![Some("a"), None].into_column()),
            ("b", vec![true, false].into_column()),
        ])
        .expect("columns");
        assert_eq!(frame.num_rows(), 2);
        assert_eq!(frame.column("n").map(|c| c.null_count()), Some(1));
        let empty = Frame::from_columns(Vec::<(String, Vec<f64>)>::new()).expect("empty");
        assert_eq!(empty.num_columns(), 0);
    }
}
