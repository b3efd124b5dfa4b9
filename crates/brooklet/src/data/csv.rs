//! CSV of a grid's view (its sort, search and visible columns), written in
//! chunks as they are read, so a 10,000,000-row export never exists whole
//! in memory.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, UInt32Array};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Field, Schema};

use super::view::FrameView;
use super::FrameError;
use crate::protocol::SortKey;

/// Rows per chunk written.
const CHUNK_ROWS: usize = 16_384;

/// What to export: the view and the columns, by name (empty: every shown
/// column).
#[derive(Debug, Clone, Default)]
pub(crate) struct CsvRequest {
    pub(crate) sort: Option<SortKey>,
    pub(crate) search: String,
    pub(crate) columns: Vec<String>,
}

/// Write the CSV of `view` to `sink` chunk by chunk; stops early when
/// `sink` returns false (the download was cancelled).
pub(crate) fn write_csv(
    view: &FrameView,
    request: &CsvRequest,
    mut sink: impl FnMut(Vec<u8>) -> bool,
) -> Result<(), FrameError> {
    let batch = view.frame.batch();
    let mut fields = Vec::new();
    let mut sources: Vec<&ArrayRef> = Vec::new();
    let names: Vec<&str> = if request.columns.is_empty() {
        view.columns.iter().map(|c| c.name.as_str()).collect()
    } else {
        request.columns.iter().map(String::as_str).collect()
    };
    for name in names {
        let column = view.column(name)?;
        let array = batch.column(column.field);
        let data_type = if csv_native(array.data_type()) {
            array.data_type().clone()
        } else {
            DataType::Utf8
        };
        fields.push(Field::new(name, data_type, true));
        sources.push(array);
    }
    // Columns are checked before the view is computed: a mistake costs
    // nothing.
    let rows = view.rows(request.sort.as_ref(), &request.search)?;
    let schema = Arc::new(Schema::new(fields));
    let total = rows.as_ref().map_or(batch.num_rows(), |r| r.len());
    let mut start = 0;
    loop {
        let end = (start + CHUNK_ROWS).min(total);
        let columns = sources
            .iter()
            .map(|array| {
                let part: ArrayRef = match &rows {
                    None => array.slice(start, end - start),
                    Some(rows) => {
                        let positions = UInt32Array::from(rows[start..end].to_vec());
                        arrow_select::take::take(array.as_ref(), &positions, None)
                            .map_err(|e| FrameError::Arrow(e.to_string()))?
                    }
                };
                as_csv_column(part)
            })
            .collect::<Result<Vec<_>, FrameError>>()?;
        let chunk = RecordBatch::try_new(schema.clone(), columns)
            .map_err(|e| FrameError::Arrow(e.to_string()))?;
        let mut writer = arrow_csv::WriterBuilder::new()
            .with_header(start == 0)
            .build(Vec::with_capacity(64 * 1024));
        writer
            .write(&chunk)
            .map_err(|e| FrameError::Arrow(e.to_string()))?;
        if !sink(writer.into_inner()) {
            return Ok(());
        }
        if end >= total {
            return Ok(());
        }
        start = end;
    }
}

/// Whether arrow-csv writes this type itself.
fn csv_native(data_type: &DataType) -> bool {
    data_type.is_primitive()
        || matches!(
            data_type,
            DataType::Boolean | DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        )
}

/// Lists, structs and other types arrow-csv cannot write become their text.
fn as_csv_column(array: ArrayRef) -> Result<ArrayRef, FrameError> {
    if csv_native(array.data_type()) {
        return Ok(array);
    }
    let options = FormatOptions::new().with_null("");
    let display = ArrayFormatter::try_new(array.as_ref(), &options)
        .map_err(|e| FrameError::Arrow(e.to_string()))?;
    let text: StringArray = (0..array.len())
        .map(|row| array.is_valid(row).then(|| display.value(row).to_string()))
        .collect();
    Ok(Arc::new(text))
}

/// Rows read to infer the column types of a CSV.
const INFER_ROWS: usize = 1_000;

/// A frame of CSV text with a header row (see `Frame::from_csv`).
pub(crate) fn read_csv(mut csv: impl std::io::Read) -> Result<super::Frame, FrameError> {
    // Inference reads the start, the reader the whole: keep the text (the
    // frame's columns take about as much again).
    let mut text = Vec::new();
    csv.read_to_end(&mut text)
        .map_err(|e| FrameError::Rows(format!("the CSV could not be read: {e}")))?;
    // A byte-order mark (as Excel writes) is not part of the first name.
    let body = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&text);
    // Types from the first rows, which is fast; when a later row does not
    // fit them (a number column with text at row 5,000), from every row.
    read_with_inference(body, Some(INFER_ROWS)).or_else(|_| read_with_inference(body, None))
}

