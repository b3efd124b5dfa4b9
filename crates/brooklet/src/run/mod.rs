//! One run of the app: its identity, its cancel token and its bookkeeping.
//!
//! A *run* is one execution of the app function, top to bottom, on a script
//! thread (a fragment run executes one fragment's body). A session has at
//! most one run at a time. When the person touches a widget during a run, the
//! run is **cancelled cooperatively**: its cancel flag is set, and the next
//! `Ui` call made for it unwinds out of the app code with a private payload
//! ([`unwind`]: no panic message, no hook) that the session's driver catches.
//!
//! This module is the bottom of the runtime: it knows the wire types and the
//! payload ids, and nothing about sessions, stores or `Ui` (see
//! `docs/architecture.md`). Every `Ui` carries an `Arc<Run>`; once the run
//! has ended, a `Ui` of it can no longer write anything, whichever thread
//! holds it, so it cannot leak into a later run or another session.

pub(crate) mod diagnostics;
pub(crate) mod unwind;

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

pub(crate) use diagnostics::{AppError, DiagnosticsSink, SinkGuard};
pub(crate) use unwind::{catch, fail, throw, Signal, Unwind};

use crate::payload::PayloadId;
use crate::protocol::{Path, WidgetId};
use crate::sync::{lock, wait_timeout};

/// A session's name in logs: `s` and a number counted from 1 per process.
/// (The session id is a secret: whoever has it can take the session over,
/// so logs never show it.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SessionTag(u64);

impl std::fmt::Display for SessionTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s{}", self.0)
    }
}

impl SessionTag {
    /// The tag `s{n}`, for tests.
    #[cfg(test)]
    pub(crate) fn for_test(n: u64) -> SessionTag {
        SessionTag(n)
    }

