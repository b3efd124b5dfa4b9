//! Turning a panic in app code into something the page can show.
//!
//! `catch_unwind` hands back only the payload; the source location is known
//! to the panic hook alone. So Brooklet installs one process-wide hook that,
//! on threads currently inside [`capture_panic`], records message and
//! location in a thread-local instead of printing, and defers to the previous
//! hook everywhere else. Cancellation unwinds with `resume_unwind`, which
//! skips the hook entirely, so it is never reported as a panic.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::protocol::Element;

/// The payload a cancelled run unwinds with.
#[derive(Debug)]
pub(crate) struct Cancelled;

/// The payload `ui.stop()` unwinds with: the run ends as if complete.
#[derive(Debug)]
pub(crate) struct StopRun;

/// How app code unwound.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Unwind {
    /// A real panic.
    Panic(AppError),
    /// The run was cancelled (checkpoint).
    Cancelled,
    /// `ui.stop()`.
    Stop,
}

/// An error Brooklet shows in the page: a panic in app code (with its
/// location and, under `RUST_BACKTRACE`, backtrace), or a mistake Brooklet
/// detected (a duplicate widget, a form without a submit button, …).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AppError {
    pub(crate) message: String,
    /// `file:line:column`, when known.
    pub(crate) location: Option<String>,
    /// Error source chain or backtrace, when known.
    pub(crate) detail: Option<String>,
}

/// What the page shows instead of an error under `show_error_details = none`.
pub(crate) const HIDDEN_ERROR: &str =
    "This app has encountered an error. The details are in the server's log.";

impl AppError {
    /// An error that is only a message.
    pub(crate) fn message(message: impl Into<String>) -> AppError {
        AppError {
            message: message.into(),
            location: None,
            detail: None,
        }
    }

    /// The element that shows it, with as much detail as `details` allows.
    pub(crate) fn element(&self, details: crate::ErrorDetails) -> Element {
        let full = details == crate::ErrorDetails::Full;
        Element::Exception {
            message: match details {
                crate::ErrorDetails::None => HIDDEN_ERROR.to_string(),
                _ => self.message.clone(),
            },
            location: self.location.clone().filter(|_| full),
            detail: self.detail.clone().filter(|_| full),
        }
    }
}

thread_local! {
    /// Depth of `capture_panic` calls on this thread.
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
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "the app panicked with a non-text payload".to_string()
    }
}

/// Run `f`, telling a panic (with its report) from Brooklet's own unwinds.
pub(crate) fn capture_panic<R>(f: impl FnOnce() -> R) -> Result<R, Unwind> {
    install_hook();
    // A report left by a panic that app code caught itself must not be
    // mistaken for this one.
    LAST.with(|last| last.borrow_mut().take());
    CAPTURING.with(|c| c.set(c.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        if payload.is::<Cancelled>() {
            return Unwind::Cancelled;
        }
        if payload.is::<StopRun>() {
            return Unwind::Stop;
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
        let Err(Unwind::Panic(report)) = capture_panic(|| panic!("boom {}", 7)) else {
            panic!("expected a panic report");
        };
        assert_eq!(report.message, "boom 7");
        let location = report.location.expect("location");
        assert!(location.contains("panic.rs"), "{location}");
    }

    #[test]
    fn brooklets_own_unwinds_are_not_panics() {
        let cancelled = capture_panic(|| panic::resume_unwind(Box::new(Cancelled)));
        assert_eq!(cancelled, Err(Unwind::Cancelled));
        let stopped = capture_panic(|| panic::resume_unwind(Box::new(StopRun)));
        assert_eq!(stopped, Err(Unwind::Stop));
        assert_eq!(capture_panic(|| 5), Ok(5));
    }
}
