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
//! A press is accepted only for a trigger widget the page has (drawn by the
//! last finished run or by the run in progress, and not disabled). Presses of
//! one button that no run has read yet merge into one: clicking "Rerun" four
//! times during a slow run gives one new run, while presses of different
//! buttons all count. The queue is bounded by [`MAX_PENDING_PRESSES`].

pub(crate) mod fragments;
pub(crate) mod page;
pub(crate) mod query;
mod state;
pub(crate) mod widgets;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use serde_json::Value;

pub use state::{SessionState, StateError};

use crate::config::{Config, ErrorDetails};
use crate::payload::{random_hex, PayloadError, PayloadId, PayloadRef, PayloadStore};
use crate::protocol::{RunStatus, ServerMessage, WidgetId};
use crate::runner::pool::ScriptPool;
use crate::runner::workers::WorkerSlots;
use crate::runner::{self, Run, RunScope};
use crate::ui::Ui;
use fragments::Fragments;
use page::Page;
use widgets::WidgetStore;

/// The app function as the runtime holds it.
pub(crate) type AppFn = dyn Fn(&Ui) + Send + Sync + 'static;

/// What every session of one app shares.
pub(crate) struct AppShared {
    pub(crate) app: Arc<AppFn>,
    pub(crate) pool: ScriptPool,
    /// Counts `ui.spawn` workers against their caps.
    pub(crate) workers: WorkerSlots,
    /// Large payloads (table data, media), shared by all sessions.
    pub(crate) payloads: PayloadStore,
    /// How much of an app error the page shows.
    pub(crate) error_details: ErrorDetails,
    /// Stack size of script threads and workers.
    pub(crate) stack_bytes: usize,
}

impl AppShared {
    pub(crate) fn new(app: Arc<AppFn>, config: &Config) -> Arc<AppShared> {
        let runner = &config.runner;
        Arc::new(AppShared {
            app,
            pool: ScriptPool::new(runner.max_threads, runner.stack_bytes, "brooklet-script"),
            workers: WorkerSlots::new(runner.max_workers, runner.max_workers_per_session),
            payloads: PayloadStore::new(config.server.max_media_bytes),
            error_details: config.client.show_error_details,
            stack_bytes: runner.stack_bytes,
        })
    }
}

/// The most distinct button presses waiting for a run. Presses of one button
/// merge, so this is only reached by a page with this many buttons pressed
/// during one run; further presses are dropped (and logged).
pub(crate) const MAX_PENDING_PRESSES: usize = 64;

/// The run control state, behind one lock.
struct Control {
    current: Option<Arc<Run>>,
    /// A script thread is inside `drive` for this session.
    driving: bool,
    rerun_pending: bool,
    /// Fragments waiting to rerun on their own, in order.
    fragments_pending: VecDeque<String>,
    stop_requested: bool,
    /// Button presses not yet delivered.
    triggers: VecDeque<Press>,
    next_run: u64,
    /// A connection (or test harness) is attached and wants runs.
    attached: bool,
    /// Bumped by every attach, so that a connection that was taken over
    /// (the tab reconnected before the old socket was seen to close) knows it.
    connection: u64,
    /// When the last connection went away, for expiry.
    detached_at: Option<Instant>,
}

/// A button press waiting for a run.
#[derive(Debug, Clone)]
struct Press {
    id: WidgetId,
    /// The fragment the button is in (its run reruns only the fragment).
    fragment: Option<String>,
    /// Its `on_click` already ran (in a run that was then cancelled before
    /// the button read the press): it must not run twice.
    callback_done: bool,
}

