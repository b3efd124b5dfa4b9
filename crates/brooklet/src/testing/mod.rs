//! Run an app headlessly in tests: [`AppTest`].
//!
//! `AppTest` drives a real session — the same driver, script threads,
//! cancellation and delta queue the server uses — and applies the deltas to
//! its own copy of the page, exactly as the browser does. Find widgets by
//! label (or key), change them, run, and look at what the page shows:
//!
//! ```
//! use brooklet::prelude::*;
//! use brooklet::testing::AppTest;
//!
//! fn app(ui: &Ui) {
//!     let name = ui.add(TextInput::new("Your name").value("world"));
//!     if ui.button("Greet").clicked() {
//!         ui.markdown(format!("Hello, {name}!"));
//!     }
//! }
//!
//! let mut at = AppTest::new(app);
//! at.run().unwrap();
//! assert!(at.markdown().is_empty());
//! at.text_input("Your name").set_text("Ada");
//! at.button("Greet").click().run().unwrap();
//! assert_eq!(at.markdown(), vec!["Hello, Ada!"]);
//! ```

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

mod charts;
mod media;

pub use charts::{ChartPoints, ChartRef, VegaRef};
pub use media::UploaderRef;

use crate::error::{Error, Result};
use crate::protocol::{
    ClientConfig, ColumnKind, DeltaOp, Element, Grid, RunStatus, ServerMessage, SliderValue,
    SortKey, WidgetKind, WindowRows, PROTOCOL_VERSION,
};
use crate::session::Session;
use crate::store::SessionState;
use crate::ui::AppShared;
use crate::ui::Ui;

/// Which part of the app pending changes rerun, as the browser decides it.
#[derive(Debug, Clone, PartialEq)]
enum Scope {
    Nothing,
    Fragment(String),
    App,
}

impl Scope {
    /// Add a change made inside `fragment` (or outside any).
    fn with(self, fragment: Option<&str>) -> Scope {
        match (self, fragment) {
            (Scope::Nothing, Some(f)) => Scope::Fragment(f.to_owned()),
            (Scope::Fragment(a), Some(f)) if a == f => Scope::Fragment(a),
            _ => Scope::App,
        }
    }
}

/// One element of the test's copy of the page.
#[derive(Debug, Clone)]
struct Node {
    el: Element,
    children: Vec<Node>,
}

/// A headless session of an app; see the [module docs](self).
pub struct AppTest {
    session: Arc<Session>,
    runtime: tokio::runtime::Runtime,
    roots: [Vec<Node>; 2],
    timeout: Duration,
    widgets: HashMap<String, Value>,
    trigger: Option<String>,
    /// Changes of widgets inside forms, held (as the browser does) until
    /// the form is submitted; by form id.
    form_pending: HashMap<String, HashMap<String, Value>>,
    /// Which part of the app the pending changes rerun.
    scope: Scope,
    /// Set once the session is attached: wakes `wait` when output is queued.
    waker: Option<Arc<tokio::sync::Notify>>,
    statuses: Vec<RunStatus>,
    /// Notes shown beside the run indicator (`status` messages), in order.
    notes: Vec<String>,
}

impl std::fmt::Debug for AppTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppTest")
            .field("session", &self.session.id())
            .field("statuses", &self.statuses)
            .finish_non_exhaustive()
    }
}

impl AppTest {
    /// A test session of `app`. Nothing runs until [`AppTest::run`].
    pub fn new<R>(app: impl Fn(&Ui) -> R + Send + Sync + 'static) -> AppTest {
        let mut config = crate::Config::default();
        config.runner.max_threads = 64;
        AppTest::with_config(app, config)
    }