fn read_with_inference(body: &[u8], rows: Option<usize>) -> Result<super::Frame, FrameError> {
    let not_csv = |e: arrow_schema::ArrowError| FrameError::Rows(format!("not CSV: {e}"));
    let format = arrow_csv::reader::Format::default().with_header(true);
    let (schema, _) = format.infer_schema(body, rows).map_err(not_csv)?;
    let schema = Arc::new(schema);
    let batches = arrow_csv::ReaderBuilder::new(schema.clone())
        .with_header(true)
        .build(body)
        .map_err(not_csv)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(not_csv)?;
    if batches.is_empty() {
        return Ok(super::Frame::from_batch(RecordBatch::new_empty(schema)));
    }
    super::Frame::from_batches(&batches)
}

/// The whole of `batch` as CSV with a header row; lists, structs and other
/// types arrow-csv cannot write become their text.
pub(crate) fn write_batch(batch: &RecordBatch) -> Result<Vec<u8>, FrameError> {
    let columns = batch
        .columns()
        .iter()
        .map(|column| as_csv_column(column.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let fields: Vec<Field> = batch
        .schema()
        .fields()
        .iter()
        .zip(&columns)
        .map(|(field, column)| Field::new(field.name(), column.data_type().clone(), true))
        .collect();
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| FrameError::Arrow(e.to_string()))?;
    let mut out = Vec::new();
    {
        let mut writer = arrow_csv::WriterBuilder::new()
            .with_header(true)
            .build(&mut out);
        writer
            .write(&batch)
            .map_err(|e| FrameError::Arrow(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::columns::resolve;
    use crate::data::Frame;

    #[derive(serde::Serialize)]
    struct Row {
        id: u32,
        name: String,
        tags: Vec<String>,
    }

    #[test]
    fn csv_in_and_out() {
        // A byte-order mark, and a number column with text after the rows
        // types are inferred from.
        let mut text = String::from("\u{feff}id,value\n");
        for i in 0..1_500 {
            text.push_str(&format!("{i},{i}\n"));
        }
        text.push_str("1500,not a number\n");
        let frame = super::read_csv(text.as_bytes()).expect("reads");
        assert_eq!(frame.column_names(), vec!["id", "value"]);
        assert_eq!(frame.num_rows(), 1_501);
        let list = crate::data::Frame::from_rows(&[vec![1, 2], vec![3]]).expect("rows");
        let csv = String::from_utf8(list.to_csv().expect("writes")).expect("utf-8");
        assert_eq!(csv, "value\n\"[1, 2]\"\n[3]\n");
    }

    #[test]
    fn csv_follows_the_view_in_chunks() {
        let rows: Vec<Row> = (0..40_000)
            .map(|id| Row {
                id,
                name: format!("n{}", 40_000 - id),
                tags: vec!["a".into(), "b".into()],
            })
            .collect();
        let frame = Frame::from_rows(&rows).expect("rows");
        let resolved = resolve(&frame, &[], None, false).expect("resolves");
        let view = FrameView {
            frame,
            columns: resolved.columns,
            key: resolved.key,
        };
        let mut chunks = Vec::new();
        let request = CsvRequest {
            sort: Some(SortKey {
                column: "id".into(),
                descending: true,
            }),
            search: String::new(),
            columns: vec!["id".into(), "tags".into()],
        };
        write_csv(&view, &request, |chunk| {
            chunks.push(chunk);
            true
        })
        .expect("csv");
        assert_eq!(chunks.len(), 3, "40,000 rows in chunks of 16,384");
        let text = String::from_utf8(chunks.concat()).expect("utf-8");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("id,tags"));
        assert_eq!(lines.next(), Some("39999,\"[a, b]\""));
        assert_eq!(text.lines().count(), 40_001);
        // A cancelled download stops after the first chunk.
        let mut written = 0;
        write_csv(&view, &CsvRequest::default(), |_| {
            written += 1;
            false
        })
        .expect("csv");
        assert_eq!(written, 1);
        let bad = CsvRequest {
            columns: vec!["nope".into()],
            ..CsvRequest::default()
        };
        assert!(write_csv(&view, &bad, |_| true).is_err());
    }
}
