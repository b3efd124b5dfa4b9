//! [`Frame`]: a table held on the server in Arrow's columnar form, with an
//! identity, and the conversions into it ([`IntoFrame`]).

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{FieldRef, SchemaRef};
use serde::de::DeserializeOwned;
use serde::ser::SerializeStruct;
use serde::Serialize;
use serde_arrow::schema::{SchemaLike, TracingOptions};

use super::FrameError;

/// A table held on the server: a shared Arrow [`RecordBatch`] and an
/// identity (a hash of its contents). Cloning is cheap (one reference
/// count), so a `Frame` is what a cache returns and what every session
/// showing it shares: drawing a cached 10,000,000-row frame in a rerun
/// converts nothing and sends nothing again, and ten sessions showing it
/// hold one copy.
///
/// Build one from rows of any `Serialize` type ([`Frame::from_rows`]), an
/// Arrow batch ([`Frame::from_batch`]) or, with the `polars` feature, a
/// `polars::DataFrame`; anything that is [`IntoFrame`] works where a frame
/// is expected (`ui.dataframe(&rows)`).
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::data::Frame;
///
/// #[derive(serde::Serialize)]
/// struct Sale {
///     region: &'static str,
///     units: u32,
/// }
///
/// /// Built once, then shared by every rerun and every session.
/// fn sales() -> Frame {
///     let rows: Vec<Sale> = (0..1_000)
///         .map(|i| Sale { region: ["north", "south"][i % 2], units: i as u32 })
///         .collect();
///     Frame::from_rows(&rows).expect("plain structs convert")
/// }
///
/// fn app(ui: &Ui) {
///     let frame = ui.cache_data("sales", &(), sales);
///     ui.caption(format!("Rows: {}", frame.num_rows()));
///     ui.dataframe(&frame);
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.caption(), vec!["Rows: 1000"]);
/// ```
#[derive(Clone)]
pub struct Frame {
    inner: Arc<FrameData>,
}

struct FrameData {
    id: String,
    batch: RecordBatch,
    /// Sort orders by (column, descending), most recent last.
    sorts: Recent<SortCacheKey, Order>,
    /// Filtered (and maybe sorted) views by (grid, sort, search).
    views: Recent<String, Order>,
    /// Column widths by (column, how it is shown).
    widths: Mutex<Vec<(String, u32)>>,
}

type SortCacheKey = (usize, bool);
/// Row positions in a view's order.
type Order = Arc<[u32]>;
/// Computed once by whoever asks first; others asking meanwhile wait.
type Shared<T> = Arc<OnceLock<T>>;
/// A small most-recently-used cache (most recent last).
type Recent<K, T> = Mutex<VecDeque<(K, Shared<T>)>>;

/// Sort orders kept per frame (each is 4 bytes per row).
const SORTS_KEPT: usize = 2;
/// Searched views kept per frame.
const VIEWS_KEPT: usize = 4;

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame")
            .field("id", &self.inner.id)
            .field("rows", &self.num_rows())
            .field("columns", &self.column_names())
            .finish()
    }
}

impl PartialEq for Frame {
    /// Frames with the same contents are equal (their ids are equal).
    fn eq(&self, other: &Frame) -> bool {
        self.inner.id == other.inner.id
    }
}

impl Frame {
    /// A frame of an Arrow batch (its buffers are shared, not copied).
    pub fn from_batch(batch: RecordBatch) -> Frame {
        let id = content_id(&batch);
        Frame {
            inner: Arc::new(FrameData {
                id,
                batch,
                sorts: Mutex::default(),
                views: Mutex::default(),
                widths: Mutex::default(),
            }),
        }
    }

    /// A frame of several batches with one schema, concatenated.
    pub fn from_batches(batches: &[RecordBatch]) -> Result<Frame, FrameError> {
        let Some(first) = batches.first() else {
            return Err(FrameError::NoBatches);
        };
        let batch = arrow_select::concat::concat_batches(&first.schema(), batches)
            .map_err(|e| FrameError::Arrow(e.to_string()))?;
        Ok(Frame::from_batch(batch))
    }

