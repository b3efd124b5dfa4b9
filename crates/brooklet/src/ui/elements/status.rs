//! Status elements: progress bars, spinners and one-element slots.

use crate::protocol::Element;
use crate::ui::Ui;

impl Ui {
    /// A progress bar at `value` (0.0 to 1.0); update it through the handle.
    /// Rapid updates are coalesced before they are sent.
    ///
    /// ```
    /// # use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     let bar = ui.progress(0.0);
    ///     for i in 1..=100 {
    ///         bar.set_text(i as f64 / 100.0, format!("{i}%"));
    ///     }
    /// }
    /// ```
    pub fn progress(&self, value: f64) -> Progress {
        let slot = self.draw_slot(Element::Progress {
            value: clamp01(value),
            text: None,
        });
        Progress { slot }
    }

    /// Show a spinner with `text` while `work` runs, then remove it.
    pub fn spinner<R>(&self, text: impl Into<String>, work: impl FnOnce() -> R) -> R {
        let slot = self.draw_slot(Element::Spinner { text: text.into() });
        let result = work();
        slot.draw(Element::Empty);
        result
    }

    /// A one-element slot: each element drawn into the returned `Ui` replaces
    /// the previous one. Draw `empty()` into it to clear it.
    ///
    /// ```
    /// # use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     let status = ui.empty();
    ///     status.text("working…");
    ///     status.success("done"); // replaces "working…"
    /// }
    /// ```
    pub fn empty(&self) -> Ui {
        self.draw_slot(Element::Empty)
    }
}

fn clamp01(value: f64) -> f64 {
    if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 1.0)
    }
}

/// A progress bar drawn by [`Ui::progress`]: not a builder but a handle,
/// to move the bar while the run goes on (also from another thread; rapid
/// updates are coalesced).
///
/// Methods: [`set`](Progress::set) (move it, 0.0 to 1.0),
/// [`set_text`](Progress::set_text) (move it and set the text above it),
/// [`clear`](Progress::clear) (remove it).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     let bar = ui.progress(0.0);
///     for step in 1..=4 {
///         // … a quarter of the work …
///         bar.set_text(f64::from(step) / 4.0, format!("Step {step} of 4"));
///     }
///     bar.clear();
///     ui.success("Done.");
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert!(at.elements().iter().all(|el| el.kind() != "progress"));
/// ```
#[derive(Debug, Clone)]
pub struct Progress {
    slot: Ui,
}

impl Progress {
    /// Move the bar to `value` (0.0 to 1.0).
    pub fn set(&self, value: f64) {
        self.slot.draw(Element::Progress {
            value: clamp01(value),
            text: None,
        });
    }

    /// Move the bar and set its text.
    pub fn set_text(&self, value: f64, text: impl Into<String>) {
        self.slot.draw(Element::Progress {
            value: clamp01(value),
            text: Some(text.into()),
        });
    }

    /// Remove the bar.
    pub fn clear(&self) {
        self.slot.draw(Element::Empty);
    }
}
