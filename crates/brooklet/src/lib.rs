//! # Brooklet
//!
//! Data apps in the browser from one plain Rust function. The function is
//! re-run top to bottom each time the person using the app touches a widget;
//! Brooklet owns the web server, the sessions, the threads that run the app,
//! state and the browser front end.
//!
//! ```no_run
//! use brooklet::prelude::*;
//!
//! fn app(ui: &Ui) {
//!     ui.title("Hello");
//!     let name = ui.add(TextInput::new("Your name").value("world"));
//!     if ui.button("Greet").clicked() {
//!         ui.markdown(format!("Hello, **{name}**!"));
//!     }
//! }
//!
//! fn main() -> brooklet::Result<()> {
//!     brooklet::App::new(app).run()
//! }
//! ```
//!
//! The pieces, in the order a request meets them:
//! - [`server`]: HTTP (front end, health) and one WebSocket per browser tab;
//! - `session`: one per tab — the rerun state machine and the driver that
//!   runs the app on a script thread;
//! - `store`: what a session remembers between runs (state, widget values,
//!   fragments, query parameters); `page`: the tree the browser shows and
//!   the outgoing queue; `run`: one run's cancel token and bookkeeping;
//! - [`ui`]: the [`Ui`] handle the app draws with;
//! - [`data`]: dataframes — [`data::Frame`], tables held on the server in
//!   Arrow form, and [`data::Column`], how their columns show
//!   (`docs/data.md`);
//! - [`protocol`]: every message on the wire;
//! - [`testing`]: [`testing::AppTest`], to run an app headlessly in tests.

#![forbid(unsafe_code)]
// Doc tests (these doc comments and the Rust blocks of README.md and
// docs/*.md) fail on warnings, such as an unused `Clicked`; unused items are
// allowed, since examples define an `app` they never call.
#![doc(test(attr(deny(warnings), allow(dead_code))))]
#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

// The modules, bottom layer first (`docs/architecture.md` lists what each
// may import; no module imports one above it).
mod app;
pub mod cache;
mod config;
pub mod data;
mod error;
mod page;
pub mod payload;
pub mod protocol;
mod run;
mod runtime;
pub mod server;
mod session;
mod store;
mod sync;
pub mod testing;
pub mod threads;
pub mod ui;
pub mod uploads;

pub use app::App;
pub use config::{ClientSettings, Config, ErrorDetails, RunnerConfig, ServerConfig};
pub use error::{Error, Result};
pub use store::{QueryParams, SessionState, StateError};
pub use ui::Ui;

/// The `plotters` crate, for drawing with [`Ui::plotters`] (feature
/// `plotters`).
#[cfg(feature = "plotters")]
pub use plotters;

/// The `image` crate, for pictures shown with `Image::from_dynamic`
/// (feature `image`).
#[cfg(feature = "image")]
pub use image;

/// The `plotly` crate, for figures shown with [`Ui::plotly_chart`]
/// (feature `plotly`).
#[cfg(feature = "plotly")]
pub use plotly;

/// The Rust blocks of `README.md` and of every `docs/*.md`, compiled (and run,
/// unless marked `no_run`) as doc tests so the docs cannot drift from the
/// code: one hidden item per file. A new page in `docs/` gets a line here.
/// (The JSON examples of `docs/protocol.md` are checked by a unit test in
/// `protocol.rs`.)
#[cfg(doctest)]
mod doc_tests {
    #[doc = include_str!("../../../README.md")]
    struct Readme;
    #[doc = include_str!("../../../docs/architecture.md")]
    struct Architecture;
    #[doc = include_str!("../../../docs/caching.md")]
    struct Caching;
    #[doc = include_str!("../../../docs/charts.md")]
    struct Charts;
    #[doc = include_str!("../../../docs/contributing.md")]
    struct Contributing;
    #[doc = include_str!("../../../docs/data.md")]
    struct Data;
    #[doc = include_str!("../../../docs/files.md")]
    struct Files;
    #[doc = include_str!("../../../docs/fragments.md")]
    struct Fragments;
    #[doc = include_str!("../../../docs/performance.md")]
    struct Performance;
    #[doc = include_str!("../../../docs/protocol.md")]
    struct Protocol;
    #[doc = include_str!("../../../docs/security.md")]
    struct Security;
    #[doc = include_str!("../../../docs/state.md")]
    struct State;
    #[doc = include_str!("../../../docs/threading.md")]
    struct Threading;
}

/// The names most apps need: `use brooklet::prelude::*;`.
pub mod prelude {
    pub use crate::cache::{CacheData, CacheResource};
    pub use crate::data::{Column, Frame};
    pub use crate::threads::{Executor, SessionHandle, Worker};
    pub use crate::ui::elements::{
        Audio, Code, Header, Image, Json, Logo, Map, Markdown, Metric, Pdf, Table, Video,
    };
    pub use crate::ui::flow::{Form, Fragment};
    pub use crate::ui::layout::{Columns, Container, Expander};
    pub use crate::ui::widgets::{
        AudioInput, Button, CameraInput, ChartSelectMode, Checkbox, DataEditor, Dataframe,
        DownloadButton, DownloadData, FileUploader, FormSubmit, Multiselect, NumRows, NumberInput,
        OptionalRadio, OptionalSelectbox, Radio, RangeSlider, Selectbox, SelectionMode,
        SimpleChart, Slider, Stack, TextArea, TextInput, Toggle, VegaLite,
    };
    pub use crate::ui::{Clicked, Ui, Widget};
    pub use crate::uploads::UploadedFile;
    pub use crate::{App, SessionState};
    /// For `ttl`, `run_every` and timeouts, which take a `Duration`.
    pub use std::time::Duration;
}
