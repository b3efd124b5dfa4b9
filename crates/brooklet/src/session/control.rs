//! The rerun state machine of one session, as plain data.
//!
//! [`Control`] decides, for every event, whether a run is cancelled, which
//! run comes next and which button press it handles. It takes no locks and
//! calls nothing: the session holds it behind one mutex and does what it
//! says (spawn the driver, cancel a run). That is what lets the rules below
//! be unit-tested without a server, a thread or a `Ui`.
//!
//! ```text
//!  event ──► request ──► (no driver)  start one: Control::request returns true
//!                   └──► (a run)      cancel it if the event supersedes it;
//!                                     the driver loops into the next run
//! ```
//!
//! Button presses are queued, one per run: a run takes the first press; if it
//! is cancelled before the button read it, the press goes back to the front of
//! the queue, so a press is delivered to exactly one completed reading. A
//! press is accepted only for a trigger widget the page has (the caller asks
//! the widget store). Presses of one button that no run has read yet merge
//! into one: clicking "Rerun" four times during a slow run gives one new run,
//! while presses of different buttons all count. The queue is bounded by
//! [`MAX_PENDING_PRESSES`].

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use crate::protocol::{RunStatus, WidgetId};
use crate::run::Run;

/// The most distinct button presses waiting for a run. Presses of one button
/// merge, so this is only reached by a page with this many buttons pressed
/// during one run; further presses are dropped (and logged).
pub(crate) const MAX_PENDING_PRESSES: usize = 64;

/// A button press waiting for a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Press {
    pub(crate) id: WidgetId,
    /// The fragment the button is in (its run reruns only the fragment).
    pub(crate) fragment: Option<String>,
    /// Its `on_click` already ran (in a run that was then cancelled before
    /// the button read the press): it must not run twice.
    pub(crate) callback_done: bool,
}

/// What the next run is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NextRun<S> {
    /// Its number.
    pub(crate) id: u64,
    /// `None` for a full run; the fragment's id and what the caller's
    /// `lookup` found for it for a fragment run.
    pub(crate) fragment: Option<(String, S)>,
    /// The press it handles.
    pub(crate) press: Option<Press>,
}

/// The run control state of one session.
#[derive(Debug)]
pub(crate) struct Control {
    current: Option<Arc<Run>>,
    /// A script thread is inside the driver for this session.
    driving: bool,
    rerun_pending: bool,
    /// Fragments waiting to rerun on their own, in order.
    fragments_pending: VecDeque<String>,
    stop_requested: bool,
    /// Button presses not yet delivered.
    presses: VecDeque<Press>,
    next_run: u64,
    /// A connection (or test harness) is attached and wants runs.
    attached: bool,
    /// Bumped by every attach, so that a connection that was taken over
    /// (the tab reconnected before the old socket was seen to close) knows it.
    connection: u64,
    /// When the last connection went away, for expiry.
    detached_at: Option<Instant>,
}

impl Control {
    /// A session nobody is attached to yet (detached since `now`).
    pub(crate) fn new(now: Instant) -> Control {
        Control {
            current: None,
            driving: false,
            rerun_pending: false,
            fragments_pending: VecDeque::new(),
            stop_requested: false,
            presses: VecDeque::new(),
            next_run: 1,
            attached: false,
            connection: 0,
            detached_at: Some(now),
        }
    }

    /// The run in progress.
    pub(crate) fn current(&self) -> Option<&Arc<Run>> {
        self.current.as_ref()
    }

    /// The number of the current connection.
    pub(crate) fn connection(&self) -> u64 {
        self.connection
    }

    /// Whether a connection is attached.
    pub(crate) fn is_attached(&self) -> bool {
        self.attached
    }

    /// When the session was left without a connection, if it is.
    pub(crate) fn detached_at(&self) -> Option<Instant> {
        self.detached_at
    }

    /// Whether a run is in progress or about to start.
    pub(crate) fn is_busy(&self) -> bool {
        self.driving || self.rerun_pending
    }

    /// A tab is about to attach: the session is no longer expiring.
    pub(crate) fn claim(&mut self) {
        self.detached_at = None;
    }

    /// A connection attached (replacing any other); returns its number. The
    /// run in progress, drawing for the old connection, is cancelled.
    pub(crate) fn attach(&mut self) -> u64 {
        self.attached = true;
        self.detached_at = None;
        self.connection += 1;
        if let Some(run) = &self.current {
            run.cancel();
        }
        self.connection
    }