    /// A test session of `app` under `config` (its runner and client
    /// settings: worker caps, stack size, error details).
    pub fn with_config<R>(
        app: impl Fn(&Ui) -> R + Send + Sync + 'static,
        config: crate::Config,
    ) -> AppTest {
        let shared = AppShared::new(
            Arc::new(move |ui: &Ui| {
                app(ui);
            }),
            &config,
        )
        .unwrap_or_else(|error| panic!("no OS randomness for the media ids' key: {error}"));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap_or_else(|error| panic!("AppTest needs a tokio runtime: {error}"));
        AppTest {
            session: Session::new(shared)
                .unwrap_or_else(|error| panic!("no OS randomness for a session id: {error}")),
            runtime,
            roots: [Vec::new(), Vec::new()],
            timeout: Duration::from_secs(3),
            widgets: HashMap::new(),
            trigger: None,
            form_pending: HashMap::new(),
            scope: Scope::Nothing,
            waker: None,
            statuses: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Open the app with this query string (`"city=Oslo&days=7"`).
    pub fn query(self, query: &str) -> AppTest {
        if let Err(error) = self.session.set_query(query) {
            panic!("AppTest::query: {error}");
        }
        self
    }

    /// The query parameters as the app left them.
    pub fn query_params(&self) -> Vec<(String, String)> {
        self.session.context().with_query(|query| query.clone())
    }

    /// How long [`AppTest::run`] waits for the app (default 3 s).
    pub fn timeout(mut self, timeout: Duration) -> AppTest {
        self.timeout = timeout;
        self
    }

    /// Run the app with the widget changes and click made since the last run,
    /// and wait until it (and any rerun it queued) has finished.
    ///
    /// Returns `Err(Error::Timeout)` when the app is still running after the
    /// timeout; the run is then stopped.
    pub fn run(&mut self) -> Result<&mut AppTest> {
        if self.waker.is_none() {
            let (_, waker) = self.session.attach(
                false,
                ServerMessage::Session {
                    protocol: PROTOCOL_VERSION,
                    session_id: self.session.id().to_owned(),
                    resumed: false,
                    config: ClientConfig {
                        max_message_bytes: 0,
                        heartbeat_ms: 0,
                        page_title: String::new(),
                    },
                },
            );
            self.waker = Some(waker);
        }
        let widgets = std::mem::take(&mut self.widgets);
        let trigger = self.trigger.take();
        let fragment = match std::mem::replace(&mut self.scope, Scope::Nothing) {
            Scope::Fragment(id) => Some(id),
            Scope::Nothing | Scope::App => None,
        };
        self.session.request_rerun(widgets, trigger, fragment);
        self.wait()
    }

    /// Run without changing anything (like pressing "R" in the page).
    pub fn rerun(&mut self) -> Result<&mut AppTest> {
        self.run()
    }

    fn wait(&mut self) -> Result<&mut AppTest> {
        let deadline = tokio::time::Instant::now() + self.timeout;
        loop {
            let busy = self.session.is_busy();
            self.drain();
            if !busy {
                return Ok(self);
            }
            let Some(waker) = self.waker.clone() else {
                return Ok(self);
            };
            let woken = self
                .runtime
                .block_on(async { tokio::time::timeout_at(deadline, waker.notified()).await });
            if woken.is_err() {
                self.session.stop();
                self.drain();
                return Err(Error::Timeout(self.timeout));
            }
        }
    }

    /// Wait until `done` holds for the page, applying whatever the session
    /// sends meanwhile — for pages that change after a run ends, such as a
    /// background job's rerun or a worker that outlives its run. Fails with
    /// `Error::Timeout` after the timeout.
    pub fn wait_for(&mut self, done: impl Fn(&AppTest) -> bool) -> Result<&mut AppTest> {
        let deadline = tokio::time::Instant::now() + self.timeout;
        loop {
            self.drain();
            if done(self) {
                return Ok(self);
            }
            let Some(waker) = self.waker.clone() else {
                return Err(Error::Timeout(self.timeout));
            };
            // Like a connected browser, drive the fragments' timers.
            let timer = self
                .session
                .fire_due_fragments(std::time::Instant::now())
                .map(tokio::time::Instant::from_std);
            let until = timer.map_or(deadline, |t| t.min(deadline));
            let woken = self
                .runtime
                .block_on(async { tokio::time::timeout_at(until, waker.notified()).await });
            if woken.is_err() && until == deadline {
                self.drain();
                return if done(self) {
                    Ok(self)
                } else {
                    Err(Error::Timeout(self.timeout))
                };
            }
        }
    }

    /// Apply everything the session queued to the test's page.
    fn drain(&mut self) {
        let Some(frame) = self.session.with_page(|page| page.take_frame()) else {
            return;
        };
        for message in frame {
            match message {
                ServerMessage::Delta { ops, .. } => ops.into_iter().for_each(|op| self.apply(op)),
                ServerMessage::RunFinished { status, .. } => self.statuses.push(status),
                ServerMessage::Status {
                    message: Some(note),
                } => self.notes.push(note),
                _ => {}
            }
        }
    }

    fn children_mut(&mut self, path: &[u32]) -> Option<&mut Vec<Node>> {
        let (root, rest) = path.split_first()?;
        let mut children = self.roots.get_mut(*root as usize)?;
        for index in rest {
            children = &mut children.get_mut(*index as usize)?.children;
        }
        Some(children)
    }

    fn apply(&mut self, op: DeltaOp) {
        match op {
            DeltaOp::Set { path, el } => {
                let Some((index, parent)) = path.split_last() else {
                    return;
                };
                let Some(children) = self.children_mut(parent) else {
                    panic!("AppTest: delta for {path:?} has no parent: a bug in Brooklet");
                };
                let index = *index as usize;
                if index < children.len() {
                    let node = &mut children[index];
                    if node.el.kind() != el.kind() || !el.is_block() {
                        node.children.clear();
                    }
                    node.el = el;
                } else if index == children.len() {
                    children.push(Node {
                        el,
                        children: Vec::new(),
                    });
                } else {
                    panic!("AppTest: delta for {path:?} skips an index: a bug in Brooklet");
                }
            }
            DeltaOp::Truncate { path, len } => {
                if let Some(children) = self.children_mut(&path) {
                    children.truncate(len as usize);
                }
            }
            DeltaOp::AddRows { path, rows } => {
                let Some((index, parent)) = path.split_last() else {
                    return;
                };
                let node = self
                    .children_mut(parent)
                    .and_then(|children| children.get_mut(*index as usize));
                match node.map(|node| &mut node.el) {
                    Some(Element::Table { rows: shown, .. }) => shown.extend(rows),
                    _ => panic!(
                        "AppTest: add_rows for {path:?}, which is no table: a bug in Brooklet"
                    ),
                }
            }
            DeltaOp::Seen { .. } => {}
        }
    }

    // ----- looking at the page -----

    /// Every element on the page, depth first: the main area, then the sidebar.
    pub fn elements(&self) -> Vec<&Element> {
        fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Element>) {
            for node in nodes {
                if !matches!(node.el, Element::Empty) {
                    out.push(&node.el);
                }
                walk(&node.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.roots[0], &mut out);
        walk(&self.roots[1], &mut out);
        out
    }

    /// The elements in the sidebar only.
    pub fn sidebar(&self) -> Vec<&Element> {
        let main = self.elements_in(0);
        let all = self.elements();
        all[main..].to_vec()
    }

    fn elements_in(&self, root: usize) -> usize {
        fn count(nodes: &[Node]) -> usize {
            nodes
                .iter()
                .map(|n| usize::from(!matches!(n.el, Element::Empty)) + count(&n.children))
                .sum()
        }
        count(&self.roots[root])
    }

    /// The text of every element of `kind` (`"title"`, `"markdown"`,
    /// `"text"`, …), in page order.
    pub fn texts(&self, kind: &str) -> Vec<String> {
        self.elements()
            .into_iter()
            .filter(|el| el.kind() == kind)
            .filter_map(|el| el.text().map(str::to_owned))
            .collect()
    }

    /// Titles on the page.
    pub fn title(&self) -> Vec<String> {
        self.texts("title")
    }

    /// Markdown sources on the page (including `write`).
    pub fn markdown(&self) -> Vec<String> {
        self.texts("markdown")
    }

    /// `text` elements on the page.
    pub fn text(&self) -> Vec<String> {
        self.texts("text")
    }

    /// Captions on the page.
    pub fn caption(&self) -> Vec<String> {
        self.texts("caption")
    }

    /// Exceptions on the page (panics, duplicate widgets, errors).
    pub fn exceptions(&self) -> Vec<&Element> {
        self.elements()
            .into_iter()
            .filter(|el| matches!(el, Element::Exception { .. }))
            .collect()
    }

    /// The first element whose label or text is `label`.
    pub fn find(&self, label: &str) -> Option<&Element> {
        self.elements()
            .into_iter()
            .find(|el| el.label() == Some(label) || el.text() == Some(label))
    }

    /// The notes the page showed beside its run indicator so far, oldest
    /// first ("Running load_rows(…)" while a cache computes, "waiting for a
    /// worker thread…").
    pub fn status_notes(&self) -> &[String] {
        &self.notes
    }

    /// How each run so far ended, oldest first.
    pub fn statuses(&self) -> &[RunStatus] {
        &self.statuses
    }

    /// The session state.
    pub fn state(&self) -> SessionState {
        self.session.state().clone()
    }

    // ----- widgets -----

    /// The widget of `kind` labelled `label`. [`WidgetKind::Button`] also
    /// finds form submit buttons, and [`WidgetKind::Slider`] range sliders.
    ///
    /// # Panics
    /// When there is none; the message lists the widgets there are.
    pub fn widget(&mut self, kind: WidgetKind, label: &str) -> WidgetRef<'_> {
        let kinds = kinds_found_as(kind);
        let found = self.find_widget(|el| {
            el.widget()
                .is_some_and(|(k, base)| kinds.contains(&k) && base.label == label)
        });
        match found {
            Some(found) => self.widget_ref(found),
            None => {
                let there: Vec<String> = self
                    .elements()
                    .into_iter()
                    .filter_map(|el| el.widget().map(|(k, base)| format!("{k} {:?}", base.label)))
                    .collect();
                panic!("no {kind} labelled {label:?} on the page; there are: {there:?}")
            }
        }
    }

    /// The first widget matching `matches`, with the form and fragment it
    /// is in.
    fn find_widget(&self, matches: impl Fn(&Element) -> bool) -> Option<Found> {
        self.find_all(|el| el.widget_id().is_some() && matches(el))
            .into_iter()
            .next()
    }

    /// Every element matching `matches`, in page order, with the form and
    /// fragment it is in.
    fn find_all(&self, matches: impl Fn(&Element) -> bool) -> Vec<Found> {
        fn walk(
            nodes: &[Node],
            form: Option<&str>,
            fragment: Option<&str>,
            matches: &dyn Fn(&Element) -> bool,
            out: &mut Vec<Found>,
        ) {
            for node in nodes {
                if matches(&node.el) {
                    out.push(Found {
                        el: node.el.clone(),
                        form: form.map(str::to_owned),
                        fragment: fragment.map(str::to_owned),
                    });
                }
                let (form, fragment) = match &node.el {
                    Element::Form { id, .. } => (Some(id.as_str()), fragment),
                    Element::Fragment { id } => (form, Some(id.as_str())),
                    _ => (form, fragment),
                };
                walk(&node.children, form, fragment, matches, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.roots[0], None, None, &matches, &mut out);
        walk(&self.roots[1], None, None, &matches, &mut out);
        out
    }

    /// The `index`-th data editor on the page (counting from 0): edit
    /// cells, add and delete rows, as the browser does.
    ///
    /// # Panics
    /// When the page has fewer data editors.
    pub fn data_editor(&mut self, index: usize) -> EditorRef<'_> {
        let mut all = self.find_all(|el| matches!(el, Element::DataEditor(_)));
        let count = all.len();
        if index >= count {
            panic!("there is no data editor {index}; the page has {count}");
        }
        let found = all.swap_remove(index);
        EditorRef {
            widget: self.widget_ref(found),
        }
    }

    /// The `index`-th dataframe on the page (counting from 0, main area
    /// first): read its cells as the page shows them, ask for windows
    /// (sorted, searched) as the browser does, and select rows or columns.
    ///
    /// # Panics
    /// When the page has fewer dataframes.
    pub fn dataframe(&mut self, index: usize) -> GridRef<'_> {
        let mut all = self.find_all(|el| matches!(el, Element::Dataframe(_)));
        let count = all.len();
        if index >= count {
            panic!("there is no dataframe {index}; the page has {count}");
        }
        let found = all.swap_remove(index);
        GridRef {
            widget: self.widget_ref(found),
        }
    }

    fn widget_ref(&mut self, found: Found) -> WidgetRef<'_> {
        WidgetRef {
            at: self,
            el: found.el,
            form: found.form,
            fragment: found.fragment,
        }
    }

    /// The widget of `kind` with the user key `key` (kinds as in
    /// [`AppTest::widget`]).
    ///
    /// # Panics
    /// When there is none.
    pub fn widget_by_key(&mut self, kind: WidgetKind, key: &str) -> WidgetRef<'_> {
        let ids: Vec<String> = kinds_found_as(kind)
            .iter()
            .map(|kind| crate::ui::widget_id_for_key(*kind, key))
            .collect();
        match self.find_widget(|el| el.widget_id().is_some_and(|id| ids.iter().any(|i| i == id))) {
            Some(found) => self.widget_ref(found),
            None => panic!("no {kind} with key {key:?} on the page"),
        }
    }

