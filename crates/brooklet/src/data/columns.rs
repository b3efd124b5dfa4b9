//! Column configuration ([`Column`]) and how a frame's columns are shown:
//! their type, label, format, width and alignment, resolved against the
//! frame's data once per draw.

use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrowNativeTypeOp, ArrowPrimitiveType, PrimitiveArray};
use arrow_schema::DataType;
use chrono::format::{Item, StrftimeItems};

use super::cells::{number_at, CellWriter};
use super::format::NumberFormat;
use super::{Frame, FrameError};
use crate::protocol::{Align, ColumnEdit, ColumnKind, ColumnSpec, IndexSpec};

/// How one column of a dataframe is shown, the way Streamlit's
/// `column_config` does it: a type (from the data unless set), a label,
/// width, help, alignment, whether it is hidden or pinned, and type
/// options such as a number or date format.
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::data::Column;
///
/// #[derive(serde::Serialize)]
/// struct Item {
///     name: &'static str,
///     price: f64,
///     share: f64,
///     in_stock: bool,
///     added: &'static str,
///     site: &'static str,
///     history: Vec<u32>,
/// }
///
/// fn app(ui: &Ui) {
///     let rows = [Item {
///         name: "Kettle",
///         price: 39.5,
///         share: 0.42,
///         in_stock: true,
///         added: "2024-05-01",
///         site: "https://example.com/kettle",
///         history: vec![3, 5, 4, 8],
///     }];
///     ui.add(
///         Dataframe::new(&rows)
///             .column("name", Column::text().label("Product").pinned(true))
///             .column("price", Column::number().format("dollar"))
///             .column("share", Column::progress().min(0.0).max(1.0).format("percent"))
///             .column("in_stock", "In stock") // a label alone
///             .column("added", Column::date().format("%b %-d, %Y"))
///             .column("site", Column::link().display_text("Open"))
///             .column("history", Column::line_chart().help("Units per week"))
///             .hide_index(true),
///     );
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # let grid = at.dataframe(0);
/// # assert_eq!(grid.cell_text(0, "price").as_deref(), Some("$39.50"));
/// # assert_eq!(grid.cell_text(0, "added").as_deref(), Some("May 1, 2024"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use = "pass it to `Dataframe::column`"]
pub struct Column {
    kind: Option<ColumnKind>,
    label: Option<String>,
    width: Option<u32>,
    help: Option<String>,
    hidden: bool,
    pinned: bool,
    align: Option<Align>,
    format: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    display_text: Option<String>,
    // Data editor options.
    disabled: bool,
    required: Option<bool>,
    step: Option<f64>,
    options: Option<Vec<String>>,
    max_chars: Option<u32>,
    default_value: Option<serde_json::Value>,
}

macro_rules! kinds {
    ($($name:ident => $kind:ident, $doc:literal;)*) => {$(
        #[doc = $doc]
        pub fn $name() -> Column {
            Column { kind: Some(ColumnKind::$kind), ..Column::default() }
        }
    )*};
}

impl Column {
    /// A column whose type comes from its data (numbers are numbers,
    /// booleans checkboxes, dates dates, lists lists, the rest text).
    pub fn new() -> Column {
        Column::default()
    }

    kinds! {
        text => Text, "Text (any column can be shown as text).";
        number => Number, "Numbers, in [`format`](Column::format) (a [`NumberFormat`] name or `printf` pattern).";
        checkbox => Checkbox, "Booleans as checkboxes.";
        date => Date, "Dates (Arrow dates, or ISO `2024-05-01` text), in a `strftime` [`format`](Column::format); default `%Y-%m-%d`.";
        datetime => Datetime, "Dates with times (Arrow timestamps, or ISO text), in a `strftime` format; default `%Y-%m-%d %H:%M:%S`.";
        time => Time, "Times of day, in a `strftime` format; default `%H:%M:%S`.";
        link => Link, "URLs as links (opened in a new tab); see [`display_text`](Column::display_text).";
        progress => Progress, "Numbers as progress bars from [`min`](Column::min) (default 0) to [`max`](Column::max) (default 100 for integers, 1 for floats).";
        list => List, "Lists as small chips.";
        image => Image, "Image URLs (`https://…` or `data:image/…`) as thumbnails.";
        line_chart => LineChart, "Lists of numbers as a small line chart; [`min`](Column::min)/[`max`](Column::max) fix the y range.";
        bar_chart => BarChart, "Lists of numbers as a small bar chart; [`min`](Column::min)/[`max`](Column::max) fix the y range.";
    }