    /// A frame of CSV text with a header row (an uploaded file, say). The
    /// column types are inferred from the first 1,000 rows (integers,
    /// floats, booleans, dates and timestamps, else text); when a later row
    /// does not fit them the whole text is read again with types inferred
    /// from every row. A leading byte-order mark is skipped; empty fields
    /// are empty cells.
    ///
    /// ```
    /// use brooklet::data::Frame;
    /// let frame = Frame::from_csv("city,people\nOslo,709000\nBergen,291000\n".as_bytes()).unwrap();
    /// assert_eq!((frame.num_rows(), frame.num_columns()), (2, 2));
    /// assert_eq!(frame.column_names(), vec!["city", "people"]);
    /// ```
    pub fn from_csv(csv: impl std::io::Read) -> Result<Frame, FrameError> {
        super::csv::read_csv(csv)
    }

    /// The whole frame as CSV text with a header row.
    ///
    /// ```
    /// use brooklet::data::Frame;
    /// let frame = Frame::from_csv("a,b\n1,x\n".as_bytes()).unwrap();
    /// assert_eq!(frame.to_csv().unwrap(), b"a,b\n1,x\n");
    /// ```
    pub fn to_csv(&self) -> Result<Vec<u8>, FrameError> {
        super::csv::write_batch(self.batch())
    }

    /// The rows whose entry in `keep` is true (one per row, in order).
    ///
    /// ```
    /// use brooklet::data::Frame;
    /// let frame = Frame::from_rows(&[1, 2, 3]).unwrap();
    /// let odd = frame.filter(&[true, false, true]).unwrap();
    /// assert_eq!(odd.num_rows(), 2);
    /// assert_eq!(odd.to_csv().unwrap(), b"value\n1\n3\n");
    /// ```
    pub fn filter(&self, keep: &[bool]) -> Result<Frame, FrameError> {
        if keep.len() != self.num_rows() {
            return Err(FrameError::Rows(format!(
                "filter: {} flags for {} rows",
                keep.len(),
                self.num_rows()
            )));
        }
        let mask = arrow_array::BooleanArray::from(keep.to_vec());
        let batch = arrow_select::filter::filter_record_batch(self.batch(), &mask)
            .map_err(|e| FrameError::Arrow(e.to_string()))?;
        Ok(Frame::from_batch(batch))
    }

    /// A frame of rows of any `Serialize` type: a struct's fields (or a
    /// map's keys) are the columns, in order; `Option` fields may be empty;
    /// a `Vec` field is a list column; enums without data are text. Rows
    /// that are not structs or maps (numbers, strings) make one column
    /// named `value`.
    pub fn from_rows<T: Serialize>(rows: &[T]) -> Result<Frame, FrameError> {
        if rows.is_empty() {
            // Nothing to learn the columns from: an empty table.
            return Ok(Frame::from_batch(RecordBatch::new_empty(Arc::new(
                arrow_schema::Schema::empty(),
            ))));
        }
        match rows_to_batch(rows) {
            Ok(batch) => Ok(Frame::from_batch(batch)),
            Err(first) => {
                // Not a struct per row: one column named `value`.
                let wrapped: Vec<Scalar<'_, T>> = rows.iter().map(Scalar).collect();
                rows_to_batch(&wrapped)
                    .map(Frame::from_batch)
                    .map_err(|_| FrameError::Rows(first))
            }
        }
    }

    /// Rows with the columns of `like` (the same names and types, even
    /// where every row of `rows` leaves a column empty).
    pub fn from_rows_like<T: Serialize>(rows: &[T], like: &Frame) -> Result<Frame, FrameError> {
        let fields: Vec<FieldRef> = like.schema().fields().iter().cloned().collect();
        if let Ok(batch) = serde_arrow::to_record_batch(&fields, &rows) {
            return Ok(Frame::from_batch(batch));
        }
        // Rows that are not structs make a `value` column.
        let wrapped: Vec<Scalar<'_, T>> = rows.iter().map(Scalar).collect();
        if let Ok(batch) = serde_arrow::to_record_batch(&fields, &wrapped) {
            return Ok(Frame::from_batch(batch));
        }
        // They do not fit: say how their columns differ.
        let theirs = Frame::from_rows(rows)?;
        Err(FrameError::Schema {
            expected: like.column_names().join(", "),
            found: theirs.column_names().join(", "),
        })
    }

