//! What a session remembers between runs: session state, widget values and
//! callbacks, the fragments the page has, and the query parameters.
//!
//! The stores are plain data structures that can be built and tested alone.
//! They know nothing about `Ui`: the callback and fragment-body types are
//! parameters, filled in by the `ui` layer. Errors a store must show in the
//! page (a session-state type mismatch) go to the run's diagnostics sink.

pub(crate) mod fragments;
pub(crate) mod query;
mod state;
pub(crate) mod widgets;

pub use query::QueryParams;
pub use state::{SessionState, StateError};
