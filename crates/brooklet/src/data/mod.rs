//! Dataframes: tables held on the server in Apache Arrow's columnar form.
//!
//! A [`Frame`] is a shared Arrow table with an identity; `ui.dataframe`
//! shows one (or anything [`IntoFrame`]: rows of a `Serialize` type, an
//! Arrow batch, a polars `DataFrame` with the `polars` feature). The rows
//! stay on the server: the page gets the columns and the first rows, and
//! asks for other windows of rows as the person scrolls, sorts and
//! searches. [`Column`] configures how a column shows; [`NumberFormat`] is
//! the number formatting shared by dataframes, tables and metrics.
//! `docs/data.md` is the guide.

mod cells;
pub(crate) mod columns;
pub(crate) mod csv;
pub(crate) mod edits;
mod format;
mod frame;
mod from_columns;
pub(crate) mod m4;
#[cfg(feature = "polars")]
mod polars;
pub(crate) mod registry;
pub(crate) mod series;
pub(crate) mod view;

pub use columns::Column;
pub use edits::{Edits, MAX_EDITS};
pub use format::{FormatError, Number, NumberFormat};
pub use frame::{Frame, IntoFrame};
pub use from_columns::IntoColumn;
pub use series::ChartError;
pub use view::{MAX_SEARCH_CHARS, MAX_WINDOW_ROWS};

pub use crate::protocol::{Align, ColumnKind};

/// The Arrow crates Brooklet uses, for building frames from Arrow arrays.
pub mod arrow {
    pub use arrow_array as array;
    pub use arrow_schema as schema;
}

/// Why a frame could not be built, shown or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The rows could not be turned into columns (or back).
    #[error("the rows could not be turned into columns: {0}")]
    Rows(String),
    /// `Frame::from_batches` of no batches.
    #[error("a frame needs at least one batch")]
    NoBatches,
    /// Rows with other columns than the frame's.
    #[error("the rows have the columns [{found}], but the frame has [{expected}]")]
    Schema {
        /// The frame's columns.
        expected: String,
        /// The other rows' columns.
        found: String,
    },
    /// Columns of different lengths (`Frame::from_columns`).
    #[error("column `{column}` has {len} value{}, but `{first}` has {first_len}: columns must be of one length", if *len == 1 { "" } else { "s" })]
    Lengths {
        /// The column that differs.
        column: String,
        /// Its length.
        len: usize,
        /// The first column.
        first: String,
        /// Its length.
        first_len: usize,
    },
    /// A column name that is not in the frame.
    #[error("there is no column `{name}` (the columns are: {known})")]
    UnknownColumn {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: String,
    },
    /// A column configured for what its data cannot be.
    #[error("column `{column}`: {message}")]
    ColumnType {
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A sort on a column whose values have no order (lists, images).
    #[error("column `{column}` ({data_type}) cannot be sorted")]
    Unsortable {
        /// The column.
        column: String,
        /// Its Arrow type.
        data_type: String,
    },
    /// A request from the browser that does not fit the frame.
    #[error("{0}")]
    Request(String),
    /// An error from Arrow.
    #[error("arrow: {0}")]
    Arrow(String),
}