    /// An empty frame with the columns `T` has (traced from its
    /// `Deserialize` implementation), or `None` when they cannot be told.
    pub(crate) fn empty_of<T: serde::de::DeserializeOwned>() -> Option<Frame> {
        let fields = Vec::<FieldRef>::from_type::<T>(tracing_options()).ok()?;
        let schema = arrow_schema::Schema::new(fields);
        Some(Frame::from_batch(RecordBatch::new_empty(Arc::new(schema))))
    }

    /// The rows back as `T` (each column into the field of its name).
    pub fn to_rows<T: DeserializeOwned>(&self) -> Result<Vec<T>, FrameError> {
        serde_arrow::from_record_batch(&self.inner.batch)
            .map_err(|e| FrameError::Rows(e.to_string()))
    }

    /// A new frame: these rows, then those of `more` (same columns).
    pub fn concat(&self, more: &Frame) -> Result<Frame, FrameError> {
        if self.schema().fields() != more.schema().fields() {
            return Err(FrameError::Schema {
                expected: self.column_names().join(", "),
                found: more.column_names().join(", "),
            });
        }
        Frame::from_batches(&[self.inner.batch.clone(), more.inner.batch.clone()])
    }

    /// The frame's identity: 32 hex digits, equal for equal contents.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// The Arrow batch.
    pub fn batch(&self) -> &RecordBatch {
        &self.inner.batch
    }

    /// The Arrow schema.
    pub fn schema(&self) -> SchemaRef {
        self.inner.batch.schema()
    }

    /// How many rows.
    pub fn num_rows(&self) -> usize {
        self.inner.batch.num_rows()
    }

    /// How many columns.
    pub fn num_columns(&self) -> usize {
        self.inner.batch.num_columns()
    }

    /// The column names, in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.inner
            .batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect()
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&ArrayRef> {
        self.inner.batch.column_by_name(name)
    }

    /// Bytes of memory its columns use.
    pub fn memory_size(&self) -> usize {
        self.inner.batch.get_array_memory_size()
    }

    /// Whether two handles share one table (not just equal contents).
    pub(crate) fn shares(&self, other: &Frame) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// The sort order of column `column`: original row positions, sorted.
    /// Computed once per frame and key (while cached), by the first asker.
    pub(crate) fn sort_order(
        &self,
        column: usize,
        descending: bool,
        compute: impl FnOnce() -> Vec<u32>,
    ) -> Arc<[u32]> {
        let cell = cached(&self.inner.sorts, (column, descending), SORTS_KEPT);
        cell.get_or_init(|| Arc::from(compute())).clone()
    }

    /// The sort order of `column` if it is computed and cached.
    pub(crate) fn cached_sort_order(&self, column: usize, descending: bool) -> Option<Arc<[u32]>> {
        crate::sync::lock(&self.inner.sorts)
            .iter()
            .find(|(key, _)| *key == (column, descending))
            .and_then(|(_, cell)| cell.get().cloned())
    }

    /// A filtered view, cached under `key` (grid, sort and search).
    pub(crate) fn view(&self, key: String, compute: impl FnOnce() -> Vec<u32>) -> Arc<[u32]> {
        let cell = cached(&self.inner.views, key, VIEWS_KEPT);
        cell.get_or_init(|| Arc::from(compute())).clone()
    }

    /// A column width, cached under `key`.
    pub(crate) fn width(&self, key: &str, compute: impl FnOnce() -> u32) -> u32 {
        if let Some((_, w)) = crate::sync::lock(&self.inner.widths)
            .iter()
            .find(|(k, _)| k == key)
        {
            return *w;
        }
        let width = compute();
        let mut widths = crate::sync::lock(&self.inner.widths);
        if widths.len() >= 256 {
            widths.clear();
        }
        widths.push((key.to_owned(), width));
        width
    }
}

