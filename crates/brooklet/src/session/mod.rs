//! Sessions: one per browser tab.
//!
//! A session is the top of the runtime below the server: it owns its
//! [`SessionContext`] (page, stores and the app's shared parts, which runs
//! reach through their `Ui`) and its [`Control`] (the rerun state machine,
//! see [`control`]), and starts the [`drive`](drive::drive) loop on a script
//! thread when a run is due. Connections attach to it and detach from it;
//! `AppTest` drives it the same way.
//!
//! Lock order (see `docs/architecture.md`): `control` first, then what the
//! context guards (widget store, fragments, page). No lock is held while
//! app code runs.

pub(crate) mod control;
mod drive;
mod windows;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Instant;

use serde_json::Value;

pub(crate) use control::MAX_PENDING_PRESSES;

use crate::page::Page;
use crate::payload::random_hex;
use crate::protocol::{RunStatus, ServerMessage, WidgetId};
use crate::run::{Run, SessionTag};
use crate::store::query::{self, QueryError};
use crate::store::widgets::DueCallbacks;
use crate::store::SessionState;
use crate::sync::lock;
use crate::ui::{AppFn, AppShared, Callback, SessionContext, SessionHost};
use control::{Control, QueuedPress};

/// One browser tab's session.
pub(crate) struct Session {
    id: String,
    /// Itself, for the driver it spawns (see [`SessionHost`]).
    me: Weak<Session>,
    context: Arc<SessionContext>,
    control: Mutex<Control>,
    /// Carries the current connection number; a connection whose number is
    /// no longer current has been replaced and must leave.
    pub(crate) taken_over: tokio::sync::watch::Sender<u64>,
    /// Window requests of the page's dataframes.
    windows: windows::Windows,
}

/// A run about to start, with what the driver calls.
pub(crate) struct StartedRun {
    pub(crate) run: Arc<Run>,
    /// The app function, or the fragment's body.
    pub(crate) body: Arc<AppFn>,
    /// The callbacks due before the body.
    pub(crate) callbacks: DueCallbacks<Callback>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("tag", &self.context.tag())
            .finish_non_exhaustive()
    }
}

impl SessionHost for Session {
    fn request_rerun(&self) -> bool {
        Session::request_rerun(self, HashMap::new(), None, None)
    }

    fn rerun_after(&self, run: &Run) {
        let mut control = self.control();
        // Checked under the lock that Stop, detach and new events cancel
        // runs under: a rerun never undoes them.
        if run.is_cancelled() || run.is_finished() {
            return;
        }
        if control.request(None) == Some(true) {
            drop(control);
            self.spawn_driver();
        }
    }
}

impl Session {
    /// A new session; fails only when the OS has no randomness for its id
    /// (never a guessable fallback: whoever knows an id can take the
    /// session over).
    pub(crate) fn new(shared: Arc<AppShared>) -> Result<Arc<Session>, getrandom::Error> {
        let id = random_hex()?;
        let payload_owner = shared.payloads.new_owner()?;
        let upload_token = random_hex()?;
        Ok(Arc::new_cyclic(|me: &Weak<Session>| {
            let host: Weak<dyn SessionHost> = me.clone();
            Session {
                id,
                me: me.clone(),
                context: Arc::new(SessionContext::new(
                    shared,
                    payload_owner,
                    upload_token,
                    host,
                )),
                control: Mutex::new(Control::new(Instant::now())),
                taken_over: tokio::sync::watch::channel(0).0,
                windows: windows::Windows::default(),
            }
        }))
    }

    /// The session's secret id (never log it: log [`Session::tag`]).
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// The session's name for logs.
    pub(crate) fn tag(&self) -> SessionTag {
        self.context.tag()
    }

    /// What the session's runs reach.
    pub(crate) fn context(&self) -> &Arc<SessionContext> {
        &self.context
    }

    /// The session state.
    pub(crate) fn state(&self) -> &SessionState {
        &self.context.state
    }

    /// Run `f` with the page locked.
    pub(crate) fn with_page<R>(&self, f: impl FnOnce(&mut Page) -> R) -> R {
        self.context.outbox.with_page(f)
    }

    /// Wake the current connection's writer: something was queued.
    pub(crate) fn wake(&self) {
        self.context.outbox.wake();
    }

    /// Queue a message for the client and wake the writer.
    pub(crate) fn send(&self, message: ServerMessage) {
        self.context.outbox.send(message);
    }