    /// The button labelled `label` (see [`AppTest::widget`]).
    pub fn button(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::Button, label)
    }
    /// The checkbox labelled `label`.
    pub fn checkbox(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::Checkbox, label)
    }
    /// The toggle labelled `label`.
    pub fn toggle(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::Toggle, label)
    }
    /// The text input labelled `label`.
    pub fn text_input(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::TextInput, label)
    }
    /// The text area labelled `label`.
    pub fn text_area(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::TextArea, label)
    }
    /// The number input labelled `label`.
    pub fn number_input(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::NumberInput, label)
    }
    /// The slider (single or range) labelled `label`.
    pub fn slider(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::Slider, label)
    }
    /// The selectbox labelled `label`.
    pub fn selectbox(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::Selectbox, label)
    }
    /// The multiselect labelled `label`.
    pub fn multiselect(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::Multiselect, label)
    }
    /// The radio group labelled `label`.
    pub fn radio(&mut self, label: &str) -> WidgetRef<'_> {
        self.widget(WidgetKind::Radio, label)
    }
}

/// The kinds a lookup by `kind` finds: a button lookup finds submit and download buttons
/// too, a slider lookup range sliders.
fn kinds_found_as(kind: WidgetKind) -> Vec<WidgetKind> {
    match kind {
        WidgetKind::Button => vec![
            WidgetKind::Button,
            WidgetKind::FormSubmit,
            WidgetKind::DownloadButton,
        ],
        WidgetKind::Slider => vec![WidgetKind::Slider, WidgetKind::RangeSlider],
        kind => vec![kind],
    }
}

