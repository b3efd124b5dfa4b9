//! Buttons: a push button and a form's submit button (trigger widgets:
//! `true` for exactly one run per press).

use super::{into_callback, Common};
use crate::protocol::{Element, WidgetKind};
use crate::ui::id::IdBuilder;
use crate::ui::{Clicked, SessionContext, Ui, Widget};

impl Ui {
    /// A button; `.clicked()` is true for exactly one run per press.
    pub fn button(&self, label: impl Into<String>) -> Clicked {
        self.add(Button::new(label))
    }
}

/// A push button: `.clicked()` is true in exactly one run per press.
///
/// Options: [`primary`](Button::primary), [`on_click`](Button::on_click)
/// (runs before the rerun the press starts), and those of every widget:
/// `key`, `help`, `disabled`. A button that only reruns the app is written
/// `let _ = ui.button("Rerun");`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let save = Button::new("Save").primary(true).help("Writes the file");
///     if ui.add(save).clicked() {
///         ui.success("Saved");
///     }
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # at.button("Save").click().run().unwrap();
/// # assert_eq!(at.texts("alert"), vec!["Saved"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Button {
    common: Common,
    primary: bool,
}

impl Button {
    /// A button labelled `label`.
    pub fn new(label: impl Into<String>) -> Button {
        Button {
            common: Common::new(label),
            primary: false,
        }
    }
    /// Draw it as the primary action.
    pub fn primary(mut self, primary: bool) -> Button {
        self.primary = primary;
        self
    }
}

impl Button {
    /// Run `callback` when the button is pressed, before the rest of the
    /// rerun it triggers (with the same `Ui`, so it can use session state).
    pub fn on_click<R>(mut self, callback: impl Fn(&Ui) -> R + Send + Sync + 'static) -> Button {
        self.common.callback = Some(into_callback(callback));
        self
    }
}

impl Widget for Button {
    type Output = Clicked;
    fn add_to(self, ui: &Ui) -> Clicked {
        let Some(session) = ui.session() else {
            return Clicked(false);
        };
        let Button { common, primary } = self;
        if let Some(form) = ui.form_context() {
            ui.report(format!(
                "`button` cannot be used inside form `{}`: a form's changes are sent by its submit \
                 button. Use `form.form_submit_button(\"{}\")`, or move the button out of the form.",
                form.key, common.label
            ));
            return Clicked(false);
        }
        let id = common.id(WidgetKind::Button).finish();
        if !ui.claim_widget_id(&id, WidgetKind::Button.name(), &common.label) {
            return Clicked(false);
        }
        session.with_widgets(|widgets| widgets.set_callback(&id, common.callback.clone()));
        let disabled = common.disabled;
        let element = Element::Button {
            base: common.into_base(id.clone()),
            primary,
        };
        Clicked(draw_trigger(ui, &session, &id, element, disabled))
    }
}

/// Draw a trigger widget (button, submit button), then take its press.
/// The press is taken after the draw (a checkpoint): once taken, it counts
/// as delivered.
pub(super) fn draw_trigger(
    ui: &Ui,
    session: &SessionContext,
    id: &str,
    element: Element,
    disabled: bool,
) -> bool {
    // From now on the page has this button: presses of it are accepted.
    session.with_widgets(|widgets| widgets.register_trigger(id, disabled));
    ui.draw(element);
    take_press(ui, id) && !disabled
}

/// Whether this run's button press is for `id`; the press is used up.
fn take_press(ui: &Ui, id: &str) -> bool {
    ui.run().with_trigger(|trigger| match trigger {
        Some(t) if t.id == id && !t.consumed => {
            t.consumed = true;
            true
        }
        _ => false,
    })
}

/// The submit button of a form; see [`Ui::form`].
///
/// Options: [`primary`](FormSubmit::primary) (default true),
/// [`on_click`](FormSubmit::on_click), and `key`, `help`, `disabled`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     ui.form("search", |form| {
///         let query = form.text_input("Query");
///         if form.add(FormSubmit::new("Search").help("Sends the form")) {
///             form.text(format!("searching for {query}"));
///         }
///     });
/// }
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct FormSubmit {
    common: Common,
    primary: bool,
}

impl FormSubmit {
    /// A submit button labelled `label`.
    pub fn new(label: impl Into<String>) -> FormSubmit {
        FormSubmit {
            common: Common::new(label),
            primary: true,
        }
    }
    /// Draw it as the primary action (default true).
    pub fn primary(mut self, primary: bool) -> FormSubmit {
        self.primary = primary;
        self
    }
    /// Run `callback` when the form is submitted, before the rest of the
    /// rerun (the form's new values are already in place).
    pub fn on_click<R>(
        mut self,
        callback: impl Fn(&Ui) -> R + Send + Sync + 'static,
    ) -> FormSubmit {
        self.common.callback = Some(into_callback(callback));
        self
    }
}

impl Widget for FormSubmit {
    type Output = bool;
    fn add_to(self, ui: &Ui) -> bool {
        let Some(session) = ui.session() else {
            return false;
        };
        let FormSubmit { common, primary } = self;
        let Some(form) = ui.form_context().cloned() else {
            ui.report(format!(
                "`form_submit_button(\"{}\")` must be inside a form: draw it with the `Ui` that \
                 `ui.form(\"key\", |form| ..)` hands you.",
                common.label
            ));
            return false;
        };
        form.has_submit
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let id = IdBuilder::new(WidgetKind::FormSubmit.name(), common.key.as_deref())
            .with(&form.id)
            .with(&common.label)
            .finish();
        if !ui.claim_widget_id(&id, WidgetKind::FormSubmit.name(), &common.label) {
            return false;
        }
        session.with_widgets(|widgets| {
            widgets.set_callback(&id, common.callback.clone());
            widgets.set_submit_form(&id, &form.id);
        });
        let disabled = common.disabled;
        let element = Element::FormSubmit {
            base: common.into_base(id.clone()),
            primary,
        };
        draw_trigger(ui, &session, &id, element, disabled)
    }
}

common_options!(FormSubmit, Button);
