//! Runs of the app: script threads, cancellation, panics.
//!
//! A *run* is one execution of the app function, top to bottom, on a script
//! thread. A session has at most one run at a time. When the person touches a
//! widget during a run, the run is **cancelled cooperatively**: its cancel
//! flag is set, and the next `Ui` call made for it unwinds out of the app code
//! with a private payload (no panic message, no hook) that the runner catches.
//! The script thread then goes straight on to the next run of the same
//! session, without a thread hop.
//!
//! Every `Ui` carries its [`Run`]. Once the run has ended, a `Ui` of it can no
//! longer write anything, whichever thread holds it: it cannot leak into a
//! later run or another session.

mod panic;
pub(crate) mod pool;
pub(crate) mod workers;

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::Duration;

pub(crate) use panic::{capture_panic, AppError, Cancelled, StopRun, Unwind};

use crate::protocol::{Path, RunStatus, WidgetId};
use crate::session::fragments::FragmentFn;
use crate::session::widgets::DueCallbacks;
use crate::session::Session;
use crate::ui::Ui;

/// What a fragment run reruns.
pub(crate) struct RunScope {
    /// The fragment's id.
    pub(crate) fragment: String,
    /// Its block.
    pub(crate) path: Path,
    /// Its body.
    pub(crate) body: FragmentFn,
}

/// A button press handed to a run.
#[derive(Debug)]
pub(crate) struct Trigger {
    pub(crate) id: WidgetId,
    /// The button read it: the press was delivered.
    pub(crate) consumed: bool,
    /// Its `on_click` ran in an earlier, cancelled run.
    pub(crate) callback_done: bool,
}

/// Bookkeeping of one run that its `Ui`s share.
pub(crate) struct Run {
    pub(crate) id: u64,
    pub(crate) session: Weak<Session>,
    cancelled: AtomicBool,
    finished: AtomicBool,
    /// Whether a refused write through this run was already logged.
    refusal_logged: AtomicBool,
    pub(crate) trigger: Mutex<Option<Trigger>>,
    /// Widget ids drawn in this run (duplicates are an error).
    widgets: Mutex<HashSet<WidgetId>>,
    /// Keys of keyed widgets drawn in this run.
    widget_keys: Mutex<HashSet<String>>,
    /// Payloads (table data, media) drawn in this run.
    payloads: Mutex<HashSet<crate::payload::PayloadId>>,
    /// `None` for a full run of the app; the fragment for a fragment run.
    pub(crate) scope: Option<RunScope>,
    /// Callbacks to run before the body (taken by the runner).
    callbacks: Mutex<Option<DueCallbacks>>,
    /// The widgets whose change made the `on_change` callbacks due.
    changed_widgets: Vec<WidgetId>,
    /// Whether the `on_change` callbacks have all run.
    changes_done: AtomicBool,
    /// Whether the pressed button's `on_click` has started (it must never
    /// run twice for one press, even if this run is cancelled).
    click_started: AtomicBool,
    /// Form widgets to reset to their defaults once this run has ended
    /// (`clear_on_submit`): id and encoded default.
    form_resets: Mutex<Vec<(WidgetId, serde_json::Value)>>,
    /// Workers started with `ui.spawn` (or an `Executor`) still running.
    workers: Mutex<usize>,
    /// Signalled when a worker ends or the run is cancelled.
    workers_changed: Condvar,
    /// Wakes async waiters (`ui.block_on`) when the run is cancelled.
    cancel_wake: tokio::sync::Notify,
}

thread_local! {
    /// Whether a cancelled run may unwind the current thread: true on script
    /// threads and Brooklet's workers, whose unwinding Brooklet catches. Any
    /// other thread holding a `Ui` of an ended run is refused instead, so
    /// Brooklet never tears down a thread it does not own.
    static OWNED_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Marks the current thread as one whose unwinding Brooklet catches.
pub(crate) fn mark_owned_thread() {
    OWNED_THREAD.with(|owned| owned.set(true));
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("id", &self.id)
            .field("cancelled", &self.is_cancelled())
            .field("finished", &self.is_finished())
            .finish()
    }
}

/// Whether a `Ui` call may go ahead.
pub(crate) enum Access {
    /// Go ahead, with the session.
    Live(Arc<Session>),
    /// The run has ended or its session is gone: write nothing.
    Refused,
}

impl Run {
    pub(crate) fn new(
        id: u64,
        session: &Arc<Session>,
        trigger: Option<(WidgetId, bool)>,
        scope: Option<RunScope>,
        due: DueCallbacks,
    ) -> Run {
        Run {
            id,
            session: Arc::downgrade(session),
            cancelled: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            refusal_logged: AtomicBool::new(false),
            trigger: Mutex::new(trigger.map(|(id, callback_done)| Trigger {
                id,
                consumed: false,
                callback_done,
            })),
            widgets: Mutex::new(HashSet::new()),
            widget_keys: Mutex::new(HashSet::new()),
            payloads: Mutex::new(HashSet::new()),
            scope,
            changed_widgets: due.changed.clone(),
            callbacks: Mutex::new(Some(due)),
            changes_done: AtomicBool::new(false),
            click_started: AtomicBool::new(false),
            form_resets: Mutex::new(Vec::new()),
            workers: Mutex::new(0),
            workers_changed: Condvar::new(),
            cancel_wake: tokio::sync::Notify::new(),
        }
    }

