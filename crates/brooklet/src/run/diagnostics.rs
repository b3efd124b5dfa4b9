//! Errors the page shows, and where code without a `Ui` reports them.
//!
//! Every in-page error goes through one helper, `Ui::show_error`, which
//! logs the [`AppError`] in full ([`AppError::log`]) and draws the element
//! built by [`AppError::element`], as detailed as `client.show_error_details`
//! allows. Code below the `Ui` layer (session state, for one) has no `Ui` to
//! draw with: it calls [`report`], which hands the error to the *sink* bound
//! to the current thread (the run's `Ui`, bound by the driver and by
//! workers), or only logs it when no run is bound.

use std::cell::RefCell;
use std::rc::Rc;

use crate::config::ErrorDetails;
use crate::protocol::Element;

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

    /// A message about the app's call at `location` (the line that drew a
    /// chart or a picture the server could not make).
    pub(crate) fn located(
        message: impl Into<String>,
        location: &std::panic::Location<'_>,
    ) -> AppError {
        AppError {
            message: message.into(),
            location: Some(location.to_string()),
            detail: None,
        }
    }

    /// The element that shows it, with as much detail as `details` allows.
    pub(crate) fn element(&self, details: ErrorDetails) -> Element {
        let full = details == ErrorDetails::Full;
        Element::Exception {
            message: match details {
                ErrorDetails::None => HIDDEN_ERROR.to_owned(),
                _ => self.message.clone(),
            },
            location: self.location.clone().filter(|_| full),
            detail: self.detail.clone().filter(|_| full),
        }
    }
}

impl AppError {
    /// Log the error in full on the server, under the session's tag (never
    /// its id): the page may show less (see `client.show_error_details`).
    pub(crate) fn log(&self, session: &dyn std::fmt::Display) {
        let detail = self.detail.as_deref().unwrap_or("");
        tracing::error!(
            session = %session,
            location = self.location.as_deref().unwrap_or("-"),
            "{}{}{}",
            self.message,
            if detail.is_empty() { "" } else { "\n" },
            detail
        );
    }
}

/// Where errors reported with [`report`] go: implemented by the `Ui` layer.
pub(crate) trait DiagnosticsSink {
    /// Show `error` in the page (and log it).
    fn report(&self, error: &AppError);
}

thread_local! {
    static SINK: RefCell<Option<Rc<dyn DiagnosticsSink>>> = const { RefCell::new(None) };
}

/// Binds a sink to the current thread, restoring the previous binding when
/// dropped.
pub(crate) struct SinkGuard {
    previous: Option<Rc<dyn DiagnosticsSink>>,
}

impl SinkGuard {
    /// Send this thread's [`report`]s to `sink` until the guard is dropped.
    pub(crate) fn bind(sink: Rc<dyn DiagnosticsSink>) -> SinkGuard {
        let previous = SINK.with(|s| s.replace(Some(sink)));
        SinkGuard { previous }
    }
}

impl Drop for SinkGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        SINK.with(|s| *s.borrow_mut() = previous);
    }
}

/// Report `error` to the sink bound to this thread (the page of the run in
/// progress), or log it when none is bound.
pub(crate) fn report(error: AppError) {
    // Clone the sink out so that no borrow is held while it draws.
    match SINK.with(|s| s.borrow().clone()) {
        Some(sink) => sink.report(&error),
        None => error.log(&"-"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    struct Collect(RefCell<Vec<String>>);

    impl DiagnosticsSink for Collect {
        fn report(&self, error: &AppError) {
            self.0.borrow_mut().push(error.message.clone());
        }
    }

    #[test]
    fn reports_reach_the_bound_sink_until_the_guard_drops() {
        let sink = Rc::new(Collect(RefCell::new(Vec::new())));
        {
            let _bound = SinkGuard::bind(sink.clone());
            report(AppError::message("one"));
        }
        report(AppError::message("logged only"));
        assert_eq!(*sink.0.borrow(), vec!["one".to_owned()]);
    }

    #[test]
    fn the_element_shows_only_what_the_setting_allows() {
        let error = AppError {
            message: "boom".into(),
            location: Some("app.rs:1:1".into()),
            detail: Some("trace".into()),
        };
        let Element::Exception {
            message,
            location,
            detail,
        } = error.element(ErrorDetails::Message)
        else {
            panic!("an exception element");
        };
        assert_eq!((message.as_str(), location, detail), ("boom", None, None));
        let Element::Exception { message, .. } = error.element(ErrorDetails::None) else {
            panic!("an exception element");
        };
        assert_eq!(message, HIDDEN_ERROR);
        assert!(matches!(
            error.element(ErrorDetails::Full),
            Element::Exception {
                location: Some(_),
                detail: Some(_),
                ..
            }
        ));
    }
}
