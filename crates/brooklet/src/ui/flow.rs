//! Controlling the flow of runs: `rerun`, `stop`, query parameters, forms
//! and fragments.

use std::panic::Location;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::id::IdBuilder;
use super::{AppError, Drawn, Target, Ui, Widget};
use crate::protocol::Element;
use crate::run::{throw, Signal};
use crate::store::QueryParams;

impl Ui {
    /// End this run now and rerun the whole app (for example after changing
    /// session state that something above already drew). In an `on_change`
    /// or `on_click` callback it reruns the app once; the callback is not
    /// called again for the same change.
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     let n: u32 = ui.state().get("n").unwrap_or(0);
    ///     ui.text(format!("n = {n}"));
    ///     if n < 3 {
    ///         ui.state().set("n", n + 1);
    ///         ui.rerun(); // the text above shows the new value next run
    ///     }
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert_eq!(at.text(), vec!["n = 3"]);
    /// ```
    pub fn rerun(&self) -> ! {
        // On the thread running this `Ui`'s run (its script thread or one of
        // its workers), the unwind reaches the driver or the worker, which
        // asks the session for the rerun. Anywhere else nobody would catch
        // it: ask here, and end the calling code as a cancelled run would.
        let caught_here = crate::run::on_owned_thread()
            && Ui::current().is_ok_and(|bound| Arc::ptr_eq(bound.run(), self.run()));
        if !caught_here {
            if let Some(session) = self.session() {
                session.request_rerun();
            }
            throw(Signal::Cancelled)
        }
        self.checkpoint();
        throw(Signal::Rerun)
    }

    /// End this run now, as if the app function had returned here: what it
    /// drew so far stays, what it drew in the previous run after this point
    /// goes.
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     let name = ui.text_input("Name");
    ///     if name.is_empty() {
    ///         ui.warning("Please enter a name.");
    ///         ui.stop();
    ///     }
    ///     ui.success(format!("Hello, {name}"));
    /// }
    /// ```
    pub fn stop(&self) -> ! {
        throw(Signal::Stop)
    }

    /// The page's query parameters (`?city=Oslo`), readable and writable;
    /// changes show in the browser's address bar.
    pub fn query_params(&self) -> QueryParams {
        match self.session() {
            Some(session) => session.query_params(),
            None => QueryParams::new(Arc::default(), std::sync::Weak::new()),
        }
    }