/// A widget found on the page, with the form and fragment it is in.
struct Found {
    el: Element,
    form: Option<String>,
    fragment: Option<String>,
}

/// A widget on an [`AppTest`] page: read it, change it, click it. Changes
/// take effect at the next [`AppTest::run`] (each setter returns the
/// `AppTest`, so `at.button("Go").click().run()` reads naturally).
///
/// As in the browser, a change to a widget inside a form is held until the
/// form's submit button is clicked, and a change inside a fragment reruns
/// only that fragment.
#[derive(Debug)]
pub struct WidgetRef<'a> {
    at: &'a mut AppTest,
    el: Element,
    form: Option<String>,
    fragment: Option<String>,
}

impl<'a> WidgetRef<'a> {
    /// The widget element as the page shows it.
    pub fn element(&self) -> &Element {
        &self.el
    }

    fn id(&self) -> String {
        self.el.widget_id().unwrap_or_default().to_owned()
    }

    /// The widget's current value in its wire form (see `docs/protocol.md`).
    pub fn value(&self) -> Value {
        match &self.el {
            Element::Checkbox { value, .. } | Element::Toggle { value, .. } => Value::Bool(*value),
            Element::TextInput { value, .. } | Element::TextArea { value, .. } => {
                Value::from(value.clone())
            }
            Element::NumberInput { value, .. } => Value::from(*value),
            Element::Slider {
                value: SliderValue::Single(v),
                ..
            } => Value::from(*v),
            Element::Slider {
                value: SliderValue::Range([a, b]),
                ..
            } => Value::from(vec![*a, *b]),
            Element::Selectbox { index, .. } | Element::Radio { index, .. } => Value::from(*index),
            Element::Multiselect { selected, .. } => Value::from(selected.clone()),
            _ => Value::Null,
        }
    }