    /// Data editor: text edited by choosing one of `options` (shown as
    /// text in a dataframe).
    pub fn selectbox<S: Into<String>>(options: impl IntoIterator<Item = S>) -> Column {
        Column {
            kind: Some(ColumnKind::Text),
            options: Some(options.into_iter().map(Into::into).collect()),
            ..Column::default()
        }
    }

    /// The header text (default: the column's name).
    pub fn label(mut self, label: impl Into<String>) -> Column {
        self.label = Some(label.into());
        self
    }
    /// Width in pixels (default: from the data). Streamlit's small,
    /// medium and large are 75, 200 and 400.
    pub fn width(mut self, pixels: u32) -> Column {
        self.width = Some(pixels.clamp(24, 2_000));
        self
    }
    /// A tooltip on the header.
    pub fn help(mut self, help: impl Into<String>) -> Column {
        self.help = Some(help.into());
        self
    }
    /// Leave the column out.
    pub fn hidden(mut self, hidden: bool) -> Column {
        self.hidden = hidden;
        self
    }
    /// Keep the column at the left, visible when the grid scrolls sideways.
    pub fn pinned(mut self, pinned: bool) -> Column {
        self.pinned = pinned;
        self
    }
    /// Alignment of the cells (default: numbers right, checkboxes centred,
    /// the rest left).
    pub fn align(mut self, align: Align) -> Column {
        self.align = Some(align);
        self
    }
    /// Number columns and progress bars: a [`NumberFormat`] name or
    /// `printf` pattern. Date and time columns: a `strftime` pattern, or
    /// `"iso8601"` or `"localized"`.
    pub fn format(mut self, format: impl Into<String>) -> Column {
        self.format = Some(format.into());
        self
    }
    /// Progress bars: the empty end. Charts: the bottom of the y range.
    pub fn min(mut self, min: f64) -> Column {
        self.min = Some(min);
        self
    }
    /// Progress bars: the full end. Charts: the top of the y range.
    pub fn max(mut self, max: f64) -> Column {
        self.max = Some(max);
        self
    }
    /// Links: the text shown instead of the URL.
    pub fn display_text(mut self, text: impl Into<String>) -> Column {
        self.display_text = Some(text.into());
        self
    }
    /// Data editor: the column cannot be edited.
    pub fn disabled(mut self, disabled: bool) -> Column {
        self.disabled = disabled;
        self
    }
    /// Data editor: a value is required (an empty cell is refused). By
    /// default a column is required when its data cannot be empty (a
    /// field that is not an `Option`).
    pub fn required(mut self, required: bool) -> Column {
        self.required = Some(required);
        self
    }
    /// Data editor, numbers: the step of the input.
    pub fn step(mut self, step: f64) -> Column {
        self.step = Some(step);
        self
    }
    /// Data editor, text: at most this many characters.
    pub fn max_chars(mut self, max: u32) -> Column {
        self.max_chars = Some(max);
        self
    }
    /// Data editor: the value of this column in a new row.
    pub fn default_value(mut self, value: impl Into<serde_json::Value>) -> Column {
        self.default_value = Some(value.into());
        self
    }
}

impl From<&str> for Column {
    /// A column with this label.
    fn from(label: &str) -> Column {
        Column::new().label(label)
    }
}

impl From<String> for Column {
    /// A column with this label.
    fn from(label: String) -> Column {
        Column::new().label(label)
    }
}

