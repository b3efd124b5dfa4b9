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
//! Lock order (a thread holding a lock on the left may take one on its
//! right, never the reverse; see `docs/architecture.md`):
//!
//! ```text
//! session control → run bookkeeping → widget store / fragments → page (outbox) → waker
//! ```
//!
//! Session state, query parameters, caches, the payload store, worker slots
//! and the pool are leaves: nothing else is taken while one of them is held.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Lock `mutex`, recovering the data of a poisoned lock (see the module docs).
pub(crate) fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Wait on `condvar` for at most `timeout`, recovering a poisoned lock.
pub(crate) fn wait_timeout<'a, T>(
    condvar: &Condvar,
    guard: MutexGuard<'a, T>,
    timeout: Duration,
) -> MutexGuard<'a, T> {
    condvar
        .wait_timeout(guard, timeout)
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .0
}
