//! Unwinding out of app code: Brooklet's own signals, and panics.
//!
//! A run ends early in four ways, and all four unwind the app's stack:
//! cancellation (a newer run superseded it), `ui.stop()`, `ui.rerun()` and a
//! panic. The first three are Brooklet's [`Signal`]s, thrown with
//! `resume_unwind`, which skips the panic hook, so they are never reported as
//! panics. [`catch`] tells them apart; whoever drives a run (the session's
//! driver, a worker) decides what each means.
//!
//! `catch_unwind` hands back only the payload; the source location of a real
//! panic is known to the panic hook alone. So Brooklet installs one
//! process-wide hook that, on threads currently inside [`catch`], records
//! message and location in a thread-local instead of printing, and defers to
//! the previous hook everywhere else.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use super::AppError;

/// Brooklet's own reasons to unwind out of app code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// The run was cancelled: a checkpoint found a newer run (or a stop).
    Cancelled,
    /// `ui.stop()`: the run ends as if the app function had returned.
    Stop,
    /// `ui.rerun()`: the run ends and the whole app runs again.
    Rerun,
}

/// How app code unwound.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Unwind {
    /// A real panic.
    Panic(AppError),
    /// The run was cancelled (checkpoint).
    Cancelled,
    /// `ui.stop()`.
    Stop,
    /// `ui.rerun()`.
    Rerun,
}

/// Unwind out of app code with `signal`; [`catch`] turns it back into an
/// [`Unwind`]. No panic hook runs and nothing is printed.
pub(crate) fn throw(signal: Signal) -> ! {
    panic::resume_unwind(Box::new(signal))
}

/// End the run with `error` as if the app had panicked, but with the
/// location Brooklet chose (the caller's line, from `#[track_caller]`)
/// instead of a line of Brooklet's source: for mistakes in app code that a
/// widget cannot recover from (it must return a value it does not have).
pub(crate) fn fail(error: AppError) -> ! {
    panic::resume_unwind(Box::new(error))
}

thread_local! {
    /// Depth of `catch` calls on this thread.
    static CAPTURING: Cell<u32> = const { Cell::new(0) };
    /// What the hook saw for the last panic on this thread.
    static LAST: RefCell<Option<AppError>> = const { RefCell::new(None) };
}

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) == 0 {
                previous(info);
                return;
            }
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            let backtrace = std::backtrace::Backtrace::capture();
            let backtrace = match backtrace.status() {
                std::backtrace::BacktraceStatus::Captured => Some(backtrace.to_string()),
                _ => None,
            };
            let report = AppError {
                message: payload_message(info.payload()),
                location,
                detail: backtrace,
            };
            LAST.with(|last| *last.borrow_mut() = Some(report));
        }));
    });
}

/// The text of a panic payload (`&str` or `String`), or a placeholder.
pub(crate) fn payload_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "the app panicked with a non-text payload".to_owned()
    }
}

/// Run `f`, telling a panic (with its report) from Brooklet's own signals.
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Unwind> {
    install_hook();
    // A report left by a panic that app code caught itself must not be
    // mistaken for this one.
    LAST.with(|last| last.borrow_mut().take());
    CAPTURING.with(|c| c.set(c.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        let payload = match payload.downcast::<AppError>() {
            Ok(error) => return Unwind::Panic(*error),
            Err(payload) => payload,
        };
        if let Some(signal) = payload.downcast_ref::<Signal>() {
            return match signal {
                Signal::Cancelled => Unwind::Cancelled,
                Signal::Stop => Unwind::Stop,
                Signal::Rerun => Unwind::Rerun,
            };
        }
        let recorded = LAST.with(|last| last.borrow_mut().take());
        Unwind::Panic(
            recorded.unwrap_or_else(|| AppError::message(payload_message(payload.as_ref()))),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_are_captured_with_location() {
        let Err(Unwind::Panic(report)) = catch(|| panic!("boom {}", 7)) else {
            panic!("expected a panic report");
        };
        assert_eq!(report.message, "boom 7");
        let location = report.location.expect("location");
        assert!(location.contains("unwind.rs"), "{location}");
    }

    #[test]
    fn brooklets_own_unwinds_are_not_panics() {
        assert_eq!(catch(|| throw(Signal::Cancelled)), Err(Unwind::Cancelled));
        assert_eq!(catch(|| throw(Signal::Stop)), Err(Unwind::Stop));
        assert_eq!(catch(|| throw(Signal::Rerun)), Err(Unwind::Rerun));
        assert_eq!(catch(|| 5), Ok(5));
    }
}