    fn control(&self) -> std::sync::MutexGuard<'_, Control> {
        lock(&self.control)
    }

    /// If the run in progress was cancelled, make sure someone notices when
    /// it does not stop: code with no `Ui` call in a long loop never sees
    /// its cancellation. After `runner.stuck_run_warning` it is logged with
    /// its session and run, once.
    fn watch_cancelled(&self, control: &Control) {
        let Some(run) = control.current() else {
            return;
        };
        if !run.is_cancelled() || !run.claim_watch() {
            return;
        }
        let run = run.clone();
        let tag = self.tag();
        let after = self.context.shared().stuck_run_warning;
        crate::runtime::async_runtime().spawn(async move {
            tokio::time::sleep(after).await;
            if !run.is_finished() {
                tracing::warn!(
                    session = %tag,
                    run = run.id(),
                    "run {} was cancelled {after:?} ago and is still running: its code makes no \
                     Ui call (in long loops, call ui.checkpoint() or check ui.is_running())",
                    run.id()
                );
            }
        });
    }

    // ----- connection -----

    /// A connection took this session (replacing any other). `resumed`: the
    /// browser kept its page. Queues `first` (the session message); the
    /// caller then requests a run. Returns the connection's number and the
    /// waker that tells it when something is queued.
    pub(crate) fn attach(
        &self,
        resumed: bool,
        first: ServerMessage,
    ) -> (u64, Arc<tokio::sync::Notify>) {
        // Control stays locked while the page is reset: a concurrent
        // `detach` of the old connection cannot clear what this one queues.
        let mut control = self.control();
        let connection = control.attach();
        self.watch_cancelled(&control);
        self.with_page(|page| {
            page.reset(resumed);
            page.push_message(first);
        });
        // Still under `control`: a replaced connection checks `taken_over`
        // before it takes a frame, so it can never take the new
        // connection's first frame.
        let waker = self.context.outbox.new_reader();
        self.taken_over.send_replace(connection);
        drop(control);
        waker.notify_one();
        (connection, waker)
    }

    /// Connection `connection` went away: stop running, drop what was
    /// queued. Nothing happens when another connection has taken over.
    pub(crate) fn detach(&self, connection: u64) {
        let mut control = self.control();
        if control.detach(connection, Instant::now()) {
            self.watch_cancelled(&control);
            self.with_page(|page| page.reset(false));
        }
    }

    /// A tab is about to attach: the session is no longer expiring.
    pub(crate) fn claim(&self) {
        self.control().claim();
    }

    /// Replace the query parameters with those of `query` (from `hello`);
    /// a query over the limits is refused and the parameters left empty.
    pub(crate) fn set_query(&self, query: &str) -> Result<(), QueryError> {
        let (pairs, result) = match query::parse(query) {
            Ok(pairs) => (pairs, Ok(())),
            Err(error) => (Vec::new(), Err(error)),
        };
        self.context.with_query(|query| *query = pairs);
        result
    }

    /// Detach whatever connection holds the session (server shutdown).
    pub(crate) fn close(&self) {
        let connection = self.control().connection();
        self.detach(connection);
    }

    /// When the session was left without a connection, if it is.
    pub(crate) fn detached_since(&self) -> Option<Instant> {
        self.control().detached_at()
    }

    /// Whether a run is in progress or about to start.
    pub(crate) fn is_busy(&self) -> bool {
        self.control().is_busy()
    }

    // ----- runs -----

    /// New widget values and/or a button press: rerun. Without `fragment`
    /// the whole app reruns, cancelling the run in progress; with it only
    /// that fragment reruns, and a full run in progress is left to finish
    /// first (a fragment never preempts a full run). `false` when no
    /// connection is attached.
    pub(crate) fn request_rerun(
        &self,
        values: HashMap<WidgetId, Value>,
        trigger: Option<WidgetId>,
        fragment: Option<String>,
    ) -> bool {
        if !values.is_empty() {
            self.context.with_widgets(|widgets| widgets.update(values));
        }
        let mut control = self.control();
        if !control.is_attached() {
            return false;
        }
        // A fragment the last full run did not draw is gone: rerun the app.
        let fragment = fragment.filter(|id| {
            self.context
                .with_fragments(|fragments| fragments.get(id).is_some())
        });
        if let Some(trigger) = trigger {
            self.queue_press(&mut control, trigger, fragment.clone());
        }
        let start_driver = control.request(fragment) == Some(true);
        self.watch_cancelled(&control);
        if start_driver {
            drop(control);
            self.spawn_driver();
        }
        true
    }

    /// Start a driver on the script pool (the control state said one is
    /// needed: none is running).
    fn spawn_driver(&self) {
        if let Some(session) = self.me.upgrade() {
            self.context
                .shared()
                .pool
                .spawn(move || drive::drive(session));
        }
    }

    /// Queue a press of `trigger`, if the page has that enabled trigger
    /// widget (see [`control`] for the rules).
    fn queue_press(&self, control: &mut Control, trigger: WidgetId, fragment: Option<String>) {
        let tag = self.tag();
        if !self
            .context
            .with_widgets(|widgets| widgets.accepts_press(&trigger))
        {
            tracing::debug!(session = %tag, "ignored a press of a button the page does not have");
            return;
        }
        if control.queue_press(trigger, fragment) == QueuedPress::Dropped {
            tracing::warn!(
                session = %tag,
                "{MAX_PENDING_PRESSES} presses are already waiting; a press was dropped"
            );
        }
    }

    /// Rerun the fragments whose `run_every` timers are due at `now`;
    /// returns when the next timer is due. Called by the connection (so
    /// timers pause while no tab is connected).
    pub(crate) fn fire_due_fragments(&self, now: Instant) -> Option<Instant> {
        let due = self
            .context
            .with_fragments(|fragments| fragments.take_due(now));
        for id in due {
            // A tick never preempts: not even the fragment's own run.
            if !self.control().fragment_busy(&id) {
                self.request_rerun(HashMap::new(), None, Some(id));
            }
        }
        self.next_fragment_due()
    }

    /// When the next fragment timer is due.
    pub(crate) fn next_fragment_due(&self) -> Option<Instant> {
        self.context
            .with_fragments(|fragments| fragments.next_due())
    }

    /// Stop the run in progress, if any; queued presses are dropped.
    pub(crate) fn stop(&self) {
        let mut control = self.control();
        control.stop();
        self.watch_cancelled(&control);
    }

    /// Called by the driver: the next run to execute, or `None` (and the
    /// driver leaves) when nothing is pending.
    fn begin_run(&self) -> Option<StartedRun> {
        let mut control = self.control();
        let Some(next) =
            control.next_run(|id| self.context.with_fragments(|fragments| fragments.get(id)))
        else {
            drop(control);
            // Whoever waits for the session to go idle (AppTest) checks
            // `is_busy` when woken: wake it now that it is idle.
            self.wake();
            return None;
        };
        let click_callback = next
            .press
            .as_ref()
            .filter(|press| !press.callback_done)
            .map(|press| press.id.as_str());
        let callbacks = self.context.with_widgets(|widgets| {
            widgets.take_due_callbacks(click_callback, &self.context.state)
        });
        let (fragment, body) = match next.fragment {
            Some((id, fragment)) => (Some((id, fragment.path)), fragment.body),
            None => (None, self.context.shared().app.clone()),
        };
        let page_scope = fragment.as_ref().map(|(_, path)| path.clone());
        let trigger = next.press.map(|press| (press.id, press.callback_done));
        let run = Arc::new(Run::new(
            next.id,
            trigger,
            fragment,
            callbacks.changed.clone(),
        ));
        control.set_current(run.clone());
        drop(control);
        self.context.state.begin_run();
        self.with_page(|page| page.begin_run(next.id, page_scope));
        Some(StartedRun {
            run,
            body,
            callbacks,
        })
    }

    /// Called by the driver once the app function has returned or unwound.
    fn finish_run(&self, run: &Arc<Run>, status: RunStatus) {
        let mut control = self.control();
        let status = control.finish(run, status);
        if status == RunStatus::Cancelled && !run.changes_done() {
            // Cancelled before its `on_change` callbacks finished: they are
            // due again before the next run.
            self.context
                .with_widgets(|widgets| widgets.restore_changed(run.changed_widgets()));
        }
        drop(control);

        if matches!(status, RunStatus::Complete | RunStatus::Error) {
            let drawn = run.take_drawn();
            // A form cleared on submit forgets its values only now that the
            // submit has been handled (a cancelled submit is delivered again).
            self.context.with_widgets(|widgets| {
                for (id, value) in drawn.form_resets {
                    widgets.store(&id, value);
                }
                if run.fragment_id().is_none() {
                    widgets.retain_drawn(&drawn.widgets);
                }
            });
            if let Some(fragment) = run.fragment_id() {
                self.context
                    .retain_fragment_payloads(fragment, drawn.payloads);
            } else {
                // The page now shows what this run drew: the rest may go.
                self.context.retain_payloads(drawn.payloads);
                self.context.retain_grids(&drawn.grids);
                self.context.retain_charts(&drawn.charts);
                self.context.retain_downloads(&drawn.downloads);
                self.context.retain_uploaders(&drawn.uploaders);
                self.context
                    .with_fragments(|fragments| fragments.retain_drawn_in(run.id()));
                self.context
                    .state
                    .forget_widget_keys_except(&drawn.widget_keys);
            }
        } else {
            // Cancelled or stopped: the page keeps what the run drew so far.
            self.context.keep_payloads(run.take_drawn().payloads);
        }
        // Between runs, every keyed widget's value may be set again.
        self.context.state.begin_run();
        self.with_page(|page| page.end_run(run.id(), status));
        self.wake();
    }
}
