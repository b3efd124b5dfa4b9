//! The [`Ui`] handle the app draws with.
//!
//! A `Ui` is the handle of one run at one place in the page: the main area, the
//! sidebar, a container, a column, an `empty()` slot. It is cheap to clone and
//! `Send + Sync`, so it can go to other threads. Every call on it is a
//! *checkpoint*: if a newer run has superseded this one, the call unwinds out
//! of the app code (the session's driver catches it); if the run has already ended, the
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

mod context;
pub mod elements;
pub mod flow;
mod id;
pub mod layout;
mod markdown;
pub mod widgets;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Weak};

pub(crate) use context::{AppFn, AppShared, Callback, FragmentFn, SessionContext, SessionHost};

use crate::protocol::{Element, Path, ROOT_MAIN, ROOT_SIDEBAR};
use crate::run::{AppError, DiagnosticsSink, Run, SinkGuard};
use crate::store::SessionState;
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
    /// The session's context; weak, so that a `Ui` kept past its run does
    /// not keep a closed tab's session alive.
    session: Weak<SessionContext>,
    target: Target,
    /// The form this `Ui` draws in, if any.
    form: Option<Arc<flow::FormContext>>,
}

impl std::fmt::Debug for Ui {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ui")
            .field("run", &self.run.id())
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

/// Binds a `Ui` to the current thread for `Ui::current`, and makes it the
/// thread's diagnostics sink (errors reported by code without a `Ui`, such
/// as session state, show in its page); restores the previous binding when
/// dropped.
pub(crate) struct CurrentGuard {
    previous: Option<Ui>,
    _sink: SinkGuard,
}

impl CurrentGuard {
    pub(crate) fn set(ui: &Ui) -> CurrentGuard {
        let previous = CURRENT.with(|c| c.replace(Some(ui.clone())));
        CurrentGuard {
            previous,
            _sink: SinkGuard::bind(Rc::new(ui.clone())),
        }
    }
}

impl Drop for CurrentGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

/// The guard of [`Ui::enter`]: while it lives, [`Ui::current`] on this
/// thread is the entered `Ui`; dropping it restores what was bound before.
/// It belongs to the thread that entered (it is not `Send`).
pub struct Entered {
    _guard: CurrentGuard,
}

impl std::fmt::Debug for Entered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entered").finish_non_exhaustive()
    }
}

impl DiagnosticsSink for Ui {
    fn report(&self, error: &AppError) {
        self.show_error(error);
    }
}

impl Ui {
    /// The `Ui` a run draws with: into its fragment's block for a fragment
    /// run, into the main area for a full run.
    pub(crate) fn for_run(run: Arc<Run>, session: &Arc<SessionContext>) -> Ui {
        let path: Arc<[u32]> = match run.fragment_path() {
            Some(path) => Arc::from(path),
            None => Arc::from(vec![ROOT_MAIN]),
        };
        Ui {
            run,
            session: Arc::downgrade(session),
            target: Target::Append(path),
            form: None,
        }
    }

