//! Display elements: text, data, status. Each has a short method on [`Ui`]
//! for the common case and, where it has options, a type to use with
//! [`Ui::add`]. One file per family; `docs/contributing.md` walks through
//! adding an element.
//!
//! [`Ui`]: crate::Ui
//! [`Ui::add`]: crate::Ui::add

mod alerts;
mod charts;
mod data;
mod media;
pub(crate) mod mime;
mod status;
mod text;

#[cfg(feature = "plotly")]
pub use charts::PlotlyFigure;
pub use charts::{Map, MAX_DOT_BYTES, MAX_MAP_POINTS};
pub use data::{DrawnTable, Json, Metric, Table, MAX_TABLE_ROWS};
#[cfg(feature = "image")]
pub use media::Channels;
pub use media::{Audio, Image, Logo, MediaSource, Pdf, SubtitleText, Video};
pub use status::Progress;
pub use text::{Code, Header, Markdown};
