//! Infrastructure the runtime runs on: the script-thread pool, the async
//! runtime that `ui.block_on` uses, and the caps on worker threads.
//!
//! Nothing here knows about sessions, runs or `Ui` (worker slots are
//! counted per session tag, a plain number); the user-facing thread API
//! (`ui.spawn`, `Executor`, `ui.block_on`, `SessionHandle`) is the `threads`
//! module, built on these, which re-exports [`async_runtime`] for apps.

pub(crate) mod pool;
pub(crate) mod workers;

use std::sync::OnceLock;

/// The async runtime that `Ui::block_on` uses: a multi-threaded tokio
/// runtime with two workers, shared by all sessions and separate from the
/// server's.
pub fn async_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("brooklet-async")
            .enable_all()
            .build()
            .unwrap_or_else(|error| panic!("cannot start Brooklet's async runtime: {error}"))
    })
}
