//! The [`Ui`] handle the app draws with.
//!
//! A `Ui` is the handle of one run at one place in the page: the main area, the
//! sidebar, a container, a column, an `empty()` slot. It is cheap to clone and
//! `Send + Sync`, so it can go to other threads. Every call on it is a
//! *checkpoint*: if a newer run has superseded this one, the call unwinds out
//! of the app code (the runner catches it); if the run has already ended, the
//! call writes nothing.
//!
//! Elements are drawn by methods (`ui.title(..)`, `ui.markdown(..)`), widgets
//! return their value typed (`ui.checkbox("On")` is a `bool`). Options are
//! builder methods on the element's type, added with [`Ui::add`]:
//!
//! ```
//! use brooklet::prelude::*;
//!
//! fn app(ui: &Ui) {
//!     let n = ui.slider("How many", 1..=10);                    // i32
//!     let name = ui.add(TextInput::new("Name").value("world")); // String
//!     ui.add(Markdown::new(format!("{n} × hello, *{name}*")));
//! }
//! ```

pub mod elements;
pub mod flow;
mod id;
pub mod layout;
mod markdown;
pub mod widgets;

use std::cell::RefCell;
use std::sync::Arc;

use crate::protocol::{Element, Path, ROOT_MAIN, ROOT_SIDEBAR};
pub(crate) use crate::runner::AppError;
use crate::runner::{Access, Run};
use crate::session::{Session, SessionState};
use crate::Error;

/// Something that can be added to a [`Ui`]: an element or widget with its
/// options. `Output` is what the app gets back (a widget's value, a block's
/// `Ui`, or `()`).
pub trait Widget {
    /// What [`Ui::add`] returns.
    type Output;
    /// Draw `self` into `ui`.
    fn add_to(self, ui: &Ui) -> Self::Output;
}

/// Where a `Ui` draws: appended to a block, or into a single slot.
#[derive(Clone, Debug)]
enum Target {
    /// Each element is appended to the block at this path.
    Append(Arc<[u32]>),
    /// Each element replaces the one at this path (`ui.empty()`).
    Slot(Arc<[u32]>),
}

/// The handle of one run of the app at one place in the page.
///
/// See the [module documentation](self) for how it is used.
#[derive(Clone)]
pub struct Ui {
    run: Arc<Run>,
    target: Target,
    /// The form this `Ui` draws in, if any.
    form: Option<Arc<flow::FormContext>>,
}

impl std::fmt::Debug for Ui {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ui")
            .field("run", &self.run.id)
            .field("target", &self.target)
            .finish()
    }
}

/// The result of a button: whether it was pressed for this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a button does nothing unless you check `.clicked()`"]
pub struct Clicked(pub(crate) bool);

impl Clicked {
    /// Whether the button was pressed (true for exactly one run per press).
    pub fn clicked(self) -> bool {
        self.0
    }
}

/// What drawing an element did. Most apps ignore it; code that may hold a
/// `Ui` past its run can check it.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     assert!(ui.text("hello").result().is_ok());
/// }
/// # brooklet::testing::AppTest::new(app).run().unwrap();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    drawn: bool,
}

impl Drawn {
    /// Whether the element is on its way to the page.
    pub fn is_drawn(self) -> bool {
        self.drawn
    }

    /// `Ok(())` when drawn, `Err(Error::RunEnded)` when the `Ui`'s run had
    /// ended (or been superseded) and the write was refused.
    pub fn result(self) -> Result<(), Error> {
        if self.drawn {
            Ok(())
        } else {
            Err(Error::RunEnded)
        }
    }
}

