//! Alerts and errors: success, info, warning, error and exceptions.

use crate::config::ErrorDetails;
use crate::protocol::{AlertLevel, Element};
use crate::run::AppError;
use crate::ui::markdown;
use crate::ui::{Drawn, Ui};

impl Ui {
    /// A green success box (markdown).
    pub fn success(&self, text: impl Into<String>) -> Drawn {
        self.alert(AlertLevel::Success, text.into())
    }

    /// A blue info box (markdown).
    pub fn info(&self, text: impl Into<String>) -> Drawn {
        self.alert(AlertLevel::Info, text.into())
    }

    /// A yellow warning box (markdown).
    pub fn warning(&self, text: impl Into<String>) -> Drawn {
        self.alert(AlertLevel::Warning, text.into())
    }

    /// A red error box (markdown).
    pub fn error(&self, text: impl Into<String>) -> Drawn {
        self.alert(AlertLevel::Error, text.into())
    }

    fn alert(&self, level: AlertLevel, text: String) -> Drawn {
        let html = markdown::to_html(&text, false);
        self.draw(Element::Alert { level, text, html }).into()
    }

    /// An error value with its chain of sources. The app chose to show it,
    /// so it is shown in full whatever `client.show_error_details` says, and
    /// not logged.
    ///
    /// ```
    /// # use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     if let Err(error) = "x".parse::<i32>() {
    ///         ui.exception(&error);
    ///     }
    /// }
    /// ```
    pub fn exception(&self, error: &(dyn std::error::Error + 'static)) -> Drawn {
        let mut chain = Vec::new();
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push(format!("caused by: {cause}"));
            source = cause.source();
        }
        // Built like every error element (`AppError::element`), but shown
        // in full and not logged: the app chose to show this error.
        let error = AppError {
            message: error.to_string(),
            location: None,
            detail: (!chain.is_empty()).then(|| chain.join("\n")),
        };
        self.draw(error.element(ErrorDetails::Full)).into()
    }
}
