//! Sessions: one per browser tab.
//!
//! A session owns what survives between runs: widget values, session state,
//! the page as the browser shows it ([`Page`]) with its outgoing queue, and
//! the rerun state machine:
//!
//! ```text
//!  event ──► request_rerun ──► (no run)  spawn drive() on a script thread
//!                         └──► (running) cancel it; drive() loops into the next run
//! ```
//!
//! Button presses are queued, one per run: a run takes the first press; if it
//! is cancelled before the button read it, the press goes back to the front of
//! the queue, so a press is delivered to exactly one completed reading.

pub(crate) mod page;
mod state;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use serde_json::Value;

pub use state::{SessionState, StateError};

use crate::protocol::{RunStatus, ServerMessage, WidgetId};
use crate::runner::pool::ScriptPool;
use crate::runner::{self, Run};
use crate::ui::Ui;
use page::Page;

/// The app function as the runtime holds it.
pub(crate) type AppFn = dyn Fn(&Ui) + Send + Sync + 'static;

/// What every session of one app shares.
pub(crate) struct AppShared {
    pub(crate) app: Arc<AppFn>,
    pub(crate) pool: ScriptPool,
}

/// The run control state, behind one lock.
struct Control {
    current: Option<Arc<Run>>,
    /// A script thread is inside `drive` for this session.
    driving: bool,
    rerun_pending: bool,
    stop_requested: bool,
    triggers: VecDeque<WidgetId>,
    next_run: u64,
    /// A connection (or test harness) is attached and wants runs.
    attached: bool,
    /// Bumped by every attach, so that a connection that was taken over
    /// (the tab reconnected before the old socket was seen to close) knows it.
    connection: u64,
    /// When the last connection went away, for expiry.
    detached_at: Option<Instant>,
}