    /// Whether the `on_change` callbacks due before this run have all run.
    pub(crate) fn changes_done(&self) -> bool {
        self.changes_done.load(Ordering::Acquire)
    }

    /// Whether the pressed button's `on_click` has started.
    pub(crate) fn click_started(&self) -> bool {
        self.click_started.load(Ordering::Acquire)
    }

    /// The widgets whose change made this run's callbacks due.
    pub(crate) fn changed_widgets(&self) -> &[WidgetId] {
        &self.changed_widgets
    }

    /// Form widgets to reset once the run has ended.
    pub(crate) fn lock_form_resets(&self) -> MutexGuard<'_, Vec<(WidgetId, serde_json::Value)>> {
        self.form_resets.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
        self.cancel_wake.notify_waiters();
        // Take the lock so that a waiter between its check and its wait
        // cannot miss the signal.
        drop(self.lock_workers());
        self.workers_changed.notify_all();
    }

    /// Resolves once the run is cancelled (for `select!` in async waits).
    pub(crate) async fn cancelled(&self) {
        loop {
            let notified = self.cancel_wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }

    fn lock_workers(&self) -> MutexGuard<'_, usize> {
        self.workers.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn worker_started(&self) {
        *self.lock_workers() += 1;
    }

    pub(crate) fn worker_ended(&self) {
        *self.lock_workers() -= 1;
        self.workers_changed.notify_all();
    }

    /// Wait until every worker of the run has ended; `false` when the run
    /// was cancelled first (the workers are then left to stop at their next
    /// `Ui` call, and nothing they draw is accepted).
    fn wait_for_workers(&self) -> bool {
        let mut active = self.lock_workers();
        while *active > 0 {
            if self.is_cancelled() {
                return false;
            }
            active = self
                .workers_changed
                .wait_timeout(active, Duration::from_millis(50))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        !self.is_cancelled()
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    pub(crate) fn mark_finished(&self) {
        self.finished.store(true, Ordering::Release);
    }

    pub(crate) fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// The fragment a fragment run reruns.
    pub(crate) fn fragment_id(&self) -> Option<&str> {
        self.scope.as_ref().map(|s| s.fragment.as_str())
    }

    pub(crate) fn lock_widgets(&self) -> MutexGuard<'_, HashSet<WidgetId>> {
        self.widgets.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn lock_widget_keys(&self) -> MutexGuard<'_, HashSet<String>> {
        self.widget_keys.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn lock_payloads(&self) -> MutexGuard<'_, HashSet<crate::payload::PayloadId>> {
        self.payloads.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn lock_trigger(&self) -> MutexGuard<'_, Option<Trigger>> {
        self.trigger.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The checkpoint every `Ui` call passes: unwinds when the run was
    /// cancelled (on threads that may unwind), refuses when it has ended.
    pub(crate) fn access(&self) -> Access {
        let finished = self.is_finished();
        if self.is_cancelled() && (!finished || OWNED_THREAD.with(Cell::get)) {
            std::panic::resume_unwind(Box::new(Cancelled));
        }
        if finished {
            self.log_refusal();
            return Access::Refused;
        }
        match self.session.upgrade() {
            Some(session) => Access::Live(session),
            None => {
                self.log_refusal();
                Access::Refused
            }
        }
    }

    fn log_refusal(&self) {
        if !self.refusal_logged.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                run = self.id,
                "a Ui of a run that has ended was used; the write was refused \
                 (keep Ui handles within their run, or use ui.spawn)"
            );
        }
    }
}

/// Drive runs of `session` on the current (script) thread until no rerun is
/// pending. Called on a pool thread by [`Session::request_rerun`].
pub(crate) fn drive(session: Arc<Session>) {
    mark_owned_thread();
    // App code may create futures (`tokio::time::sleep`, sockets) before
    // handing them to `ui.block_on`; they need a runtime context to exist.
    let _async_context = crate::threads::async_runtime().enter();
    while let Some(run) = session.begin_run() {
        let ui = match &run.scope {
            None => Ui::root(run.clone()),
            Some(scope) => Ui::block(run.clone(), &scope.path),
        };
        let body: Arc<dyn Fn(&Ui) + Send + Sync> = match &run.scope {
            None => session.app(),
            Some(scope) => scope.body.clone(),
        };
        let callbacks = run
            .callbacks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let status = {
            let _current = crate::ui::CurrentGuard::set(&ui);
            let outcome = capture_panic(|| {
                // Callbacks of the widgets that triggered this run come first.
                if let Some(due) = &callbacks {
                    for callback in &due.on_change {
                        callback(&ui);
                    }
                    run.changes_done.store(true, Ordering::Release);
                    if let Some(on_click) = &due.on_click {
                        run.click_started.store(true, Ordering::Release);
                        on_click(&ui);
                    }
                }
                body(&ui)
            });
            match outcome {
                // The run is over when its workers are: their output is part of it.
                Ok(()) | Err(Unwind::Stop) if run.wait_for_workers() => RunStatus::Complete,
                Ok(()) | Err(Unwind::Stop) | Err(Unwind::Cancelled) => RunStatus::Cancelled,
                Err(Unwind::Panic(_)) if run.is_cancelled() => RunStatus::Cancelled,
                Err(Unwind::Panic(report)) => {
                    ui.show_panic(&report);
                    RunStatus::Error
                }
            }
        };
        session.finish_run(&run, status);
    }
}
