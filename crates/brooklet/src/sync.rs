//! The one place that decides what a poisoned lock means.
//!
//! A `std::sync::Mutex` is *poisoned* when a thread panicked while holding
//! it. Brooklet never runs app code while holding one of its own locks, and
//! every critical section leaves its data consistent before anything that
//! can panic, so a poisoned lock holds valid data: it is recovered, not
//! propagated. Every lock in the crate is taken through [`lock`] (and every
//! condition-variable wait through [`wait_timeout`]), so that rule lives
//! here once.
//!
//! Lock order: a thread holding a lock may take only locks further down
//! this list, never one further up (the complete list, with who takes which,
//! is in `docs/architecture.md`):
//!
//! 1. the server's session registry (`server/sessions.rs`);
//! 2. a session's control, the rerun state machine (`session/mod.rs`);
//! 3. a run's press (`Run::with_trigger`);
//! 4. a session's widget store or its fragments (`SessionContext::with_widgets`,
//!    `with_fragments`; never both at once);
//! 5. a session's state (`SessionState`);
//! 6. a session's page (`Outbox::with_page`), then its waker.
//!
//! Leaves, under which nothing else is taken: what a run drew
//! (`Run::with_drawn`), a run's worker count, query parameters, the payload
//! store, what a page shows of it (`shown_payloads`, released before the
//! store is taken), the frame registry, a frame's caches (sort orders, views, widths;
//! computed outside the lock), a session's window queue, worker slots, the
//! script pool, the cache registry and a worker's result slot.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Lock `mutex`, recovering the data of a poisoned lock (see the module docs).
pub(crate) fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Wait on `condvar` for at most `timeout`, recovering a poisoned lock;
/// returns the guard and whether the wait timed out.
pub(crate) fn wait_timeout<'a, T>(
    condvar: &Condvar,
    guard: MutexGuard<'a, T>,
    timeout: Duration,
) -> (MutexGuard<'a, T>, bool) {
    let (guard, result) = condvar
        .wait_timeout(guard, timeout)
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    (guard, result.timed_out())
}