/// One browser tab's session.
pub(crate) struct Session {
    id: String,
    /// A short, non-secret name for logs (the id is a secret: whoever has it
    /// can take the session over).
    tag: SessionTag,
    /// This session's owner token in the payload store.
    payload_owner: String,
    /// Whether the page may reference payloads: only then does the end of a
    /// full run touch the (app-wide) store, keeping it off the rerun path of
    /// pages that show none.
    shows_payloads: std::sync::atomic::AtomicBool,
    shared: Arc<AppShared>,
    control: Mutex<Control>,
    widgets: Mutex<WidgetStore>,
    fragments: Mutex<Fragments>,
    pub(crate) state: SessionState,
    /// The query parameters (see `QueryParams`).
    pub(crate) query: Arc<Mutex<Vec<(String, String)>>>,
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
            .field("tag", &self.tag)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing in these locks is left half-updated by a panic (app code never
    // runs while they are held), so a poisoned lock is safe to keep using.
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// A session's name in logs: `s` and a number counted from 1 per process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SessionTag(u64);

impl std::fmt::Display for SessionTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s{}", self.0)
    }
}

impl SessionTag {
    #[cfg(test)]
    pub(crate) fn for_test(n: u64) -> SessionTag {
        SessionTag(n)
    }

    fn next() -> SessionTag {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        SessionTag(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // The tables and media this tab showed may now be evicted.
        self.shared.payloads.release_owner(&self.payload_owner);
    }
}

impl Session {
    /// A new session; fails only when the OS has no randomness for its id.
    pub(crate) fn new(shared: Arc<AppShared>) -> Result<Arc<Session>, getrandom::Error> {
        let id = random_hex()?;
        let payload_owner = shared.payloads.new_owner()?;
        Ok(Arc::new(Session {
            id,
            tag: SessionTag::next(),
            payload_owner,
            shows_payloads: std::sync::atomic::AtomicBool::new(false),
            shared,
            control: Mutex::new(Control {
                current: None,
                driving: false,
                rerun_pending: false,
                fragments_pending: VecDeque::new(),
                stop_requested: false,
                triggers: VecDeque::new(),
                next_run: 1,
                attached: false,
                connection: 0,
                detached_at: Some(Instant::now()),
            }),
            widgets: Mutex::new(WidgetStore::default()),
            fragments: Mutex::new(Fragments::default()),
            state: SessionState::default(),
            query: Arc::default(),
            page: Mutex::new(Page::default()),
            waker: Mutex::new(Arc::new(tokio::sync::Notify::new())),
            taken_over: tokio::sync::watch::channel(0).0,
        }))
    }

    /// The session's secret id (never log it: log [`Session::tag`]).
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// The session's name for logs.
    pub(crate) fn tag(&self) -> SessionTag {
        self.tag
    }

    /// What every session of the app shares.
    pub(crate) fn shared(&self) -> &AppShared {
        &self.shared
    }

    /// Store `bytes` in the app-wide payload store for this session's page.
    pub(crate) fn put_payload(
        &self,
        bytes: Vec<u8>,
        content_type: &'static str,
    ) -> Result<(PayloadId, PayloadRef), PayloadError> {
        self.shows_payloads
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.shared
            .payloads
            .put(&self.payload_owner, bytes, content_type)
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
        let waker = Arc::new(tokio::sync::Notify::new());
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
            drop(page);
            // Still under `control`: a replaced connection checks
            // `taken_over` before it takes a frame, so it can never take
            // the new connection's first frame.
            *lock(&self.waker) = waker.clone();
            self.taken_over.send_replace(control.connection);
            control.connection
        };
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
        control.fragments_pending.clear();
        if let Some(run) = &control.current {
            run.cancel();
        }
        self.page().reset(false);
    }

    /// A tab is about to attach: the session is no longer expiring.
    pub(crate) fn claim(&self) {
        lock(&self.control).detached_at = None;
    }

