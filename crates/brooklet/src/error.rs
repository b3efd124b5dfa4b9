//! The library's error type.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything that can go wrong in Brooklet's own machinery (not in app code:
/// a panic in app code is shown in the page and never becomes an `Error`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A command-line flag, environment variable or `brooklet.toml` entry was
    /// not understood.
    #[error("configuration: {0}")]
    Config(String),
    /// `brooklet.toml` exists but could not be read or parsed.
    #[error("configuration file {path}: {message}")]
    ConfigFile {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// The server could not listen on its address.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// Another I/O failure (starting the runtime, serving).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A call that needs a run was made outside of one: no `Ui` is bound to
    /// this thread. Pass a `Ui` (it is `Clone + Send + Sync`) to the thread, or
    /// start the thread with `ui.spawn`.
    #[error(
        "no Brooklet session context on this thread: call this from the app function, \
         or pass a `Ui` to the thread (it is Clone + Send + Sync)"
    )]
    NoSessionContext,
    /// An `AppTest` run did not finish within its timeout.
    #[error("the app run did not finish within {0:?}")]
    Timeout(std::time::Duration),
    /// A `Ui` of a run that has ended (or was superseded) was used: the write
    /// was refused. Use the `Ui` of the current run, or a `SessionHandle` for
    /// work that outlives a run.
    #[error(
        "this Ui belongs to a run that has ended; its writes are refused \
         (use the current run's Ui, or a SessionHandle for work that outlives a run)"
    )]
    RunEnded,
}

/// `Result` with Brooklet's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