/// A column as drawn: where its data is and how its cells are written.
#[derive(Debug, Clone)]
pub(crate) struct ShownColumn {
    pub(crate) name: String,
    /// Its position in the frame.
    pub(crate) field: usize,
    pub(crate) kind: ColumnKind,
    pub(crate) number: NumberFormat,
    /// `strftime` pattern of date and time columns.
    pub(crate) date_format: String,
    pub(crate) display_text: Option<String>,
    /// Progress bars: the empty and full ends.
    pub(crate) range: (f64, f64),
    /// In a data editor: how it may be edited (`None`: it may not).
    pub(crate) edit: Option<ColumnEdit>,
    /// In a data editor: its value in a new row.
    pub(crate) default_value: Option<serde_json::Value>,
    /// Whether a sort by it is allowed (decided once, from its data and
    /// type; the page's headers and the server's sort both follow it).
    pub(crate) sortable: bool,
}

/// The columns of one grid: what the browser is told and what the server
/// writes cells with.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) columns: Arc<[ShownColumn]>,
    pub(crate) specs: Vec<ColumnSpec>,
    pub(crate) index: Option<IndexSpec>,
    /// The grid's identity: the frame's id and how it is shown.
    pub(crate) key: String,
}

/// Resolve the columns of `frame` against the app's configuration.
#[cfg(test)]
pub(crate) fn resolve(
    frame: &Frame,
    config: &[(String, Column)],
    order: Option<&[String]>,
    hide_index: bool,
) -> Result<Resolved, FrameError> {
    resolve_for(frame, config, order, hide_index, false)
}

/// [`resolve`], for a data editor when `editing`: columns get their edit
/// constraints.
pub(crate) fn resolve_for(
    frame: &Frame,
    config: &[(String, Column)],
    order: Option<&[String]>,
    hide_index: bool,
    editing: bool,
) -> Result<Resolved, FrameError> {
    // Views hold row positions as `u32` (4 bytes a row, not 8).
    if u32::try_from(frame.num_rows()).is_err() {
        return Err(FrameError::Request(format!(
            "{} rows are more than a dataframe shows (at most {})",
            frame.num_rows(),
            u32::MAX
        )));
    }
    let names: Vec<&str> = frame.column_names();
    let known = || names.join(", ");
    for (name, _) in config {
        if !names.contains(&name.as_str()) {
            return Err(FrameError::UnknownColumn {
                name: name.clone(),
                known: known(),
            });
        }
    }
    let shown_names: Vec<&str> = match order {
        Some(order) => {
            for name in order {
                if !names.contains(&name.as_str()) {
                    return Err(FrameError::UnknownColumn {
                        name: name.clone(),
                        known: known(),
                    });
                }
            }
            order.iter().map(String::as_str).collect()
        }
        None => names.clone(),
    };
    let mut columns = Vec::new();
    let mut specs = Vec::new();
    for name in shown_names {
        let Some(field) = names.iter().position(|n| *n == name) else {
            continue;
        };
        let column = config
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        if column.hidden {
            continue;
        }
        let (shown, spec) = resolve_column(frame, name, field, column, editing)?;
        columns.push(shown);
        specs.push(spec);
    }
    // Pinned columns first, keeping their order.
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|&i| !specs[i].pinned);
    let columns: Vec<ShownColumn> = order.iter().map(|&i| columns[i].clone()).collect();
    let specs: Vec<ColumnSpec> = order.iter().map(|&i| specs[i].clone()).collect();
    let index = (!hide_index).then(|| IndexSpec {
        width: text_width(frame.num_rows().saturating_sub(1).to_string().len(), 0).max(48),
    });
    let key = grid_key(frame, &columns, &specs);
    Ok(Resolved {
        columns: columns.into(),
        specs,
        index,
        key,
    })
}