    /// Replace the query parameters with those of `query` (from `hello`);
    /// a query over the limits is refused and the parameters left empty.
    pub(crate) fn set_query(&self, query: &str) -> Result<(), query::QueryError> {
        let (pairs, result) = match query::parse(query) {
            Ok(pairs) => (pairs, Ok(())),
            Err(error) => (Vec::new(), Err(error)),
        };
        *lock(&self.query) = pairs;
        result
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

    /// New widget values and/or a button press: rerun. Without `fragment`
    /// the whole app reruns, cancelling the run in progress; with it only
    /// that fragment reruns, and a full run in progress is left to finish
    /// first (a fragment never preempts a full run). `false` when no
    /// connection is attached.
    pub(crate) fn request_rerun(
        self: &Arc<Self>,
        values: HashMap<WidgetId, Value>,
        trigger: Option<WidgetId>,
        fragment: Option<String>,
    ) -> bool {
        if !values.is_empty() {
            lock(&self.widgets).update(values);
        }
        let mut control = lock(&self.control);
        if !control.attached {
            return false;
        }
        // A fragment the last full run did not draw is gone: rerun the app.
        let fragment = fragment.filter(|id| lock(&self.fragments).get(id).is_some());
        if let Some(trigger) = trigger {
            self.queue_press(&mut control, trigger, fragment.clone());
        }
        match fragment {
            None => {
                control.rerun_pending = true;
                control.fragments_pending.clear();
                if let Some(run) = &control.current {
                    run.cancel();
                }
            }
            Some(id) => {
                if let Some(run) = &control.current {
                    if run.fragment_id() == Some(id.as_str()) {
                        run.cancel();
                    }
                }
                if !control.fragments_pending.contains(&id) {
                    control.fragments_pending.push_back(id);
                }
            }
        }
        if !control.driving {
            control.driving = true;
            drop(control);
            let session = self.clone();
            self.shared.pool.spawn(move || runner::drive(session));
        }
        true
    }

    /// Queue a press of `trigger`, if the page has that trigger widget and
    /// no press of it is already waiting (see the module docs).
    fn queue_press(&self, control: &mut Control, trigger: WidgetId, fragment: Option<String>) {
        if !lock(&self.widgets).accepts_press(&trigger) {
            tracing::debug!(session = %self.tag, "ignored a press of a button the page does not have");
            return;
        }
        if control.triggers.iter().any(|press| press.id == trigger) {
            return;
        }
        if control.triggers.len() >= MAX_PENDING_PRESSES {
            tracing::warn!(
                session = %self.tag,
                "{MAX_PENDING_PRESSES} presses are already waiting; a press was dropped"
            );
            return;
        }
        control.triggers.push_back(Press {
            id: trigger,
            fragment,
            callback_done: false,
        });
    }

    /// Rerun the fragments whose `run_every` timers are due; returns when
    /// the next timer is due. Called by the connection (so timers pause
    /// while no tab is connected).
    pub(crate) fn fire_due_fragments(self: &Arc<Self>) -> Option<std::time::Instant> {
        let due = lock(&self.fragments).take_due(Instant::now());
        for id in due {
            // A tick never preempts: not even the fragment's own run.
            let already = {
                let control = lock(&self.control);
                control.fragments_pending.contains(&id)
                    || control.current.as_ref().and_then(|run| run.fragment_id())
                        == Some(id.as_str())
            };
            if !already {
                self.request_rerun(HashMap::new(), None, Some(id));
            }
        }
        lock(&self.fragments).next_due()
    }

    /// When the next fragment timer is due.
    pub(crate) fn next_fragment_due(&self) -> Option<std::time::Instant> {
        lock(&self.fragments).next_due()
    }

    /// Stop the run in progress, if any; queued presses are dropped.
    pub(crate) fn stop(&self) {
        let mut control = lock(&self.control);
        control.rerun_pending = false;
        control.fragments_pending.clear();
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
        let (scope, trigger) = loop {
            if !control.attached {
                break (None, None);
            }
            if control.rerun_pending {
                control.rerun_pending = false;
                control.fragments_pending.clear();
                // A full run draws every widget, fragment ones included.
                let trigger = control.triggers.pop_front();
                break (Some(None), trigger);
            }
            let Some(id) = control.fragments_pending.pop_front() else {
                break (None, None);
            };
            let Some(fragment) = lock(&self.fragments).get(&id) else {
                // Gone with its fragment: its presses would be ghost clicks.
                control
                    .triggers
                    .retain(|press| press.fragment.as_deref() != Some(id.as_str()));
                continue;
            };
            let trigger = match control.triggers.front() {
                Some(press) if press.fragment.as_deref() == Some(id.as_str()) => {
                    control.triggers.pop_front()
                }
                _ => None,
            };
            break (
                Some(Some(RunScope {
                    fragment: id,
                    path: fragment.path,
                    body: fragment.body,
                })),
                trigger,
            );
        };
        let Some(scope) = scope else {
            control.driving = false;
            drop(control);
            // Whoever waits for the session to go idle (AppTest) checks
            // `is_busy` when woken: wake it now that it is idle.
            self.wake();
            return None;
        };
        control.stop_requested = false;
        let id = control.next_run;
        control.next_run += 1;
        let click_callback = trigger
            .as_ref()
            .filter(|p| !p.callback_done)
            .map(|p| p.id.as_str());
        let callbacks = lock(&self.widgets).take_due_callbacks(click_callback, &self.state);
        let page_scope = scope.as_ref().map(|s| s.path.clone());
        let trigger = trigger.map(|p| (p.id, p.callback_done));
        let run = Arc::new(Run::new(id, self, trigger, scope, callbacks));
        control.current = Some(run.clone());
        drop(control);
        self.state.begin_run();
        self.page().begin_run(id, page_scope);
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
        let cancelled = status == RunStatus::Cancelled;
        if let Some(trigger) = run.lock_trigger().take() {
            if !trigger.consumed && cancelled && control.attached {
                // Not read yet: it goes back first, merged with any newer
                // press of the same button (which then adds no run of its own).
                control.triggers.retain(|press| press.id != trigger.id);
                control.triggers.push_front(Press {
                    id: trigger.id,
                    fragment: run.fragment_id().map(str::to_string),
                    callback_done: trigger.callback_done || run.click_started(),
                });
            }
        }
        if cancelled && !run.changes_done() {
            // Cancelled before its `on_change` callbacks finished: they are
            // due again before the next run.
            lock(&self.widgets).restore_changed(run.changed_widgets());
        }
        if control.attached {
            match control.triggers.front() {
                Some(Press {
                    fragment: Some(fragment),
                    ..
                }) => {
                    let fragment = fragment.clone();
                    if !control.fragments_pending.contains(&fragment) {
                        control.fragments_pending.push_back(fragment);
                    }
                }
                Some(_) => control.rerun_pending = true,
                None => {}
            }
        }
        control.current = None;
        // Mark finished while holding the control lock so that no event can
        // see a "current" run that is already over.
        run.mark_finished();
        drop(control);

        let ended = matches!(status, RunStatus::Complete | RunStatus::Error);
        if ended {
            // A form cleared on submit forgets its values only now that the
            // submit has been handled (a cancelled submit is delivered again).
            let resets = std::mem::take(&mut *run.lock_form_resets());
            let mut widgets = lock(&self.widgets);
            for (id, value) in resets {
                widgets.store(&id, value);
            }
        }
        if ended && run.scope.is_none() {
            let drawn = std::mem::take(&mut *run.lock_widgets());
            lock(&self.widgets).retain_drawn(&drawn);
            // The page now shows what this run drew: other payloads may go.
            let drawn = std::mem::take(&mut *run.lock_payloads());
            let shows = !drawn.is_empty();
            if self
                .shows_payloads
                .swap(shows, std::sync::atomic::Ordering::Relaxed)
            {
                self.shared.payloads.retain(&self.payload_owner, &drawn);
            }
            lock(&self.fragments).retain_drawn_in(run.id);
            self.state
                .forget_widget_keys_except(&run.lock_widget_keys());
        }
        // Between runs, every keyed widget's value may be set again.
        self.state.begin_run();
        self.page().end_run(run.id, status);
        self.wake();
    }

    // ----- widgets and fragments, for the Ui -----

    /// The widget store.
    pub(crate) fn widgets(&self) -> MutexGuard<'_, WidgetStore> {
        lock(&self.widgets)
    }

    /// Register a fragment the current run drew.
    pub(crate) fn register_fragment(
        &self,
        id: &str,
        body: fragments::FragmentFn,
        path: crate::protocol::Path,
        every: Option<std::time::Duration>,
        full_run: Option<u64>,
    ) {
        lock(&self.fragments).register(id, body, path, every, full_run);
    }
}