    /// Press the button (it reads as clicked in the next run). A form's
    /// submit button also sends the form's held changes.
    pub fn click(self) -> &'a mut AppTest {
        let id = self.id();
        if let (Element::FormSubmit { .. }, Some(form)) = (&self.el, &self.form) {
            let held = self.at.form_pending.remove(form).unwrap_or_default();
            self.at.widgets.extend(held);
        }
        self.at.trigger = Some(id);
        self.at.scope =
            std::mem::replace(&mut self.at.scope, Scope::Nothing).with(self.fragment.as_deref());
        self.at
    }

    /// Set the value as the browser would send it (see `docs/protocol.md`).
    pub fn set_value(self, value: impl Into<Value>) -> &'a mut AppTest {
        let id = self.id();
        match &self.form {
            Some(form) => {
                self.at
                    .form_pending
                    .entry(form.clone())
                    .or_default()
                    .insert(id, value.into());
            }
            None => {
                self.at.widgets.insert(id, value.into());
                self.at.scope = std::mem::replace(&mut self.at.scope, Scope::Nothing)
                    .with(self.fragment.as_deref());
            }
        }
        self.at
    }

    /// Whether a change to this widget is held for a form submit.
    pub fn in_form(&self) -> bool {
        self.form.is_some()
    }

    /// Whether a change to this widget reruns only its fragment.
    pub fn in_fragment(&self) -> bool {
        self.fragment.is_some()
    }

    /// Type `text` into a text input or area.
    pub fn set_text(self, text: &str) -> &'a mut AppTest {
        self.set_value(text)
    }

    /// Check a checkbox or switch on a toggle.
    pub fn check(self) -> &'a mut AppTest {
        self.set_value(true)
    }

    /// Uncheck a checkbox or switch off a toggle.
    pub fn uncheck(self) -> &'a mut AppTest {
        self.set_value(false)
    }

    /// Set a number input or single slider.
    pub fn set_number(self, value: f64) -> &'a mut AppTest {
        self.set_value(value)
    }

    /// Set a range slider.
    pub fn set_range(self, low: f64, high: f64) -> &'a mut AppTest {
        self.set_value(vec![low, high])
    }

    /// Choose the option labelled `option` in a selectbox or radio group.
    ///
    /// # Panics
    /// When there is no such option.
    pub fn select(self, option: &str) -> &'a mut AppTest {
        let index = self.option_index(option);
        self.set_value(index)
    }

    /// Choose these options (by label) in a multiselect.
    ///
    /// # Panics
    /// When one of them is not an option.
    pub fn set_selected(self, options: &[&str]) -> &'a mut AppTest {
        let indices: Vec<usize> = options.iter().map(|o| self.option_index(o)).collect();
        self.set_value(indices)
    }

    fn option_index(&self, option: &str) -> usize {
        let options = match &self.el {
            Element::Selectbox { options, .. }
            | Element::Radio { options, .. }
            | Element::Multiselect { options, .. } => options,
            other => panic!("{} has no options", other.kind()),
        };
        options
            .iter()
            .position(|o| o == option)
            .unwrap_or_else(|| panic!("no option {option:?}; the options are {options:?}"))
    }
}