fn resolve_column(
    frame: &Frame,
    name: &str,
    field: usize,
    column: Column,
    editing: bool,
) -> Result<(ShownColumn, ColumnSpec), FrameError> {
    let array = frame.batch().column(field);
    let data_type = array.data_type();
    let kind = column.kind.unwrap_or_else(|| kind_of(data_type));
    check_kind(name, kind, data_type)?;
    let mismatch = |what: &str| FrameError::ColumnType {
        column: name.to_owned(),
        message: what.to_owned(),
    };
    let number = match (&column.format, kind) {
        (Some(format), ColumnKind::Number | ColumnKind::Progress) => {
            NumberFormat::parse(format).map_err(|e| mismatch(&e.to_string()))?
        }
        (_, ColumnKind::Progress) if column.max.is_none() && !data_type.is_integer() => {
            NumberFormat::parse("percent").map_err(|e| mismatch(&e.to_string()))?
        }
        _ => NumberFormat::auto(),
    };
    let date_format = match kind {
        ColumnKind::Date | ColumnKind::Datetime | ColumnKind::Time => {
            date_format(kind, column.format.as_deref()).map_err(|e| mismatch(&e))?
        }
        _ => String::new(),
    };
    if column.format.is_some()
        && !matches!(
            kind,
            ColumnKind::Number
                | ColumnKind::Progress
                | ColumnKind::Date
                | ColumnKind::Datetime
                | ColumnKind::Time
        )
    {
        return Err(mismatch(&format!(
            "a format applies to number, progress, date and time columns, not to a {} column",
            kind_name(kind)
        )));
    }
    let integer = data_type.is_integer();
    let range = (
        column.min.unwrap_or(0.0),
        column.max.unwrap_or(if integer { 100.0 } else { 1.0 }),
    );
    if kind == ColumnKind::Progress && range.1 <= range.0 {
        return Err(mismatch("a progress column's max must be above its min"));
    }
    let align = column.align.unwrap_or(match kind {
        ColumnKind::Number => Align::Right,
        ColumnKind::Checkbox => Align::Center,
        _ => Align::Left,
    });
    let label = column.label.clone().unwrap_or_else(|| name.to_owned());
    if column.options.is_some() && kind != ColumnKind::Text {
        return Err(mismatch(
            "options apply to text columns (`Column::selectbox`)",
        ));
    }
    let editable_kind = matches!(
        kind,
        ColumnKind::Text
            | ColumnKind::Number
            | ColumnKind::Checkbox
            | ColumnKind::Date
            | ColumnKind::Datetime
            | ColumnKind::Time
            | ColumnKind::Link
    );
    let nullable = frame.schema().field(field).is_nullable();
    let edit = (editing && editable_kind && !column.disabled).then(|| ColumnEdit {
        required: column.required.unwrap_or(!nullable),
        min: column.min,
        max: column.max,
        step: column.step,
        integer: data_type.is_integer(),
        options: column.options.clone(),
        max_chars: column.max_chars,
    });
    let shown = ShownColumn {
        name: name.to_owned(),
        field,
        kind,
        number,
        date_format,
        display_text: column.display_text.clone(),
        range,
        edit: edit.clone(),
        default_value: column.default_value.clone(),
        sortable: super::view::sortable(data_type)
            && !matches!(
                kind,
                ColumnKind::List | ColumnKind::Image | ColumnKind::LineChart | ColumnKind::BarChart
            ),
    };
    let width = match column.width {
        Some(width) => width,
        None => auto_width(frame, &shown, &label),
    };
    let sortable = shown.sortable;
    let (y_min, y_max) = match kind {
        ColumnKind::LineChart | ColumnKind::BarChart => (column.min, column.max),
        _ => (None, None),
    };
    let spec = ColumnSpec {
        name: name.to_owned(),
        label,
        kind,
        width,
        align,
        help: column.help,
        pinned: column.pinned,
        sortable,
        edit,
        y_min,
        y_max,
    };
    Ok((shown, spec))
}

