//! Caps on the worker threads app code starts with `ui.spawn`.
//!
//! Each worker is an OS thread, and a cancelled worker keeps its thread until
//! its next `Ui` call (or its sleep) ends. Without a cap, a tab clicking Rerun
//! on a page that spawns workers could start thousands of threads and exhaust
//! the host's thread limit for every process on the machine. So workers are
//! counted per session and per process; a spawn beyond either cap *waits* for
//! a slot (cancelled with its run, and shown in the page as waiting) rather
//! than failing, so an app never sees an error it cannot handle.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::run::SessionTag;

struct Counts {
    total: usize,
    per_session: HashMap<SessionTag, usize>,
}

struct Shared {
    counts: Mutex<Counts>,
    freed: Condvar,
    max_total: usize,
    max_per_session: usize,
}

/// The worker counts of one app. Cheap to clone.
#[derive(Clone)]
pub(crate) struct WorkerSlots {
    shared: Arc<Shared>,
}

/// Why a slot is not free yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Full {
    /// The session has `max_per_session` workers.
    Session(usize),
    /// The process has `max_total` workers.
    Process(usize),
}

impl std::fmt::Display for Full {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Full::Session(n) => write!(
                f,
                "waiting for a worker thread ({n} of {n} in use by this session)"
            ),
            Full::Process(n) => write!(
                f,
                "waiting for a worker thread ({n} of {n} in use by the server)"
            ),
        }
    }
}

/// One worker's slot; freed when dropped (the worker's thread has ended).
pub(crate) struct WorkerSlot {
    shared: Arc<Shared>,
    session: SessionTag,
}

impl WorkerSlots {
    pub(crate) fn new(max_total: usize, max_per_session: usize) -> WorkerSlots {
        WorkerSlots {
            shared: Arc::new(Shared {
                counts: Mutex::new(Counts {
                    total: 0,
                    per_session: HashMap::new(),
                }),
                freed: Condvar::new(),
                max_total: max_total.max(1),
                max_per_session: max_per_session.max(1),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Counts> {
        crate::sync::lock(&self.shared.counts)
    }

    /// Take a slot for a worker of `session`, or say which cap is full.
    pub(crate) fn try_acquire(&self, session: SessionTag) -> Result<WorkerSlot, Full> {
        let mut counts = self.lock();
        let mine = counts.per_session.get(&session).copied().unwrap_or(0);
        if mine >= self.shared.max_per_session {
            return Err(Full::Session(self.shared.max_per_session));
        }
        if counts.total >= self.shared.max_total {
            return Err(Full::Process(self.shared.max_total));
        }
        counts.total += 1;
        *counts.per_session.entry(session).or_insert(0) += 1;
        Ok(WorkerSlot {
            shared: self.shared.clone(),
            session,
        })
    }

    /// Wait up to `timeout` for some slot to be freed.
    pub(crate) fn wait_for_free(&self, timeout: Duration) {
        let counts = self.lock();
        let _ = crate::sync::wait_timeout(&self.shared.freed, counts, timeout);
    }

    /// Workers alive in the process, and in `session`.
    #[cfg(test)]
    pub(crate) fn in_use(&self, session: SessionTag) -> (usize, usize) {
        let counts = self.lock();
        let mine = counts.per_session.get(&session).copied().unwrap_or(0);
        (counts.total, mine)
    }
}

impl Drop for WorkerSlot {
    fn drop(&mut self) {
        let mut counts = crate::sync::lock(&self.shared.counts);
        counts.total = counts.total.saturating_sub(1);
        if let Some(mine) = counts.per_session.get_mut(&self.session) {
            *mine -= 1;
            if *mine == 0 {
                counts.per_session.remove(&self.session);
            }
        }
        drop(counts);
        self.shared.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_hold_per_session_and_per_process_and_slots_come_back() {
        let slots = WorkerSlots::new(3, 2);
        let a = SessionTag::for_test(1);
        let b = SessionTag::for_test(2);
        let a1 = slots.try_acquire(a).expect("free");
        let _a2 = slots.try_acquire(a).expect("free");
        assert_eq!(slots.try_acquire(a).err(), Some(Full::Session(2)));
        let _b1 = slots.try_acquire(b).expect("b has its own share");
        assert_eq!(slots.try_acquire(b).err(), Some(Full::Process(3)));
        assert_eq!(slots.in_use(a), (3, 2));
        drop(a1);
        assert_eq!(slots.in_use(a), (2, 1));
        assert!(slots.try_acquire(b).is_ok(), "a freed slot is reusable");
    }
}