/// The entry for `key` in a small most-recently-used cache, made if new.
fn cached<K: PartialEq, T>(
    cache: &Mutex<VecDeque<(K, Shared<T>)>>,
    key: K,
    keep: usize,
) -> Shared<T> {
    let mut cache = crate::sync::lock(cache);
    if let Some(at) = cache.iter().position(|(k, _)| *k == key) {
        let entry = cache.remove(at);
        if let Some(entry) = entry {
            let cell = entry.1.clone();
            cache.push_back(entry);
            return cell;
        }
    }
    let cell: Shared<T> = Arc::default();
    cache.push_back((key, cell.clone()));
    while cache.len() > keep {
        cache.pop_front();
    }
    cell
}

/// Rows to a batch through serde_arrow: strings as `Utf8`, lists as
/// `List`, nulls allowed, unit enums as text, maps as structs.
fn rows_to_batch<T: Serialize>(rows: &[T]) -> Result<RecordBatch, String> {
    let fields =
        Vec::<FieldRef>::from_samples(rows, tracing_options()).map_err(|e| e.to_string())?;
    serde_arrow::to_record_batch(&fields, &rows).map_err(|e| e.to_string())
}

fn tracing_options() -> TracingOptions {
    TracingOptions::default()
        .allow_null_fields(true)
        .strings_as_large_utf8(false)
        .sequence_as_large_list(false)
        .bytes_as_large_binary(false)
        .enums_without_data_as_strings(true)
        .map_as_struct(true)
        .coerce_numbers(true)
}

/// A row that is not a struct, as a struct with one field named `value`.
struct Scalar<'a, T>(&'a T);

impl<T: Serialize> Serialize for Scalar<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut row = serializer.serialize_struct("Row", 1)?;
        row.serialize_field("value", self.0)?;
        row.end()
    }
}

/// 128 bits of a keyed hash of the schema and every buffer.
fn content_id(batch: &RecordBatch) -> String {
    static KEYS: OnceLock<(std::hash::RandomState, std::hash::RandomState)> = OnceLock::new();
    let keys = KEYS.get_or_init(Default::default);
    let mut halves = [keys.0.build_hasher(), keys.1.build_hasher()];
    for hasher in &mut halves {
        hasher.write_usize(batch.num_rows());
        for field in batch.schema_ref().fields() {
            hasher.write(field.name().as_bytes());
            hasher.write(format!("{:?}", field.data_type()).as_bytes());
        }
        for column in batch.columns() {
            hash_array(&column.to_data(), hasher);
        }
    }
    format!("{:016x}{:016x}", halves[0].finish(), halves[1].finish())
}

fn hash_array(data: &arrow_data::ArrayData, hasher: &mut impl Hasher) {
    hasher.write_usize(data.len());
    hasher.write_usize(data.offset());
    match data.nulls() {
        Some(nulls) => {
            hasher.write_usize(nulls.offset());
            hasher.write(nulls.buffer().as_slice());
        }
        None => hasher.write_u8(0),
    }
    for buffer in data.buffers() {
        hasher.write(buffer.as_slice());
    }
    for child in data.child_data() {
        hash_array(child, hasher);
    }
}

/// Anything that can be shown as a dataframe: rows of a `Serialize` type
/// (`&[T]`, `&Vec<T>`, `&[T; N]`), a [`Frame`], an Arrow
/// [`RecordBatch`], and with the `polars` feature a `polars::DataFrame`.
pub trait IntoFrame {
    /// The frame.
    fn into_frame(self) -> Result<Frame, FrameError>;

    /// The frame, with the columns of `like` where the conversion has a
    /// choice (rows appended by `add_rows` take the drawn frame's types,
    /// even when a column is empty in every new row).
    fn into_frame_like(self, like: &Frame) -> Result<Frame, FrameError>
    where
        Self: Sized,
    {
        let _ = like;
        self.into_frame()
    }
}

impl IntoFrame for Frame {
    fn into_frame(self) -> Result<Frame, FrameError> {
        Ok(self)
    }
}

/// A frame that may have failed to build (`Frame::from_columns(..)`): the
/// element that shows it shows the error in its place.
impl IntoFrame for Result<Frame, FrameError> {
    fn into_frame(self) -> Result<Frame, FrameError> {
        self
    }
}