/// The type a column has when the app does not say.
fn kind_of(data_type: &DataType) -> ColumnKind {
    match data_type {
        DataType::Boolean => ColumnKind::Checkbox,
        DataType::Date32 | DataType::Date64 => ColumnKind::Date,
        DataType::Timestamp(_, _) => ColumnKind::Datetime,
        DataType::Time32(_) | DataType::Time64(_) => ColumnKind::Time,
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _) => {
            ColumnKind::List
        }
        t if t.is_numeric() || matches!(t, DataType::Decimal128(_, _)) => ColumnKind::Number,
        _ => ColumnKind::Text,
    }
}

pub(crate) fn kind_name(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Text => "text",
        ColumnKind::Number => "number",
        ColumnKind::Checkbox => "checkbox",
        ColumnKind::Date => "date",
        ColumnKind::Datetime => "datetime",
        ColumnKind::Time => "time",
        ColumnKind::Link => "link",
        ColumnKind::Progress => "progress",
        ColumnKind::List => "list",
        ColumnKind::Image => "image",
        ColumnKind::LineChart => "line_chart",
        ColumnKind::BarChart => "bar_chart",
    }
}

/// Whether a column of `data_type` can be shown as `kind`.
fn check_kind(name: &str, kind: ColumnKind, data_type: &DataType) -> Result<(), FrameError> {
    let numeric = data_type.is_numeric() || matches!(data_type, DataType::Decimal128(_, _));
    let text = matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    );
    let list_of_numbers = match data_type {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            f.data_type().is_numeric()
        }
        _ => false,
    };
    let ok = match kind {
        ColumnKind::Text => true,
        ColumnKind::Number | ColumnKind::Progress => numeric,
        ColumnKind::Checkbox => matches!(data_type, DataType::Boolean),
        ColumnKind::Date | ColumnKind::Datetime | ColumnKind::Time => {
            text || data_type.is_temporal()
        }
        ColumnKind::Link | ColumnKind::Image => text,
        ColumnKind::List => matches!(
            data_type,
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _)
        ),
        ColumnKind::LineChart | ColumnKind::BarChart => list_of_numbers,
    };
    if ok {
        Ok(())
    } else {
        Err(FrameError::ColumnType {
            column: name.to_owned(),
            message: format!(
                "it holds {data_type}, which cannot be shown as a {} column",
                kind_name(kind)
            ),
        })
    }
}

/// The `strftime` pattern of a date or time column.
fn date_format(kind: ColumnKind, format: Option<&str>) -> Result<String, String> {
    let pattern = match (format, kind) {
        (None | Some("iso8601"), ColumnKind::Date) => "%Y-%m-%d",
        (None, ColumnKind::Datetime) => "%Y-%m-%d %H:%M:%S",
        (Some("iso8601"), ColumnKind::Datetime) => "%Y-%m-%dT%H:%M:%S%.f",
        (None | Some("iso8601"), _) => "%H:%M:%S",
        (Some("localized"), ColumnKind::Date) => "%b %-d, %Y",
        (Some("localized"), ColumnKind::Datetime) => "%b %-d, %Y, %-I:%M %p",
        (Some("localized"), _) => "%-I:%M %p",
        (Some(pattern), _) => pattern,
    };
    if StrftimeItems::new(pattern).any(|item| matches!(item, Item::Error)) {
        return Err(format!(
            "`{pattern}` is not a date format (use strftime fields such as `%Y-%m-%d`, or \
             `iso8601` or `localized`)"
        ));
    }
    Ok(pattern.to_owned())
}

/// Pixels for `chars` characters of 14 px text (9 px each: wide enough for
/// digits in the common UI fonts), plus the cell's padding and `extra`.
fn text_width(chars: usize, extra: u32) -> u32 {
    (chars as u32).saturating_mul(9).saturating_add(24 + extra)
}

/// A column's width from its whole data (cached per frame): the longest
/// text, the widest of the smallest, largest and a spread of sampled
/// numbers, never less than its label.
fn auto_width(frame: &Frame, column: &ShownColumn, label: &str) -> u32 {
    let key = format!(
        "{}|{:?}|{:?}|{}",
        column.name, column.kind, column.number, column.date_format
    );
    let data = frame.width(&key, || data_width(frame, column));
    // Room for the label and the sort arrow.
    let header = text_width(label.chars().count(), 18);
    data.max(header).clamp(48, 400)
}