/// One browser tab's session.
pub(crate) struct Session {
    id: String,
    shared: Arc<AppShared>,
    control: Mutex<Control>,
    widgets: Mutex<HashMap<WidgetId, Value>>,
    pub(crate) state: SessionState,
    page: Mutex<Page>,
    /// Wakes whoever drains the page's queue: the current connection's
    /// writer (or AppTest). Each attach installs a fresh one, so a stale
    /// connection can never swallow the wake-ups meant for its successor.
    waker: Mutex<Arc<tokio::sync::Notify>>,
    /// Carries the current connection number; a connection whose number is
    /// no longer current has been replaced and must leave.
    pub(crate) taken_over: tokio::sync::watch::Sender<u64>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing in these locks is left half-updated by a panic (app code never
    // runs while they are held), so a poisoned lock is safe to keep using.
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// A new random session id: 128 bits as hex.
fn new_session_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness: fall back to time and address entropy. Ids are
        // unguessable only with real randomness, which every supported OS has.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = (nanos ^ (&bytes as *const _ as usize as u128)).to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Session {
    pub(crate) fn new(shared: Arc<AppShared>) -> Arc<Session> {
        Arc::new(Session {
            id: new_session_id(),
            shared,
            control: Mutex::new(Control {
                current: None,
                driving: false,
                rerun_pending: false,
                stop_requested: false,
                triggers: VecDeque::new(),
                next_run: 1,
                attached: false,
                connection: 0,
                detached_at: Some(Instant::now()),
            }),
            widgets: Mutex::new(HashMap::new()),
            state: SessionState::default(),
            page: Mutex::new(Page::default()),
            waker: Mutex::new(Arc::new(tokio::sync::Notify::new())),
            taken_over: tokio::sync::watch::channel(0).0,
        })
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn app(&self) -> Arc<AppFn> {
        self.shared.app.clone()
    }

    pub(crate) fn page(&self) -> MutexGuard<'_, Page> {
        lock(&self.page)
    }

    /// Wake the current connection's writer: something was queued.
    pub(crate) fn wake(&self) {
        lock(&self.waker).notify_one();
    }

    // ----- connection -----

    /// A connection took this session (replacing any other). `resumed`: the
    /// browser kept its page. Queues `first` (the session message); the
    /// caller then requests a run. Returns the connection's number and the
    /// waker that tells it when something is queued.
    pub(crate) fn attach(
        self: &Arc<Self>,
        resumed: bool,
        first: ServerMessage,
    ) -> (u64, Arc<tokio::sync::Notify>) {
        // Lock order everywhere: control, then page. Holding control while
        // the page is reset keeps a concurrent `detach` of the old connection
        // from clearing what this one queues.
        let connection = {
            let mut control = lock(&self.control);
            control.attached = true;
            control.detached_at = None;
            control.connection += 1;
            if let Some(run) = &control.current {
                // The old connection's run draws into a page the new
                // connection does not have: start over.
                run.cancel();
            }
            let mut page = self.page();
            page.reset(resumed);
            page.push_message(first);
            control.connection
        };
        let waker = Arc::new(tokio::sync::Notify::new());
        *lock(&self.waker) = waker.clone();
        self.taken_over.send_replace(connection);
        waker.notify_one();
        (connection, waker)
    }

    /// Connection `connection` went away: stop running, drop what was
    /// queued. Nothing happens when another connection has taken over.
    pub(crate) fn detach(&self, connection: u64) {
        let mut control = lock(&self.control);
        if control.connection != connection {
            return;
        }
        control.attached = false;
        control.detached_at = Some(Instant::now());
        control.rerun_pending = false;
        control.triggers.clear();
        if let Some(run) = &control.current {
            run.cancel();
        }
        self.page().reset(false);
    }

    /// Detach whatever connection holds the session (server shutdown).
    pub(crate) fn close(&self) {
        let connection = lock(&self.control).connection;
        self.detach(connection);
    }

    /// When the session was left without a connection, if it is.
    pub(crate) fn detached_since(&self) -> Option<Instant> {
        lock(&self.control).detached_at
    }

    /// Whether a run is in progress or about to start.
    pub(crate) fn is_busy(&self) -> bool {
        let control = lock(&self.control);
        control.driving || control.rerun_pending
    }

    /// Queue a message for the client and wake the writer.
    pub(crate) fn send(&self, message: ServerMessage) {
        self.page().push_message(message);
        self.wake();
    }

    // ----- runs -----

    /// New widget values and/or a button press: rerun, cancelling the run in
    /// progress if there is one. `false` when no connection is attached.
    pub(crate) fn request_rerun(
        self: &Arc<Self>,
        values: HashMap<WidgetId, Value>,
        trigger: Option<WidgetId>,
    ) -> bool {
        if !values.is_empty() {
            lock(&self.widgets).extend(values);
        }
        let mut control = lock(&self.control);
        if !control.attached {
            return false;
        }
        if let Some(trigger) = trigger {
            control.triggers.push_back(trigger);
        }
        control.rerun_pending = true;
        if let Some(run) = &control.current {
            run.cancel();
        }
        if !control.driving {
            control.driving = true;
            drop(control);
            let session = self.clone();
            self.shared.pool.spawn(move || runner::drive(session));
        }
        true
    }

    /// Stop the run in progress, if any; queued presses are dropped.
    pub(crate) fn stop(&self) {
        let mut control = lock(&self.control);
        control.rerun_pending = false;
        control.triggers.clear();
        if let Some(run) = control.current.clone() {
            control.stop_requested = true;
            run.cancel();
        }
    }

    /// Called by the runner: the next run to execute, or `None` (and the
    /// runner leaves) when nothing is pending.
    pub(crate) fn begin_run(self: &Arc<Self>) -> Option<Arc<Run>> {
        let mut control = lock(&self.control);
        if !control.rerun_pending || !control.attached {
            control.driving = false;
            drop(control);
            // Whoever waits for the session to go idle (AppTest) checks
            // `is_busy` when woken: wake it now that it is idle.
            self.wake();
            return None;
        }
        control.rerun_pending = false;
        control.stop_requested = false;
        let id = control.next_run;
        control.next_run += 1;
        let trigger = control.triggers.pop_front();
        let run = Arc::new(Run::new(id, self, trigger));
        control.current = Some(run.clone());
        drop(control);
        self.page().begin_run(id);
        Some(run)
    }

    /// Called by the runner once the app function has returned or unwound.
    pub(crate) fn finish_run(&self, run: &Arc<Run>, status: RunStatus) {
        let mut control = lock(&self.control);
        let status = if control.stop_requested && status == RunStatus::Cancelled {
            RunStatus::Stopped
        } else {
            status
        };
        if let Some(trigger) = run.lock_trigger().take() {
            if !trigger.consumed && status == RunStatus::Cancelled && control.attached {
                control.triggers.push_front(trigger.id);
            }
        }
        if !control.triggers.is_empty() && control.attached {
            control.rerun_pending = true;
        }
        control.current = None;
        // Mark finished while holding the control lock so that no event can
        // see a "current" run that is already over.
        run.mark_finished();
        drop(control);

        if matches!(status, RunStatus::Complete | RunStatus::Error) {
            let drawn = std::mem::take(&mut *lock(&run.widgets));
            lock(&self.widgets).retain(|id, _| drawn.contains(id));
        }
        self.page().end_run(run.id, status);
        self.wake();
    }

    // ----- widget values -----

    /// The value the client last sent for a widget, if any.
    pub(crate) fn widget_value(&self, id: &str) -> Option<Value> {
        lock(&self.widgets).get(id).cloned()
    }

    /// Remember a widget's value (the one the run drew it with).
    pub(crate) fn store_widget_value(&self, id: &str, value: Value) {
        lock(&self.widgets).insert(id.to_string(), value);
    }
}