impl IntoFrame for &Frame {
    fn into_frame(self) -> Result<Frame, FrameError> {
        Ok(self.clone())
    }
}

impl IntoFrame for RecordBatch {
    fn into_frame(self) -> Result<Frame, FrameError> {
        Ok(Frame::from_batch(self))
    }
}

impl IntoFrame for &RecordBatch {
    fn into_frame(self) -> Result<Frame, FrameError> {
        Ok(Frame::from_batch(self.clone()))
    }
}

impl<T: Serialize> IntoFrame for &[T] {
    fn into_frame(self) -> Result<Frame, FrameError> {
        Frame::from_rows(self)
    }
    fn into_frame_like(self, like: &Frame) -> Result<Frame, FrameError> {
        Frame::from_rows_like(self, like)
    }
}

impl<T: Serialize> IntoFrame for &Vec<T> {
    fn into_frame(self) -> Result<Frame, FrameError> {
        Frame::from_rows(self)
    }
    fn into_frame_like(self, like: &Frame) -> Result<Frame, FrameError> {
        Frame::from_rows_like(self, like)
    }
}

impl<T: Serialize, const N: usize> IntoFrame for &[T; N] {
    fn into_frame(self) -> Result<Frame, FrameError> {
        Frame::from_rows(self)
    }
    fn into_frame_like(self, like: &Frame) -> Result<Frame, FrameError> {
        Frame::from_rows_like(self, like)
    }
}

impl From<RecordBatch> for Frame {
    fn from(batch: RecordBatch) -> Frame {
        Frame::from_batch(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, serde::Deserialize, Debug, PartialEq, Clone)]
    struct Row {
        zeta: i32,
        alpha: Option<String>,
        tags: Vec<String>,
    }

    fn rows() -> Vec<Row> {
        vec![
            Row {
                zeta: 1,
                alpha: Some("a".into()),
                tags: vec!["x".into()],
            },
            Row {
                zeta: 2,
                alpha: None,
                tags: vec![],
            },
        ]
    }

    #[test]
    fn rows_become_columns_in_field_order_and_come_back() {
        let frame = Frame::from_rows(&rows()).expect("rows");
        assert_eq!(frame.column_names(), vec!["zeta", "alpha", "tags"]);
        assert_eq!(frame.num_rows(), 2);
        let back: Vec<Row> = frame.to_rows().expect("back");
        assert_eq!(back, rows());
    }

    #[test]
    fn equal_contents_have_equal_ids() {
        let a = Frame::from_rows(&rows()).expect("rows");
        let b = Frame::from_rows(&rows()).expect("rows");
        assert_eq!(a.id(), b.id());
        assert_eq!(a.id().len(), 32);
        assert!(!a.shares(&b));
        let mut other = rows();
        other[1].zeta = 3;
        assert_ne!(a.id(), Frame::from_rows(&other).expect("rows").id());
    }

    #[test]
    fn scalars_make_one_value_column() {
        let frame = Frame::from_rows(&[1.5, 2.5]).expect("scalars");
        assert_eq!(frame.column_names(), vec!["value"]);
        let frame = Frame::from_rows(&["a", "b"]).expect("strings");
        assert_eq!(frame.column_names(), vec!["value"]);
    }

    #[test]
    fn concat_checks_the_columns() {
        let a = Frame::from_rows(&rows()).expect("rows");
        let both = a.concat(&a).expect("same columns");
        assert_eq!(both.num_rows(), 4);
        let other = Frame::from_rows(&[1, 2]).expect("ints");
        let error = a.concat(&other).expect_err("different columns");
        assert!(error.to_string().contains("zeta"), "{error}");
    }

    #[test]
    fn the_cache_keeps_the_most_recent() {
        let frame = Frame::from_rows(&rows()).expect("rows");
        let mut computed = 0;
        for (column, descending) in [(0, false), (0, true), (0, false), (1, false), (0, false)] {
            frame.sort_order(column, descending, || {
                computed += 1;
                vec![0, 1]
            });
        }
        // (0,false) is computed once and stays the most recent; (0,true)
        // and (1,false) are computed once each.
        assert_eq!(computed, 3);
    }
}