    /// Connection `connection` went away at `now`: stop running, forget what
    /// was pending. `false` (and nothing changes) when another connection
    /// has taken over.
    pub(crate) fn detach(&mut self, connection: u64, now: Instant) -> bool {
        if self.connection != connection {
            return false;
        }
        self.attached = false;
        self.detached_at = Some(now);
        self.rerun_pending = false;
        self.presses.clear();
        self.fragments_pending.clear();
        if let Some(run) = &self.current {
            run.cancel();
        }
        true
    }

    /// Queue a press of `id` (in `fragment`), unless one is already waiting.
    /// The caller has checked that the page has that enabled button.
    pub(crate) fn queue_press(&mut self, id: WidgetId, fragment: Option<String>) -> QueuedPress {
        if self.presses.iter().any(|press| press.id == id) {
            return QueuedPress::Merged;
        }
        if self.presses.len() >= MAX_PENDING_PRESSES {
            return QueuedPress::Dropped;
        }
        self.presses.push_back(Press {
            id,
            fragment,
            callback_done: false,
        });
        QueuedPress::Queued
    }

    /// Ask for a rerun: of the whole app (`fragment` is `None`), which
    /// cancels the run in progress, or of one fragment, which a full run in
    /// progress is left to finish first (a fragment never preempts a full
    /// run). Returns `Some(true)` when the caller must start a driver,
    /// `Some(false)` when one is running, `None` when nobody is attached.
    pub(crate) fn request(&mut self, fragment: Option<String>) -> Option<bool> {
        if !self.attached {
            return None;
        }
        match fragment {
            None => {
                self.rerun_pending = true;
                self.fragments_pending.clear();
                if let Some(run) = &self.current {
                    run.cancel();
                }
            }
            Some(id) => {
                if let Some(run) = &self.current {
                    if run.fragment_id() == Some(id.as_str()) {
                        run.cancel();
                    }
                }
                if !self.fragments_pending.contains(&id) {
                    self.fragments_pending.push_back(id);
                }
            }
        }
        if self.driving {
            return Some(false);
        }
        self.driving = true;
        Some(true)
    }

    /// Whether a `run_every` tick of fragment `id` would add nothing: the
    /// fragment is already pending or running (a tick never preempts).
    pub(crate) fn fragment_busy(&self, id: &str) -> bool {
        self.fragments_pending.iter().any(|f| f == id)
            || self.current.as_ref().and_then(|run| run.fragment_id()) == Some(id)
    }

    /// Stop the run in progress, if any; pending runs and presses are
    /// dropped. The run then finishes as `stopped`.
    pub(crate) fn stop(&mut self) {
        self.rerun_pending = false;
        self.fragments_pending.clear();
        self.presses.clear();
        if let Some(run) = &self.current {
            self.stop_requested = true;
            run.cancel();
        }
    }

    /// The next run to execute, or `None` when nothing is pending (the
    /// driver then leaves). `lookup` finds a pending fragment; a fragment it
    /// does not find is gone (the last full run did not draw it), and so are
    /// its presses.
    pub(crate) fn next_run<S>(
        &mut self,
        mut lookup: impl FnMut(&str) -> Option<S>,
    ) -> Option<NextRun<S>> {
        let (fragment, press) = loop {
            if !self.attached {
                self.driving = false;
                return None;
            }
            if self.rerun_pending {
                self.rerun_pending = false;
                self.fragments_pending.clear();
                // A full run draws every widget, fragment ones included.
                break (None, self.presses.pop_front());
            }
            let Some(id) = self.fragments_pending.pop_front() else {
                self.driving = false;
                return None;
            };
            let Some(found) = lookup(&id) else {
                // Gone with its fragment: its presses would be ghost clicks.
                self.presses
                    .retain(|press| press.fragment.as_deref() != Some(id.as_str()));
                continue;
            };
            let press = match self.presses.front() {
                Some(press) if press.fragment.as_deref() == Some(id.as_str()) => {
                    self.presses.pop_front()
                }
                _ => None,
            };
            break (Some((id, found)), press);
        };
        self.stop_requested = false;
        let id = self.next_run;
        self.next_run += 1;
        Some(NextRun {
            id,
            fragment,
            press,
        })
    }

    /// `run` is the run in progress.
    pub(crate) fn set_current(&mut self, run: Arc<Run>) {
        self.current = Some(run);
    }