    /// A form: widgets inside it keep their changes in the browser until the
    /// form's submit button is pressed, then the app reruns once with all of
    /// them. See [`Form`] for options.
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     ui.form("profile", |form| {
    ///         let name = form.text_input("Name");
    ///         let age = form.slider("Age", 0..=120);
    ///         if form.form_submit_button("Save") {
    ///             form.success(format!("Saved {name}, {age}"));
    ///         }
    ///     });
    /// }
    /// ```
    pub fn form<R>(&self, key: &str, body: impl FnOnce(&Ui) -> R) -> R {
        Form::new(key).show(self, body)
    }

    /// The submit button of the form this `Ui` is in: true in the run that
    /// its press started. Outside a form it is an error shown in the page.
    pub fn form_submit_button(&self, label: impl Into<String>) -> bool {
        self.add(crate::ui::widgets::FormSubmit::new(label))
    }

    /// A fragment: `body` draws a part of the page that reruns on its own.
    /// A widget inside it reruns only the fragment (the rest of the app does
    /// not run); see [`Fragment`] for timers.
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     ui.text("drawn by full runs only");
    ///     ui.fragment(|ui| {
    ///         if ui.button("Roll").clicked() {
    ///             ui.text("rolled, without rerunning the app");
    ///         }
    ///     });
    /// }
    /// ```
    #[track_caller]
    pub fn fragment<R>(&self, body: impl Fn(&Ui) -> R + Send + Sync + 'static) -> Drawn {
        self.add(Fragment::new(body))
    }

    /// The form context of this `Ui`, if it draws inside a form.
    pub(crate) fn form_context(&self) -> Option<&Arc<FormContext>> {
        self.form.as_ref()
    }
}

/// What widgets inside a form need to know about it.
#[derive(Debug)]
pub(crate) struct FormContext {
    /// The form's id.
    pub(crate) id: String,
    /// The user's key.
    pub(crate) key: String,
    /// This run was started by this form's submit button.
    pub(crate) submitted: bool,
    /// Reset the form's widgets to their defaults after a submit.
    pub(crate) clear_on_submit: bool,
    /// Whether the body drew a submit button.
    pub(crate) has_submit: AtomicBool,
}

/// A form with options; the short form is [`Ui::form`]. Widgets inside a
/// form keep their changes in the browser until its submit button
/// ([`Ui::form_submit_button`], or [`FormSubmit`](crate::ui::widgets::FormSubmit)
/// for its options) is pressed; then the app reruns once with all of them.
///
/// Options: [`clear_on_submit`](Form::clear_on_submit) (reset its widgets
/// after each submit), [`border`](Form::border) (default true); then draw
/// it with [`show`](Form::show).
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::ui::flow::Form;
/// fn app(ui: &Ui) {
///     Form::new("note").clear_on_submit(true).border(false).show(ui, |form| {
///         let note = form.text_area("Note");
///         if form.form_submit_button("Add") {
///             ui.state().update("notes", Vec::<String>::new, |notes| notes.push(note));
///         }
///     });
/// }
/// ```
#[derive(Debug, Clone)]
#[must_use = "draw it with `.show(ui, |form| ..)`"]
pub struct Form {
    key: String,
    clear_on_submit: bool,
    border: bool,
}

impl Form {
    /// A form identified by `key`.
    pub fn new(key: impl Into<String>) -> Form {
        Form {
            key: key.into(),
            clear_on_submit: false,
            border: true,
        }
    }

    /// Reset the form's widgets to their defaults after each submit (the run
    /// of the submit still sees the submitted values).
    pub fn clear_on_submit(mut self, clear: bool) -> Form {
        self.clear_on_submit = clear;
        self
    }

    /// Draw a border around it (default true).
    pub fn border(mut self, border: bool) -> Form {
        self.border = border;
        self
    }

    /// Draw the form into `ui`, with `body` drawing its contents.
    pub fn show<R>(self, ui: &Ui, body: impl FnOnce(&Ui) -> R) -> R {
        if let Some(outer) = ui.form_context() {
            ui.show_error(&AppError::message(format!(
                "Forms cannot be nested: form `{}` is inside form `{}`. Move it out of the outer form.",
                self.key, outer.key
            )));
            return body(ui);
        }
        let id = IdBuilder::new("form", Some(&self.key)).finish();
        let submitted = match ui.session() {
            Some(session) => ui.run().with_trigger(|trigger| match trigger {
                Some(trigger) if !trigger.consumed => session.with_widgets(|widgets| {
                    widgets.form_of_submit(&trigger.id) == Some(id.as_str())
                }),
                _ => false,
            }),
            None => false,
        };
        let mut block = ui.draw_block(Element::Form {
            id: id.clone(),
            border: self.border,
        });
        let context = Arc::new(FormContext {
            id,
            key: self.key.clone(),
            submitted,
            clear_on_submit: self.clear_on_submit,
            has_submit: AtomicBool::new(false),
        });
        block.form = Some(context.clone());
        let result = body(&block);
        if !context.has_submit.load(Ordering::Relaxed) {
            block.show_error(&AppError::message(format!(
                "Form `{}` has no submit button: its changes can never be sent. \
                 Add `form.form_submit_button(\"Submit\")` inside it.",
                self.key
            )));
        }
        result
    }
}

/// A fragment with options; the short form is [`Ui::fragment`]. A fragment
/// is a part of the page that reruns on its own: a widget inside it reruns
/// only its closure.
///
/// Options: [`run_every`](Fragment::run_every) (rerun it on a timer),
/// [`key`](Fragment::key) (identify it by a key instead of its place in the
/// source, when one place makes several).
///
/// ```
/// use std::time::Duration;
/// use brooklet::prelude::*;
/// use brooklet::ui::flow::Fragment;
///
/// fn app(ui: &Ui) {
///     ui.add(Fragment::new(|ui| ui.text(format!("{:?}", std::time::SystemTime::now())))
///         .run_every(Duration::from_secs(1)));
///     // One place in the source, two fragments: a key tells them apart.
///     for name in ["left", "right"] {
///         ui.add(Fragment::new(move |ui| ui.text(format!("{name} part"))).key(name));
///     }
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.elements().iter().filter(|el| el.kind() == "fragment").count(), 3);
/// # assert!(at.exceptions().is_empty());
/// ```
#[must_use = "add it with `ui.add(..)`"]
pub struct Fragment {
    body: Arc<dyn Fn(&Ui) + Send + Sync + 'static>,
    every: Option<Duration>,
    key: Option<String>,
    location: &'static Location<'static>,
}

impl std::fmt::Debug for Fragment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fragment")
            .field("every", &self.every)
            .field("key", &self.key)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl Fragment {
    /// A fragment drawn by `body`, identified by where in the source it is
    /// created (give a [`Fragment::key`] when one place creates several).
    #[track_caller]
    pub fn new<R>(body: impl Fn(&Ui) -> R + Send + Sync + 'static) -> Fragment {
        Fragment {
            body: Arc::new(move |ui: &Ui| {
                body(ui);
            }),
            every: None,
            key: None,
            location: Location::caller(),
        }
    }

    /// Rerun the fragment every `interval` on its own (a clock, a live
    /// chart). The server drives the timer; it pauses while the tab is
    /// disconnected and stops when a full run no longer draws the fragment.
    pub fn run_every(mut self, interval: Duration) -> Fragment {
        self.every = Some(interval.max(Duration::from_millis(10)));
        self
    }

    /// Identify the fragment by `key` instead of its place in the source.
    pub fn key(mut self, key: impl Into<String>) -> Fragment {
        self.key = Some(key.into());
        self
    }
}

impl Widget for Fragment {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let Some(session) = ui.session() else {
            return Drawn::from(None);
        };
        let place = format!(
            "{}:{}:{}",
            self.location.file(),
            self.location.line(),
            self.location.column()
        );
        let id = IdBuilder::new("fragment", self.key.as_deref())
            .with(&place)
            .finish();
        if !ui.claim_widget_id(&id, "fragment", &place) {
            return Drawn::from(None);
        }
        let Some(path) = ui.draw(Element::Fragment { id: id.clone() }) else {
            return Drawn::from(None);
        };
        let run = ui.run();
        let full_run = run.fragment_id().is_none().then_some(run.id());
        let body: crate::ui::FragmentFn = self.body.clone();
        session.with_fragments(|fragments| {
            fragments.register(&id, body, path.clone(), self.every, full_run)
        });
        let block = ui.at(Target::Append(Arc::from(path.clone())));
        (self.body)(&block);
        Drawn::from(Some(path))
    }
}
