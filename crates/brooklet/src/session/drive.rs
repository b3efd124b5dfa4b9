//! The driver: runs of one session, back to back, on a script thread.
//!
//! [`drive`] is what the session hands to the script pool. It loops while
//! the session has a run to do: takes the next run, calls the due callbacks
//! and the app (or the fragment's body) inside [`catch`], turns the way the
//! run ended into its status, and reports it. A cancelled run goes straight
//! on to the next one, without a thread hop.

use std::sync::Arc;

use super::Session;
use crate::protocol::RunStatus;
use crate::run::{catch, mark_owned_thread, Unwind};
use crate::ui::SessionHost;
use crate::ui::{CurrentGuard, Ui};

/// Drive runs of `session` on the current (script) thread until no rerun is
/// pending. Spawned on the pool by the session when it needs a driver.
pub(crate) fn drive(session: Arc<Session>) {
    mark_owned_thread();
    // App code may create futures (`tokio::time::sleep`, sockets) before
    // handing them to `ui.block_on`; they need a runtime context to exist.
    let _async_context = crate::runtime::async_runtime().enter();
    while let Some(next) = session.begin_run() {
        let run = next.run;
        let ui = Ui::for_run(run.clone(), session.context());
        let status = {
            let _current = CurrentGuard::set(&ui);
            let outcome = catch(|| {
                // Callbacks of the widgets that triggered this run come first.
                for callback in &next.callbacks.on_change {
                    callback(&ui);
                }
                run.set_changes_done();
                if let Some(on_click) = &next.callbacks.on_click {
                    run.set_click_started();
                    on_click(&ui);
                }
                (next.body)(&ui)
            });
            match outcome {
                // The run is over when its workers are: their output is part of it.
                Ok(()) | Err(Unwind::Stop) if run.wait_for_workers() => RunStatus::Complete,
                Err(Unwind::Rerun) => {
                    // `ui.rerun()`: this run ends here and the app runs again.
                    // Its `on_change` callbacks are not due again (one that
                    // calls `ui.rerun()` would otherwise loop forever).
                    run.set_changes_done();
                    session.rerun_after(&run);
                    RunStatus::Cancelled
                }
                Ok(()) | Err(Unwind::Stop | Unwind::Cancelled) => RunStatus::Cancelled,
                Err(Unwind::Panic(_)) if run.is_cancelled() => RunStatus::Cancelled,
                // Showing the panic is a `Ui` call: a cancellation that
                // arrives meanwhile unwinds it, and the run is cancelled.
                Err(Unwind::Panic(report)) => match catch(|| ui.show_panic(&report)) {
                    Ok(_) => RunStatus::Error,
                    Err(_) => RunStatus::Cancelled,
                },
            }
        };
        session.finish_run(&run, status);
    }
}