    /// The next unused tag.
    pub(crate) fn next() -> SessionTag {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        SessionTag(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

/// A button press handed to a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trigger {
    pub(crate) id: WidgetId,
    /// The button read it: the press was delivered.
    pub(crate) consumed: bool,
    /// Its `on_click` ran in an earlier, cancelled run.
    pub(crate) callback_done: bool,
}

/// What a run drew that outlives it: the session keeps these once a full
/// run has finished and forgets the rest.
#[derive(Debug, Default)]
pub(crate) struct Drawn {
    /// Widget ids (a second widget with one id is an error).
    pub(crate) widgets: HashSet<WidgetId>,
    /// Keys of keyed widgets.
    pub(crate) widget_keys: HashSet<String>,
    /// Payloads (media).
    pub(crate) payloads: HashSet<PayloadId>,
    /// Dataframe grids, by key (see `data::registry`).
    pub(crate) grids: HashSet<String>,
    /// Simple charts, by key (see `data::registry`).
    pub(crate) charts: HashSet<String>,
    /// Download buttons made when clicked, by widget id.
    pub(crate) downloads: HashSet<String>,
    /// Upload widgets (file uploader, camera and audio input), by id.
    pub(crate) uploaders: HashSet<String>,
    /// Form widgets to reset to their defaults once the run has ended
    /// (`clear_on_submit`): id and encoded default.
    pub(crate) form_resets: Vec<(WidgetId, serde_json::Value)>,
}

/// The bookkeeping of one run that its `Ui`s share.
pub(crate) struct Run {
    id: u64,
    /// `None` for a full run of the app; for a fragment run, the fragment's
    /// id and the path of its block.
    fragment: Option<(String, Path)>,
    cancelled: AtomicBool,
    finished: AtomicBool,
    /// Whether a refused write through this run was already logged.
    refusal_logged: AtomicBool,
    trigger: Mutex<Option<Trigger>>,
    drawn: Mutex<Drawn>,
    /// The widgets whose change made the `on_change` callbacks due.
    changed_widgets: Vec<WidgetId>,
    /// Whether the `on_change` callbacks have all run.
    changes_done: AtomicBool,
    /// Whether the pressed button's `on_click` has started (it must never
    /// run twice for one press, even if this run is cancelled).
    click_started: AtomicBool,
    /// Workers started with `ui.spawn` (or an `Executor`) still running.
    workers: Mutex<usize>,
    /// Signalled when a worker ends or the run is cancelled.
    workers_changed: Condvar,
    /// Wakes async waiters (`ui.block_on`) when the run is cancelled.
    cancel_wake: tokio::sync::Notify,
    /// Whether someone watches that the cancelled run actually ends.
    watched: AtomicBool,
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

/// Whether the current thread's unwinding is caught by Brooklet.
pub(crate) fn on_owned_thread() -> bool {
    OWNED_THREAD.with(Cell::get)
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

impl Run {
    /// Run number `id`: a full run (`fragment` is `None`) or a run of one
    /// fragment (its id and block path); `trigger` is the press it handles
    /// and whether that press's `on_click` already ran; `changed` the
    /// widgets whose `on_change` callbacks run first.
    pub(crate) fn new(
        id: u64,
        trigger: Option<(WidgetId, bool)>,
        fragment: Option<(String, Path)>,
        changed: Vec<WidgetId>,
    ) -> Run {
        Run {
            id,
            fragment,
            cancelled: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            refusal_logged: AtomicBool::new(false),
            trigger: Mutex::new(trigger.map(|(id, callback_done)| Trigger {
                id,
                consumed: false,
                callback_done,
            })),
            drawn: Mutex::new(Drawn::default()),
            changed_widgets: changed,
            changes_done: AtomicBool::new(false),
            click_started: AtomicBool::new(false),
            workers: Mutex::new(0),
            workers_changed: Condvar::new(),
            cancel_wake: tokio::sync::Notify::new(),
            watched: AtomicBool::new(false),
        }
    }

    /// `true` once: for whoever first watches the cancelled run end.
    pub(crate) fn claim_watch(&self) -> bool {
        !self.watched.swap(true, Ordering::AcqRel)
    }

    /// The run's number in its session.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// The fragment a fragment run reruns.
    pub(crate) fn fragment_id(&self) -> Option<&str> {
        self.fragment.as_ref().map(|(id, _)| id.as_str())
    }

    /// The block a fragment run draws in; `None` for a full run.
    pub(crate) fn fragment_path(&self) -> Option<&[u32]> {
        self.fragment.as_ref().map(|(_, path)| path.as_slice())
    }

    // ----- cancellation -----

    /// Cancel the run: its next `Ui` call unwinds, its waits end.
    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
        self.cancel_wake.notify_waiters();
        // Take the lock so that a waiter between its check and its wait
        // cannot miss the signal.
        drop(lock(&self.workers));
        self.workers_changed.notify_all();
    }

    /// Whether the run was cancelled (superseded, stopped, or its tab left).
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
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

    /// The run is over; no `Ui` of it writes anything any more.
    pub(crate) fn mark_finished(&self) {
        self.finished.store(true, Ordering::Release);
    }

    /// Whether the run is over (completed, stopped, cancelled or failed).
    pub(crate) fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// The checkpoint every `Ui` call passes: unwinds when the run was
    /// cancelled (on threads that may unwind); `false` when the write must be
    /// refused because the run has ended.
    pub(crate) fn access(&self) -> bool {
        let finished = self.is_finished();
        if self.is_cancelled() && (!finished || on_owned_thread()) {
            throw(Signal::Cancelled);
        }
        if finished {
            self.log_refusal();
            return false;
        }
        true
    }

    /// Log, once per run, that a write through it was refused.
    pub(crate) fn log_refusal(&self) {
        if !self.refusal_logged.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                run = self.id,
                "a Ui of a run that has ended was used; the write was refused \
                 (keep Ui handles within their run, or use ui.spawn)"
            );
        }
    }

    // ----- workers -----

    /// A worker bound to this run started.
    pub(crate) fn worker_started(&self) {
        *lock(&self.workers) += 1;
    }

    /// A worker bound to this run ended.
    pub(crate) fn worker_ended(&self) {
        *lock(&self.workers) -= 1;
        self.workers_changed.notify_all();
    }

    /// Wait until every worker of the run has ended; `false` when the run
    /// was cancelled first (the workers are then left to stop at their next
    /// `Ui` call, and nothing they draw is accepted).
    pub(crate) fn wait_for_workers(&self) -> bool {
        let mut active = lock(&self.workers);
        while *active > 0 {
            if self.is_cancelled() {
                return false;
            }
            active = wait_timeout(&self.workers_changed, active, Duration::from_millis(50)).0;
        }
        !self.is_cancelled()
    }

    // ----- the press and the callbacks -----

    /// Run `f` with the press this run handles.
    pub(crate) fn with_trigger<R>(&self, f: impl FnOnce(&mut Option<Trigger>) -> R) -> R {
        f(&mut lock(&self.trigger))
    }

    /// The widgets whose change made this run's callbacks due.
    pub(crate) fn changed_widgets(&self) -> &[WidgetId] {
        &self.changed_widgets
    }

    /// The `on_change` callbacks due before this run have all run.
    pub(crate) fn set_changes_done(&self) {
        self.changes_done.store(true, Ordering::Release);
    }

    /// Whether the `on_change` callbacks due before this run have all run.
    pub(crate) fn changes_done(&self) -> bool {
        self.changes_done.load(Ordering::Acquire)
    }

    /// The pressed button's `on_click` is starting.
    pub(crate) fn set_click_started(&self) {
        self.click_started.store(true, Ordering::Release);
    }

    /// Whether the pressed button's `on_click` has started.
    pub(crate) fn click_started(&self) -> bool {
        self.click_started.load(Ordering::Acquire)
    }

    // ----- what the run drew -----

    /// Run `f` with what the run drew so far.
    pub(crate) fn with_drawn<R>(&self, f: impl FnOnce(&mut Drawn) -> R) -> R {
        f(&mut lock(&self.drawn))
    }

    /// Take what the run drew (once it has ended).
    pub(crate) fn take_drawn(&self) -> Drawn {
        std::mem::take(&mut *lock(&self.drawn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_run_unwinds_its_checkpoints_until_it_has_ended() {
        let run = Run::new(1, None, None, Vec::new());
        assert!(run.access(), "a live run lets writes through");
        run.cancel();
        let unwound = catch(|| run.access());
        assert_eq!(unwound, Err(Unwind::Cancelled));
        // Once it has ended, a thread Brooklet does not own is refused
        // instead of unwound (this test thread is not owned).
        run.mark_finished();
        assert!(!run.access());
    }

    /// A thread waiting for `run`'s workers, checked to be still waiting a
    /// moment later (a waiter that returned at once would be finished).
    fn waiting_for_workers(run: &std::sync::Arc<Run>) -> std::thread::JoinHandle<bool> {
        let waiter = {
            let run = run.clone();
            std::thread::spawn(move || run.wait_for_workers())
        };
        std::thread::sleep(Duration::from_millis(100));
        assert!(!waiter.is_finished(), "it waits for the worker");
        waiter
    }

    #[test]
    fn waiting_for_workers_ends_when_they_end_or_the_run_is_cancelled() {
        let run = std::sync::Arc::new(Run::new(1, None, None, Vec::new()));
        run.worker_started();
        let waiter = waiting_for_workers(&run);
        run.worker_ended();
        assert!(waiter.join().unwrap_or(false), "all workers ended");

        run.worker_started();
        let waiter = waiting_for_workers(&run);
        run.cancel();
        assert!(!waiter.join().unwrap_or(true), "cancelled first");
    }

    #[test]
    fn a_fragment_run_knows_its_fragment_and_block() {
        let full = Run::new(1, None, None, Vec::new());
        assert_eq!(full.fragment_id(), None);
        let fragment = Run::new(2, None, Some(("f".into(), vec![0, 3])), Vec::new());
        assert_eq!(fragment.fragment_id(), Some("f"));
        assert_eq!(fragment.fragment_path(), Some(&[0, 3][..]));
    }
}