    fn at(&self, target: Target) -> Ui {
        Ui {
            run: self.run.clone(),
            session: self.session.clone(),
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

    /// Bind this `Ui` to the current thread until the returned guard is
    /// dropped, so that [`Ui::current`] (and library code that uses it)
    /// works there — for a thread the app started itself, such as a scoped
    /// thread that borrows from the run, like `tracing`'s `span.enter()`.
    /// Errors that code without a `Ui` reports (a session-state type
    /// mismatch) then show in this `Ui`'s page.
    ///
    /// ```
    /// use brooklet::prelude::*;
    ///
    /// fn helper() {
    ///     // Deep in library code, with no `Ui` passed down.
    ///     if let Ok(ui) = Ui::current() {
    ///         ui.text("from a scoped thread");
    ///     }
    /// }
    ///
    /// fn app(ui: &Ui) {
    ///     std::thread::scope(|scope| {
    ///         scope.spawn(|| {
    ///             let _bound = ui.enter();
    ///             helper();
    ///         });
    ///     });
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert_eq!(at.text(), vec!["from a scoped thread"]);
    /// ```
    #[must_use = "the Ui is bound only while the guard lives"]
    pub fn enter(&self) -> Entered {
        Entered {
            _guard: CurrentGuard::set(self),
        }
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

    /// Whether this `Ui`'s run is still in progress: not cancelled and not
    /// finished, so what it draws reaches the page. Loops that make no `Ui`
    /// calls poll it (`while ui.is_running() { … }`), or call
    /// [`Ui::checkpoint`].
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     assert!(ui.is_running());
    ///     let kept = ui.clone();
    ///     ui.state().set("kept", kept);
    /// }
    /// let mut at = brooklet::testing::AppTest::new(app);
    /// at.run().unwrap();
    /// let kept: Ui = at.state().get("kept").unwrap();
    /// assert!(!kept.is_running(), "the run has finished");
    /// assert!(!kept.is_cancelled(), "it finished normally: nothing cancelled it");
    /// ```
    pub fn is_running(&self) -> bool {
        !self.run.is_cancelled() && !self.run.is_finished()
    }

    /// Whether this `Ui`'s run was cancelled: a newer run superseded it, the
    /// person pressed Stop, or the tab went away. A run that finished
    /// normally is not cancelled; see [`Ui::is_running`] for "should this
    /// loop go on".
    pub fn is_cancelled(&self) -> bool {
        self.run.is_cancelled()
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

    /// The session's context, after passing the checkpoint; `None` when
    /// the write is refused (the run has ended or the session is gone).
    pub(crate) fn session(&self) -> Option<Arc<SessionContext>> {
        if !self.run.access() {
            return None;
        }
        let session = self.session.upgrade();
        if session.is_none() {
            self.run.log_refusal();
        }
        session
    }

    pub(crate) fn run(&self) -> &Arc<Run> {
        &self.run
    }

    /// The session's context without the checkpoint (for handles that
    /// outlive the run, and for code that must not unwind).
    pub(crate) fn context_weak(&self) -> Weak<SessionContext> {
        self.session.clone()
    }

    /// Draw `el` at this `Ui`'s place; returns its path, or `None` when the
    /// write was refused (run ended) or the place no longer exists.
    pub(crate) fn draw(&self, el: Element) -> Option<Path> {
        let session = self.session()?;
        let run = self.run.id();
        let (placed, wake) = session.outbox.with_page(|page| {
            if !page.is_current(run) {
                return (None, false);
            }
            let placed = match &self.target {
                Target::Append(parent) => page.append(run, parent, el).ok(),
                Target::Slot(path) => page.place(run, path, el).ok().map(|()| path.to_vec()),
            };
            (placed, page.take_wake())
        });
        // Only the first change since the last flush wakes the writer; it
        // then watches the queue's version while the run keeps drawing.
        if wake {
            session.outbox.wake();
        }
        placed
    }

    /// Append rows to the table this run drew at `path` (see
    /// `Page::add_table_rows`); false when refused (the run has ended).
    pub(crate) fn add_table_rows(&self, path: &[u32], rows: Vec<Vec<serde_json::Value>>) -> bool {
        let Some(session) = self.session() else {
            return false;
        };
        let run = self.run.id();
        let (added, wake) = session.outbox.with_page(|page| {
            if !page.is_current(run) {
                return (false, false);
            }
            let added = page.add_table_rows(run, path, rows).is_ok();
            (added, page.take_wake())
        });
        if wake {
            session.outbox.wake();
        }
        added
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

    /// The `Ui` that draws over the element at `path`.
    pub(crate) fn slot(&self, path: Path) -> Ui {
        self.at(Target::Slot(Arc::from(path)))
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
            session: self.session.clone(),
            target: Target::Append(Arc::from(vec![ROOT_SIDEBAR])),
            form: None,
        }
    }

    /// Show a panic report at the end of the run's area: the main area, or
    /// the fragment's block in a fragment run.
    pub(crate) fn show_panic(&self, report: &AppError) {
        let area: Arc<[u32]> = match self.run.fragment_path() {
            Some(path) => Arc::from(path),
            None => Arc::from(vec![ROOT_MAIN]),
        };
        self.at(Target::Append(area)).show_error(report);
    }

    /// Show `note` beside the page's run indicator (outside the element
    /// flow) until the returned guard is dropped; `run_finished` clears it
    /// too. Refused, like a draw, when the run has ended.
    pub(crate) fn status_note(&self, note: String) -> StatusNote {
        let session = self.session();
        if let Some(session) = &session {
            session.outbox.send(crate::protocol::ServerMessage::Status {
                message: Some(note),
            });
        }
        StatusNote { session }
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
        self.run.with_drawn(|drawn| drawn.payloads.insert(id));
        Ok(Some(data))
    }

    /// `location` if the page may show where errors come from
    /// (`client.show_error_details = "full"`): for elements whose errors
    /// the browser finds (a Vega-Lite spec it cannot compile).
    pub(crate) fn location_for_errors(
        &self,
        location: &std::panic::Location<'_>,
    ) -> Option<String> {
        let details = self
            .session
            .upgrade()
            .map(|s| s.shared().error_details)
            .unwrap_or_default();
        (details == crate::config::ErrorDetails::Full).then(|| location.to_string())
    }

    /// The one way Brooklet shows an error in the page: logged in full on
    /// the server (under the session's tag, never its id), shown as much as
    /// `client.show_error_details` allows.
    pub(crate) fn show_error(&self, error: &AppError) -> Option<Path> {
        let session = self.session.upgrade();
        match &session {
            Some(session) => error.log(&session.tag()),
            None => error.log(&"-"),
        }
        let details = session
            .map(|s| s.shared().error_details)
            .unwrap_or_default();
        self.draw(error.element(details))
    }
}

/// A note beside the run indicator; cleared when dropped.
pub(crate) struct StatusNote {
    session: Option<Arc<SessionContext>>,
}

impl Drop for StatusNote {
    fn drop(&mut self) {
        if let Some(session) = &self.session {
            session
                .outbox
                .send(crate::protocol::ServerMessage::Status { message: None });
        }
    }
}

/// The id of the widget of `kind` with user key `key` (for `AppTest`).
pub(crate) fn widget_id_for_key(
    kind: crate::protocol::WidgetKind,
    key: &str,
) -> crate::protocol::WidgetId {
    id::IdBuilder::new(kind.name(), Some(key)).finish()
}