fn data_width(frame: &Frame, column: &ShownColumn) -> u32 {
    let array = frame.batch().column(column.field);
    let rows = array.len();
    match column.kind {
        ColumnKind::Checkbox => 48,
        ColumnKind::Image => 72,
        ColumnKind::LineChart | ColumnKind::BarChart => 120,
        ColumnKind::Progress => 140,
        ColumnKind::Number => {
            let writer = CellWriter::new(column, array);
            let mut chars = 1;
            let (low_row, high_row) = extreme_rows(array.as_ref());
            let step = (rows / 1_000).max(1);
            let sample = (0..rows).step_by(step).chain(low_row).chain(high_row);
            for row in sample {
                if let Some(text) = writer.text(row) {
                    chars = chars.max(text.chars().count());
                }
            }
            text_width(chars, 0)
        }
        ColumnKind::Text | ColumnKind::Link if column.display_text.is_none() => {
            let longest = match array.data_type() {
                DataType::Utf8 => array.as_string_opt::<i32>().map(|a| {
                    a.offsets()
                        .windows(2)
                        .map(|w| (w[1] - w[0]) as usize)
                        .max()
                        .unwrap_or(0)
                }),
                DataType::LargeUtf8 => array.as_string_opt::<i64>().map(|a| {
                    a.offsets()
                        .windows(2)
                        .map(|w| (w[1] - w[0]) as usize)
                        .max()
                        .unwrap_or(0)
                }),
                _ => None,
            };
            match longest {
                Some(bytes) => text_width(bytes.min(48), 0),
                None => sampled_width(column, array, rows),
            }
        }
        _ => sampled_width(column, array, rows),
    }
}

/// The rows of the smallest and the largest number of a numeric column:
/// one typed pass over its values (10,000,000 in a few milliseconds).
fn extreme_rows(array: &dyn Array) -> (Option<usize>, Option<usize>) {
    fn scan<T: ArrowPrimitiveType>(values: &PrimitiveArray<T>) -> (Option<usize>, Option<usize>) {
        let raw = values.values();
        let (mut low, mut high) = (None::<usize>, None::<usize>);
        for (row, v) in raw.iter().enumerate() {
            if values.is_null(row) {
                continue;
            }
            if low.is_none_or(|l| v.compare(raw[l]).is_lt()) {
                low = Some(row);
            }
            if high.is_none_or(|h| v.compare(raw[h]).is_gt()) {
                high = Some(row);
            }
        }
        (low, high)
    }
    macro_rules! typed {
        ($($ty:ty),*) => {$(
            if let Some(values) = array.as_primitive_opt::<$ty>() {
                return scan(values);
            }
        )*};
    }
    typed!(
        Int8Type,
        Int16Type,
        Int32Type,
        Int64Type,
        UInt8Type,
        UInt16Type,
        UInt32Type,
        UInt64Type,
        Float32Type,
        Float64Type,
        Decimal128Type
    );
    // Any other numeric type, value by value.
    let (mut low, mut high) = (None::<(usize, f64)>, None::<(usize, f64)>);
    for row in 0..array.len() {
        if let Some(f) = number_at(array, row).map(|n| n.as_f64()) {
            if low.is_none_or(|(_, l)| f < l) {
                low = Some((row, f));
            }
            if high.is_none_or(|(_, h)| f > h) {
                high = Some((row, f));
            }
        }
    }
    (low.map(|(r, _)| r), high.map(|(r, _)| r))
}

/// Width from up to 1,000 rows spread over the whole column.
fn sampled_width(column: &ShownColumn, array: &arrow_array::ArrayRef, rows: usize) -> u32 {
    let writer = CellWriter::new(column, array);
    let step = (rows / 1_000).max(1);
    let chars = (0..rows)
        .step_by(step)
        .filter_map(|row| writer.text(row).map(|t| t.chars().count()))
        .max()
        .unwrap_or(1);
    text_width(chars.min(48), 0)
}