    /// `run` ended with `status`: its press goes back to the queue if the
    /// run was cancelled before the button read it, and the next run is
    /// scheduled for the first waiting press. Returns the status to report
    /// (a cancelled run that Stop cancelled is `stopped`). The run is marked
    /// finished here, under the caller's lock, so that no event can see a
    /// current run that is already over.
    pub(crate) fn finish(&mut self, run: &Run, status: RunStatus) -> RunStatus {
        let status = if self.stop_requested && status == RunStatus::Cancelled {
            RunStatus::Stopped
        } else {
            status
        };
        let cancelled = status == RunStatus::Cancelled;
        if let Some(trigger) = run.with_trigger(Option::take) {
            if !trigger.consumed && cancelled && self.attached {
                // Not read yet: it goes back first, merged with any newer
                // press of the same button (which then adds no run of its own).
                self.presses.retain(|press| press.id != trigger.id);
                self.presses.push_front(Press {
                    id: trigger.id,
                    fragment: run.fragment_id().map(str::to_owned),
                    callback_done: trigger.callback_done || run.click_started(),
                });
            }
        }
        if self.attached {
            match self.presses.front().map(|press| &press.fragment) {
                // A press in a fragment reruns the fragment (once).
                Some(Some(fragment)) if !self.fragments_pending.contains(fragment) => {
                    self.fragments_pending.push_back(fragment.clone());
                }
                Some(Some(_)) | None => {}
                Some(None) => self.rerun_pending = true,
            }
        }
        self.current = None;
        run.mark_finished();
        status
    }
}

