//! `polars::DataFrame` into a [`Frame`] (the `polars` feature).
//!
//! Polars keeps its own Arrow implementation; its buffers cannot be shared
//! with arrow-rs without `unsafe` (the C data interface), which this crate
//! forbids. So each column is copied once, through its typed iterator, into
//! the matching Arrow array: numbers, booleans, text, dates and date-times
//! keep their types; any other type is shown as its text.

use std::sync::Arc;

use arrow_array::types::{
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
};
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float32Array, Float64Array, Int16Array, Int32Array,
    Int64Array, Int8Array, PrimitiveArray, RecordBatch, StringArray, UInt16Array, UInt32Array,
    UInt64Array, UInt8Array,
};
use polars::prelude::{DataFrame, DataType, Series, TimeUnit};

use super::{Frame, FrameError, IntoFrame};

fn failed(column: &str, error: impl std::fmt::Display) -> FrameError {
    FrameError::Rows(format!("polars column `{column}`: {error}"))
}

/// One polars column as an Arrow array.
fn column(series: &Series) -> Result<ArrayRef, FrameError> {
    let name = series.name().as_str();
    let fail = |e: polars::prelude::PolarsError| failed(name, e);
    macro_rules! numbers {
        ($method:ident, $array:ty) => {
            Arc::new(<$array>::from_iter(series.$method().map_err(fail)?.iter())) as ArrayRef
        };
    }
    Ok(match series.dtype() {
        DataType::Boolean => Arc::new(BooleanArray::from_iter(series.bool().map_err(fail)?.iter())),
        DataType::Int8 => numbers!(i8, Int8Array),
        DataType::Int16 => numbers!(i16, Int16Array),
        DataType::Int32 => numbers!(i32, Int32Array),
        DataType::Int64 => numbers!(i64, Int64Array),
        DataType::UInt8 => numbers!(u8, UInt8Array),
        DataType::UInt16 => numbers!(u16, UInt16Array),
        DataType::UInt32 => numbers!(u32, UInt32Array),
        DataType::UInt64 => numbers!(u64, UInt64Array),
        DataType::Float32 => numbers!(f32, Float32Array),
        DataType::Float64 => numbers!(f64, Float64Array),
        DataType::String => Arc::new(StringArray::from_iter(series.str().map_err(fail)?.iter())),
        DataType::Date => Arc::new(Date32Array::from_iter(
            series.date().map_err(fail)?.physical().iter(),
        )),
        DataType::Datetime(unit, zone) => {
            let values = series.datetime().map_err(fail)?.physical().iter();
            let zone: Option<Arc<str>> = zone.as_ref().map(|z| Arc::from(z.as_str()));
            match unit {
                TimeUnit::Milliseconds => Arc::new(
                    PrimitiveArray::<TimestampMillisecondType>::from_iter(values)
                        .with_timezone_opt(zone),
                ),
                TimeUnit::Microseconds => Arc::new(
                    PrimitiveArray::<TimestampMicrosecondType>::from_iter(values)
                        .with_timezone_opt(zone),
                ),
                TimeUnit::Nanoseconds => Arc::new(
                    PrimitiveArray::<TimestampNanosecondType>::from_iter(values)
                        .with_timezone_opt(zone),
                ),
            }
        }
        // Any other type shows as text.
        _ => {
            let text = series.cast(&DataType::String).map_err(fail)?;
            Arc::new(StringArray::from_iter(text.str().map_err(fail)?.iter()))
        }
    })
}

impl Frame {
    /// A frame of a polars `DataFrame` (each column copied once into
    /// Arrow; see the module docs). Needs the `polars` feature.
    pub fn from_polars(frame: &DataFrame) -> Result<Frame, FrameError> {
        let mut columns = Vec::with_capacity(frame.width());
        for series in frame.columns() {
            let series = series.as_materialized_series();
            columns.push((series.name().to_string(), column(series)?));
        }
        if columns.is_empty() {
            return Frame::from_rows::<()>(&[]);
        }
        RecordBatch::try_from_iter(columns)
            .map(Frame::from_batch)
            .map_err(|e| FrameError::Arrow(e.to_string()))
    }
}

impl IntoFrame for &DataFrame {
    fn into_frame(self) -> Result<Frame, FrameError> {
        Frame::from_polars(self)
    }
}

impl IntoFrame for DataFrame {
    fn into_frame(self) -> Result<Frame, FrameError> {
        Frame::from_polars(&self)
    }
}

#[cfg(test)]
mod tests {
    use polars::prelude::{df, IntoColumn, NamedFrom};

    use super::*;

    #[test]
    fn polars_columns_keep_their_types() {
        let mut frame = df!(
            "city" => &["Oslo", "Lima"],
            "people" => &[709_000i64, 10_092_000],
            "share" => &[0.1f64, 0.9],
            "ok" => &[true, false],
        )
        .expect("a polars frame");
        let days = Series::new("day".into(), &[19_000i32, 19_001])
            .cast(&DataType::Date)
            .expect("dates");
        frame
            .with_column(days.into_column())
            .expect("a date column");
        let converted = Frame::from_polars(&frame).expect("converts");
        assert_eq!(
            converted.column_names(),
            ["city", "people", "share", "ok", "day"]
        );
        assert_eq!(converted.num_rows(), 2);
        let types: Vec<String> = converted
            .schema()
            .fields()
            .iter()
            .map(|f| f.data_type().to_string())
            .collect();
        assert_eq!(types, ["Utf8", "Int64", "Float64", "Boolean", "Date32"]);
    }
}