impl From<Option<Path>> for Drawn {
    fn from(placed: Option<Path>) -> Drawn {
        Drawn {
            drawn: placed.is_some(),
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Ui>> = const { RefCell::new(None) };
}

/// Binds a `Ui` to the current thread for `Ui::current`, restoring the
/// previous binding when dropped.
pub(crate) struct CurrentGuard {
    previous: Option<Ui>,
}

impl CurrentGuard {
    pub(crate) fn set(ui: &Ui) -> CurrentGuard {
        let previous = CURRENT.with(|c| c.replace(Some(ui.clone())));
        CurrentGuard { previous }
    }
}

impl Drop for CurrentGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

/// Show `message` as an error element in the run bound to this thread, if
/// any, and log it. Used by library code that has no `Ui` at hand.
pub(crate) fn report_error_in_current_run(message: &str) {
    match Ui::current() {
        Ok(ui) => {
            ui.show_error(&AppError::message(message));
        }
        Err(_) => tracing::error!("{message}"),
    }
}

impl Ui {
    /// The `Ui` of the main area for a new run.
    pub(crate) fn root(run: Arc<Run>) -> Ui {
        Ui {
            run,
            target: Target::Append(Arc::from(vec![ROOT_MAIN])),
            form: None,
        }
    }

    /// The `Ui` that appends into the block at `path` (a fragment run).
    pub(crate) fn block(run: Arc<Run>, path: &[u32]) -> Ui {
        Ui {
            run,
            target: Target::Append(Arc::from(path)),
            form: None,
        }
    }

    fn at(&self, target: Target) -> Ui {
        Ui {
            run: self.run.clone(),
            target,
            form: self.form.clone(),
        }
    }

    /// The `Ui` bound to the current thread: the app's thread during a run.
    ///
    /// Library code deep in a call stack can draw without a `Ui` passed down.
    /// Off a run's thread this is `Err(Error::NoSessionContext)`, whose
    /// message says how to fix it.
    ///
    /// ```
    /// assert!(matches!(brooklet::Ui::current(), Err(brooklet::Error::NoSessionContext)));
    /// ```
    pub fn current() -> Result<Ui, Error> {
        CURRENT
            .with(|c| c.borrow().clone())
            .ok_or(Error::NoSessionContext)
    }

    /// The session state of this tab.
    ///
    /// A `Ui` whose run has ended gets a detached, empty state, so that a
    /// handle kept past its run cannot change the session.
    pub fn state(&self) -> SessionState {
        match self.session() {
            Some(session) => session.state.clone(),
            None => SessionState::default(),
        }
    }

    /// Whether this run was cancelled (a newer run superseded it) or has ended.
    /// Loops that make no `Ui` calls can poll it, or call [`Ui::checkpoint`].
    pub fn is_cancelled(&self) -> bool {
        self.run.is_cancelled() || self.run.is_finished()
    }

    /// A cancellation point for long loops that make no other `Ui` call: it
    /// returns at once while the run is current and unwinds out of the app
    /// code when it was cancelled.
    pub fn checkpoint(&self) {
        let _ = self.run.access();
    }

    /// Run `add_contents` with this `Ui`; reads well for nesting:
    /// `ui.expander("Details").show(|ui| ui.text("…"))`.
    pub fn show<R>(&self, add_contents: impl FnOnce(&Ui) -> R) -> R {
        add_contents(self)
    }

    /// Add an element or widget with options; returns what it returns.
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     let on = ui.add(Checkbox::new("Enabled").value(true).help("Turns it on"));
    ///     ui.text(format!("enabled: {on}"));
    /// }
    /// ```
    pub fn add<W: Widget>(&self, widget: W) -> W::Output {
        widget.add_to(self)
    }

    // ----- the one way elements reach the page -----

    /// The session, after passing the checkpoint; `None` when refused.
    pub(crate) fn session(&self) -> Option<Arc<Session>> {
        match self.run.access() {
            Access::Live(session) => Some(session),
            Access::Refused => None,
        }
    }

    pub(crate) fn run(&self) -> &Arc<Run> {
        &self.run
    }

    /// Draw `el` at this `Ui`'s place; returns its path, or `None` when the
    /// write was refused (run ended) or the place no longer exists.
    pub(crate) fn draw(&self, el: Element) -> Option<Path> {
        let session = self.session()?;
        let (placed, wake) = {
            let mut page = session.page();
            if !page.is_current(self.run.id) {
                return None;
            }
            let placed = match &self.target {
                Target::Append(parent) => page.append(self.run.id, parent, el).ok(),
                Target::Slot(path) => page
                    .place(self.run.id, path, el)
                    .ok()
                    .map(|()| path.to_vec()),
            };
            (placed, page.take_wake())
        };
        // Only the first change since the last flush wakes the writer; it
        // then watches the queue's version while the run keeps drawing.
        if wake {
            session.wake();
        }
        placed
    }

    /// Draw a block element and return the `Ui` that appends into it.
    pub(crate) fn draw_block(&self, el: Element) -> Ui {
        debug_assert!(el.is_block());
        match self.draw(el) {
            Some(path) => self.at(Target::Append(Arc::from(path))),
            // Refused: hand back a Ui that refuses too (an empty path never
            // names a block).
            None => self.at(Target::Append(Arc::from(Vec::new()))),
        }
    }

    /// Draw a placeholder and return the `Ui` that overwrites it.
    pub(crate) fn draw_slot(&self, el: Element) -> Ui {
        match self.draw(el) {
            Some(path) => self.at(Target::Slot(Arc::from(path))),
            None => self.at(Target::Slot(Arc::from(Vec::new()))),
        }
    }

    /// The sidebar of the page.
    pub fn sidebar(&self) -> Ui {
        Ui {
            run: self.run.clone(),
            target: Target::Append(Arc::from(vec![ROOT_SIDEBAR])),
            form: None,
        }
    }

    /// Show a panic report at the end of the run's area: the main area, or
    /// the fragment's block in a fragment run.
    pub(crate) fn show_panic(&self, report: &AppError) {
        let target = match &self.run.scope {
            Some(scope) => Ui::block(self.run.clone(), &scope.path),
            None => Ui::root(self.run.clone()),
        };
        target.show_error(report);
    }

    /// Put `bytes` in the app-wide payload store for this run's page; `None`
    /// when the write is refused (the run has ended).
    pub(crate) fn put_payload(
        &self,
        bytes: Vec<u8>,
        content_type: &'static str,
    ) -> Result<Option<crate::payload::PayloadRef>, crate::payload::PayloadError> {
        let Some(session) = self.session() else {
            return Ok(None);
        };
        let (id, data) = session.put_payload(bytes, content_type)?;
        self.run.lock_payloads().insert(id);
        Ok(Some(data))
    }

    /// The one way Brooklet shows an error in the page: logged in full on
    /// the server (under the session's tag, never its id), shown as much as
    /// `client.show_error_details` allows.
    pub(crate) fn show_error(&self, error: &AppError) -> Option<Path> {
        let session = self.run.session.upgrade();
        let tag = session
            .as_ref()
            .map(|s| s.tag().to_string())
            .unwrap_or_else(|| "-".to_string());
        let detail = error.detail.as_deref().unwrap_or("");
        tracing::error!(
            session = %tag,
            location = error.location.as_deref().unwrap_or("-"),
            "{}{}{}",
            error.message,
            if detail.is_empty() { "" } else { "\n" },
            detail
        );
        let details = session
            .map(|s| s.shared().error_details)
            .unwrap_or_default();
        self.draw(error.element(details))
    }
}

/// The id of the widget of `kind` with user key `key` (for `AppTest`).
pub(crate) fn widget_id_for_key(kind: &str, key: &str) -> crate::protocol::WidgetId {
    id::IdBuilder::new(kind, Some(key)).finish()
}