/// What [`Control::queue_press`] did with a press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueuedPress {
    /// Queued: a run will handle it.
    Queued,
    /// A press of the same button was already waiting: they are one.
    Merged,
    /// The queue is full: dropped.
    Dropped,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attached() -> Control {
        let mut control = Control::new(Instant::now());
        control.attach();
        control
    }

    /// Start the next run the way the session does; `None` when idle.
    fn start(control: &mut Control) -> Option<(Arc<Run>, Option<Press>)> {
        let next = control.next_run(|id| Some(vec![0, id.len() as u32]))?;
        let trigger = next.press.clone().map(|p| (p.id, p.callback_done));
        let fragment = next.fragment.clone();
        let run = Arc::new(Run::new(next.id, trigger, fragment, Vec::new()));
        control.set_current(run.clone());
        Some((run, next.press))
    }

    /// The button of the current run reads its press.
    fn read_press(run: &Run) -> bool {
        run.with_trigger(|t| match t {
            Some(t) if !t.consumed => {
                t.consumed = true;
                true
            }
            _ => false,
        })
    }

    #[test]
    fn two_presses_of_one_button_in_two_runs_give_two_deliveries() {
        // Not a boolean: a press delivered is used up, a second press is a
        // second delivery.
        let mut control = attached();
        for _ in 0..2 {
            assert_eq!(control.queue_press("go".into(), None), QueuedPress::Queued);
            control.request(None);
            let (run, press) = start(&mut control).expect("a run");
            assert_eq!(press.map(|p| p.id).as_deref(), Some("go"));
            assert!(read_press(&run));
            assert!(!read_press(&run), "one press, one delivery");
            control.finish(&run, RunStatus::Complete);
        }
        assert!(start(&mut control).is_none(), "nothing left to run");
    }

    #[test]
    fn presses_of_one_button_merge_until_a_run_reads_one() {
        let mut control = attached();
        assert_eq!(control.queue_press("go".into(), None), QueuedPress::Queued);
        for _ in 0..3 {
            assert_eq!(control.queue_press("go".into(), None), QueuedPress::Merged);
        }
        assert_eq!(
            control.queue_press("other".into(), None),
            QueuedPress::Queued
        );
        control.request(None);
        let (run, press) = start(&mut control).expect("a run");
        assert_eq!(press.map(|p| p.id).as_deref(), Some("go"));
        assert!(read_press(&run));
        control.finish(&run, RunStatus::Complete);
        // The other button's press schedules a run of its own.
        let (_, press) = start(&mut control).expect("a second run");
        assert_eq!(press.map(|p| p.id).as_deref(), Some("other"));
    }

    #[test]
    fn an_unread_press_of_a_cancelled_run_goes_back_first() {
        let mut control = attached();
        control.queue_press("go".into(), None);
        control.request(None);
        let (run, _) = start(&mut control).expect("a run");
        run.set_click_started();
        // A new event cancels the run before the button read its press; a
        // newer press of the same button merges into the returned one.
        control.queue_press("go".into(), None);
        control.request(None);
        assert!(run.is_cancelled());
        assert_eq!(
            control.finish(&run, RunStatus::Cancelled),
            RunStatus::Cancelled
        );
        let (next, press) = start(&mut control).expect("the press is delivered again");
        let press = press.expect("a press");
        assert_eq!(press.id, "go");
        assert!(press.callback_done, "its on_click must not run twice");
        assert!(read_press(&next));
        control.finish(&next, RunStatus::Complete);
        assert!(start(&mut control).is_none(), "merged: one delivery");
    }

    #[test]
    fn a_read_press_is_not_delivered_again() {
        let mut control = attached();
        control.queue_press("go".into(), None);
        control.request(None);
        let (run, _) = start(&mut control).expect("a run");
        assert!(read_press(&run));
        control.request(None);
        control.finish(&run, RunStatus::Cancelled);
        let (_, press) = start(&mut control).expect("the rerun");
        assert_eq!(press, None);
    }

    #[test]
    fn the_press_queue_is_bounded() {
        let mut control = attached();
        for i in 0..MAX_PENDING_PRESSES {
            assert_eq!(
                control.queue_press(format!("b{i}"), None),
                QueuedPress::Queued
            );
        }
        assert_eq!(
            control.queue_press("one too many".into(), None),
            QueuedPress::Dropped
        );
    }

    #[test]
    fn only_one_driver_is_started() {
        let mut control = attached();
        assert_eq!(control.request(None), Some(true));
        let (run, _) = start(&mut control).expect("a run");
        assert_eq!(control.request(None), Some(false), "the driver loops");
        assert!(run.is_cancelled(), "superseded");
        control.finish(&run, RunStatus::Cancelled);
        let (run, _) = start(&mut control).expect("the pending rerun");
        control.finish(&run, RunStatus::Complete);
        assert!(start(&mut control).is_none());
        assert!(!control.is_busy());
        assert_eq!(
            control.request(None),
            Some(true),
            "idle again: a new driver"
        );
    }

    #[test]
    fn a_detached_session_runs_nothing_and_forgets_what_was_pending() {
        let mut control = Control::new(Instant::now());
        assert_eq!(control.request(None), None, "nobody attached");
        let connection = control.attach();
        control.queue_press("go".into(), None);
        control.request(None);
        let (run, _) = start(&mut control).expect("a run");
        assert!(
            !control.detach(connection + 1, Instant::now()),
            "not the current connection"
        );
        assert!(control.detach(connection, Instant::now()));
        assert!(run.is_cancelled());
        control.finish(&run, RunStatus::Cancelled);
        assert!(start(&mut control).is_none());
        assert!(control.detached_at().is_some());
    }

    #[test]
    fn stop_cancels_the_run_as_stopped_and_drops_pending_presses() {
        let mut control = attached();
        control.request(None);
        let (run, _) = start(&mut control).expect("a run");
        control.queue_press("go".into(), None);
        control.stop();
        assert!(run.is_cancelled());
        assert_eq!(
            control.finish(&run, RunStatus::Cancelled),
            RunStatus::Stopped
        );
        assert!(start(&mut control).is_none());
    }

    #[test]
    fn a_fragment_waits_for_a_full_run_and_a_full_run_supersedes_fragments() {
        let mut control = attached();
        control.request(None);
        let (full, _) = start(&mut control).expect("a full run");
        control.request(Some("f".into()));
        assert!(!full.is_cancelled(), "a fragment never preempts a full run");
        assert!(control.fragment_busy("f"));
        control.finish(&full, RunStatus::Complete);
        let (fragment, _) = start(&mut control).expect("the fragment run");
        assert_eq!(fragment.fragment_id(), Some("f"));
        control.request(Some("f".into()));
        assert!(fragment.is_cancelled(), "its own rerun supersedes it");
        control.request(None);
        control.finish(&fragment, RunStatus::Cancelled);
        let (next, _) = start(&mut control).expect("the full run");
        assert_eq!(
            next.fragment_id(),
            None,
            "pending fragment runs were dropped"
        );
    }

    #[test]
    fn presses_of_a_fragment_that_is_gone_are_dropped() {
        let mut control = attached();
        control.queue_press("in-f".into(), Some("f".into()));
        control.request(Some("f".into()));
        assert!(control.next_run(|_| None::<()>).is_none());
        control.request(None);
        let next = control.next_run(|_| None::<()>).expect("a full run");
        assert_eq!(next.press, None, "the ghost press went with its fragment");
    }
}