/// The grid's identity: a hash of the frame's id and how its columns show.
fn grid_key(frame: &Frame, columns: &[ShownColumn], specs: &[ColumnSpec]) -> String {
    static KEYS: std::sync::OnceLock<std::hash::RandomState> = std::sync::OnceLock::new();
    let mut hasher = KEYS.get_or_init(Default::default).build_hasher();
    hasher.write(format!("{columns:?}{specs:?}").as_bytes());
    format!("{}{:016x}", &frame.id()[..16], hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Row {
        id: u64,
        name: String,
        price: f64,
        ok: bool,
    }

    fn frame() -> Frame {
        let rows: Vec<Row> = (0..100)
            .map(|i| Row {
                id: i * 1_000_000,
                name: if i == 99 {
                    "a much longer name than the rest".into()
                } else {
                    "x".into()
                },
                price: i as f64 / 3.0,
                ok: i % 2 == 0,
            })
            .collect();
        Frame::from_rows(&rows).expect("rows")
    }

    #[test]
    fn types_come_from_the_data_and_widths_from_all_rows() {
        let resolved = resolve(&frame(), &[], None, false).expect("resolves");
        let kinds: Vec<ColumnKind> = resolved.specs.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                ColumnKind::Number,
                ColumnKind::Text,
                ColumnKind::Number,
                ColumnKind::Checkbox
            ]
        );
        // The widest id and the longest name are in the last row.
        let id = resolved.specs[0].width;
        let name = resolved.specs[1].width;
        assert!(id >= text_width("99000000".len(), 0), "{id}");
        assert!(name >= text_width(32, 0), "{name}");
        assert_eq!(resolved.specs[0].align, Align::Right);
        assert!(resolved.index.is_some());
    }

    #[test]
    fn config_order_hidden_and_pinned() {
        let config = vec![
            (
                "price".to_owned(),
                Column::number().format("dollar").label("Price"),
            ),
            ("ok".to_owned(), Column::new().hidden(true)),
            ("name".to_owned(), Column::new().pinned(true)),
        ];
        let resolved = resolve(&frame(), &config, None, true).expect("resolves");
        let names: Vec<&str> = resolved.specs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["name", "id", "price"]);
        assert_eq!(resolved.specs[2].label, "Price");
        assert!(resolved.index.is_none());
        let order = vec!["price".to_owned(), "id".to_owned()];
        let resolved = resolve(&frame(), &[], Some(&order), false).expect("resolves");
        assert_eq!(resolved.specs.len(), 2);
    }

    #[test]
    fn mistakes_are_named() {
        let unknown = resolve(&frame(), &[("nope".into(), Column::new())], None, false)
            .expect_err("unknown column");
        assert!(unknown.to_string().contains("nope") && unknown.to_string().contains("price"));
        let wrong = resolve(
            &frame(),
            &[("name".into(), Column::checkbox())],
            None,
            false,
        )
        .expect_err("text as checkbox");
        assert!(wrong.to_string().contains("checkbox"), "{wrong}");
        let format = resolve(
            &frame(),
            &[("price".into(), Column::number().format("%q"))],
            None,
            false,
        )
        .expect_err("bad format");
        assert!(format.to_string().contains("%q"), "{format}");
        let date = resolve(
            &frame(),
            &[("name".into(), Column::date().format("%Q"))],
            None,
            false,
        )
        .expect_err("bad date format");
        assert!(date.to_string().contains("%Q"), "{date}");
    }

    #[test]
    fn the_key_changes_with_the_config() {
        let a = resolve(&frame(), &[], None, false).expect("resolves");
        let b = resolve(&frame(), &[], None, false).expect("resolves");
        let c =
            resolve(&frame(), &[("price".into(), "Price".into())], None, false).expect("resolves");
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, c.key);
    }
}