/// A dataframe on an [`AppTest`] page; see [`AppTest::dataframe`].
#[derive(Debug)]
pub struct GridRef<'a> {
    widget: WidgetRef<'a>,
}

impl<'a> GridRef<'a> {
    /// The grid as the page received it.
    pub fn grid(&self) -> &Grid {
        match &self.widget.el {
            Element::Dataframe(grid) => grid,
            _ => unreachable!("a GridRef is made for dataframes only"),
        }
    }

    /// Rows in the frame.
    pub fn row_count(&self) -> usize {
        self.grid().row_count as usize
    }

    /// The names of the shown columns, in order.
    pub fn columns(&self) -> Vec<String> {
        self.grid().columns.iter().map(|c| c.name.clone()).collect()
    }

    fn view(&self) -> crate::data::view::FrameView {
        let key = &self.grid().frame;
        self.widget
            .at
            .session
            .context()
            .grid(key)
            .unwrap_or_else(|| panic!("the session no longer shows the grid {key}"))
    }

    /// Rows `start..start + count` of the view sorted by `sort` (a column
    /// and whether descending) and searched for `search`: what the server
    /// answers the browser.
    pub fn window(
        &self,
        start: u64,
        count: u32,
        sort: Option<(&str, bool)>,
        search: &str,
    ) -> Result<WindowRows, crate::data::FrameError> {
        let sort = sort.map(|(column, descending)| SortKey {
            column: column.to_owned(),
            descending,
        });
        self.view().window(start, count, sort.as_ref(), search)
    }

    /// The text the page shows in `column` for the row at position `row`
    /// of the data (a checkbox reads `true`/`false`, a link its text, a
    /// list its items joined by `, `).
    pub fn cell_text(&self, row: usize, column: &str) -> Option<String> {
        let at = self.grid().columns.iter().position(|c| c.name == column)?;
        let kind = self.grid().columns[at].kind;
        let cells = self.view().cells(&[row as u64]);
        let cell = cells.first()?.get(at)?.clone();
        cell_as_text(kind, cell)
    }

    /// What is selected, as the page shows it.
    pub fn selection(&self) -> Option<&crate::protocol::SelectionValue> {
        self.grid().selection.as_ref().map(|s| &s.value)
    }

    /// Select these rows (positions in the data), keeping the selected
    /// columns; takes effect at the next run.
    ///
    /// # Panics
    /// When the grid has no selection.
    pub fn select_rows(self, rows: &[usize]) -> &'a mut AppTest {
        let columns = self.selection_or_panic().columns.clone();
        self.widget
            .set_value(serde_json::json!({ "rows": rows, "columns": columns }))
    }

    /// Select these columns (by name), keeping the selected rows.
    ///
    /// # Panics
    /// When the grid has no selection.
    pub fn select_columns(self, columns: &[&str]) -> &'a mut AppTest {
        let rows = self.selection_or_panic().rows.clone();
        self.widget
            .set_value(serde_json::json!({ "rows": rows, "columns": columns }))
    }

    fn selection_or_panic(&self) -> &crate::protocol::SelectionValue {
        self.selection()
            .unwrap_or_else(|| panic!("this dataframe has no selection (use `on_select`)"))
    }
}

/// A cell as text (see [`GridRef::cell_text`]).
fn cell_as_text(kind: ColumnKind, cell: Value) -> Option<String> {
    match (kind, cell) {
        (_, Value::Null) => None,
        // `[href, text]` links and `[fraction, text]` bars show their text.
        (ColumnKind::Link | ColumnKind::Progress, Value::Array(items)) => items
            .into_iter()
            .nth(1)
            .and_then(|text| cell_as_text(ColumnKind::Text, text)),
        (_, Value::Array(items)) => Some(
            items
                .into_iter()
                .filter_map(|item| cell_as_text(ColumnKind::Text, item))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (_, Value::String(s)) => Some(s),
        (_, other) => Some(other.to_string()),
    }
}

/// A data editor on an [`AppTest`] page; see [`AppTest::data_editor`].
/// Each change is sent with the edits already there, as the browser does,
/// and takes effect at the next run.
#[derive(Debug)]
pub struct EditorRef<'a> {
    widget: WidgetRef<'a>,
}

impl<'a> EditorRef<'a> {
    /// The editor as the page received it.
    pub fn editor(&self) -> &crate::protocol::EditorGrid {
        match &self.widget.el {
            Element::DataEditor(editor) => editor,
            _ => unreachable!("an EditorRef is made for data editors only"),
        }
    }

    /// The edits the page shows.
    pub fn edits(&self) -> &crate::protocol::EditsValue {
        &self.editor().editor.value
    }

    fn send(self, edits: crate::protocol::EditsValue) -> &'a mut AppTest {
        let value = serde_json::to_value(edits).unwrap_or(Value::Null);
        self.widget.set_value(value)
    }

    /// Set the cell in `column` of the row at position `row` of the data.
    pub fn edit(self, row: usize, column: &str, value: impl Into<Value>) -> &'a mut AppTest {
        let mut edits = self.edits().clone();
        edits
            .edited
            .entry(row.to_string())
            .or_default()
            .insert(column.to_owned(), value.into());
        self.send(edits)
    }

    /// Add a row with these cells (column → value).
    pub fn add_row(self, cells: &[(&str, Value)]) -> &'a mut AppTest {
        let mut edits = self.edits().clone();
        edits.added.push(
            cells
                .iter()
                .map(|(column, value)| ((*column).to_owned(), value.clone()))
                .collect(),
        );
        self.send(edits)
    }

    /// Delete the rows at these positions of the data.
    pub fn delete_rows(self, rows: &[usize]) -> &'a mut AppTest {
        let mut edits = self.edits().clone();
        edits.deleted.extend(rows.iter().map(|&r| r as u64));
        edits.deleted.sort_unstable();
        edits.deleted.dedup();
        self.send(edits)
    }
}
