//! Widgets: elements the person using the app changes. Each returns its
//! current value, typed. The short methods on [`Ui`] cover the common case;
//! the types here add options (`key`, `help`, `disabled`, defaults, …) and are
//! drawn with [`Ui::add`].
//!
//! A widget's value survives reruns as long as the app draws the widget in
//! every run (see `docs/protocol.md`, "Widget identity"). Two widgets with the
//! same kind and label in one run need distinct keys:
//!
//! ```
//! use brooklet::prelude::*;
//!
//! fn app(ui: &Ui) {
//!     let a = ui.add(TextInput::new("Name").key("first"));
//!     let b = ui.add(TextInput::new("Name").key("second"));
//!     ui.write(format!("{a} and {b}"));
//! }
//! ```
//!
//! Each family of widgets lives in its own file, with its builder type, its
//! `Ui` shortcut, its value decoder and their tests; this file is the engine
//! they share ([`Ui::widget`](Ui) below: identity, duplicate detection,
//! stored value, session-state mirroring, callbacks, drawing).
//! `docs/contributing.md` walks through adding a widget.

use std::sync::Arc;

use serde_json::Value;

use super::id::IdBuilder;
use super::{AppError, Callback, Ui};
use crate::protocol::{Element, WidgetBase, WidgetId, WidgetKind};
use crate::store::widgets::KeyMirror;

/// What every widget has: label, key, help text, disabled, callback.
#[derive(Clone)]
struct Common {
    label: String,
    key: Option<String>,
    help: Option<String>,
    disabled: bool,
    /// `on_change` (value widgets) or `on_click` (buttons).
    callback: Option<Callback>,
}

impl std::fmt::Debug for Common {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Common")
            .field("label", &self.label)
            .field("key", &self.key)
            .field("help", &self.help)
            .field("disabled", &self.disabled)
            .field("callback", &self.callback.is_some())
            .finish()
    }
}

impl Common {
    fn new(label: impl Into<String>) -> Common {
        Common {
            label: label.into(),
            key: None,
            help: None,
            disabled: false,
            callback: None,
        }
    }

    /// The start of the widget's id: its kind, key and label. Options that
    /// change what the widget is (a choice's options) are added by the
    /// caller before `finish()`.
    fn id(&self, kind: WidgetKind) -> IdBuilder {
        IdBuilder::new(kind.name(), self.key.as_deref()).with(&self.label)
    }

    /// The fields every widget element has (moved out: nothing is cloned
    /// on the rerun path).
    fn into_base(self, id: WidgetId) -> WidgetBase {
        WidgetBase {
            id,
            label: self.label,
            help: self.help,
            disabled: self.disabled,
        }
    }

    /// The widget's identity, with its value mirrored in session state as is
    /// (for a keyed widget).
    fn identity<'a, T: Clone + 'a>(mut self, kind: WidgetKind, id: WidgetId) -> Identity<'a, T, T> {
        let (key, callback) = (self.key.take(), self.callback.take());
        Identity {
            kind,
            base: self.into_base(id),
            key,
            callback,
            to_state: Arc::new(|value: &T| value.clone()),
            from_state: Box::new(|state: &T| Some(state.clone())),
        }
    }
}

/// The builder methods every widget shares.
macro_rules! common_options {
    ($($ty:ident $(<$($gen:tt),*>)?),* $(,)?) => {$(
        impl $(<$($gen),*>)? $ty $(<$($gen),*>)? {
            /// Identify the widget by this key instead of its label and
            /// options; needed when two widgets would otherwise be the same.
            pub fn key(mut self, key: impl Into<String>) -> Self {
                self.common.key = Some(key.into());
                self
            }
            /// A tooltip shown next to the label.
            pub fn help(mut self, help: impl Into<String>) -> Self {
                self.common.help = Some(help.into());
                self
            }
            /// Grey the widget out so it cannot be changed.
            pub fn disabled(mut self, disabled: bool) -> Self {
                self.common.disabled = disabled;
                self
            }
        }
    )*};
}

/// Who a widget is: its kind, its common fields (id, label, help,
/// disabled), its user key and callback, and how its value `T` reads as the
/// session-state value `S` under its key (a selectbox's index is its
/// option's label there).
struct Identity<'a, T, S> {
    kind: WidgetKind,
    base: WidgetBase,
    key: Option<String>,
    callback: Option<Callback>,
    to_state: ToState<T, S>,
    from_state: FromState<'a, T, S>,
}

/// How a widget's value reads as its session-state value (kept by the
/// session, to mirror new values from the browser before callbacks run).
type ToState<T, S> = Arc<dyn Fn(&T) -> S + Send + Sync>;
/// How a session-state value reads as a widget's value (`None`: not valid).
type FromState<'a, T, S> = Box<dyn Fn(&S) -> Option<T> + 'a>;

impl<'a, T, S> Identity<'a, T, S> {
    /// Mirror the value in session state as `S2`.
    fn with_state<S2>(
        self,
        to_state: impl Fn(&T) -> S2 + Send + Sync + 'static,
        from_state: impl Fn(&S2) -> Option<T> + 'a,
    ) -> Identity<'a, T, S2> {
        Identity {
            kind: self.kind,
            base: self.base,
            key: self.key,
            callback: self.callback,
            to_state: Arc::new(to_state),
            from_state: Box::new(from_state),
        }
    }
}

/// `on_change` for the widgets that hold a value.
macro_rules! on_change_option {
    ($($ty:ident $(<$($gen:tt),*>)?),* $(,)?) => {$(
        impl $(<$($gen),*>)? $ty $(<$($gen),*>)? {
            /// Run `callback` when the person changes the value, before the
            /// rest of the rerun it triggers (with the same `Ui`, so it can
            /// read the new value from session state by the widget's key).
            pub fn on_change<R>(mut self, callback: impl Fn(&Ui) -> R + Send + Sync + 'static) -> Self {
                self.common.callback = Some($crate::ui::widgets::into_callback(callback));
                self
            }
        }
    )*};
}

mod buttons;
mod chart;
mod choices;
mod dataframe;
mod download;
mod editor;
mod numbers;
mod text;
mod toggles;
mod uploader;
mod vega;

pub use buttons::{Button, FormSubmit};
pub use chart::{
    ChartSelectMode, ChartSelectModes, ChartSelection, ColumnNames, DrawnChart, SelectableChart,
    SelectedPoint, SimpleChart, Stack, MAX_SELECTED_POINTS,
};
pub use choices::{Multiselect, OptionalRadio, OptionalSelectbox, Radio, Selectbox};
pub use dataframe::{
    Dataframe, DataframeSelection, DrawnFrame, SelectableDataframe, SelectionMode, SelectionModes,
};
pub(crate) use download::LazyDownload;
pub use download::{DownloadButton, DownloadData};
pub use editor::{DataEditor, FrameEditor, NumRows};
pub use numbers::{Number, NumberInput, RangeSlider, Slider};
pub use text::{TextArea, TextInput};
pub use toggles::{Checkbox, Toggle};
pub use uploader::{AudioInput, CameraInput, FileUploader, MultiFileUploader};
pub use vega::{SelectableVegaLite, VegaLite, VegaLiteSelection, MAX_SPEC_BYTES};

impl Ui {
    /// The machinery every widget shares: identity, duplicate detection, the
    /// stored value (or `default`), and drawing.
    ///
    /// `decode` turns the value the browser sent into `T` (and validates it:
    /// `None` falls back to `default`); `encode` is its inverse; `element`
    /// builds the element that shows the value, from the common fields.
    fn widget<T: Clone + 'static, S: Clone + Send + Sync + 'static>(
        &self,
        identity: Identity<'_, T, S>,
        default: T,
        decode: impl Fn(&Value) -> Option<T> + Send + Sync + 'static,
        encode: impl Fn(&T) -> Value,
        element: impl FnOnce(WidgetBase, &T) -> Element,
    ) -> T {
        let Identity {
            kind,
            base,
            key,
            callback,
            to_state,
            from_state,
        } = identity;
        let Some(session) = self.session() else {
            return default;
        };
        let id = base.id.clone();
        if !self.claim_widget_id(&id, kind.name(), &base.label) {
            return default;
        }
        // A value the app put under the widget's key (before drawing it)
        // wins over what the browser sent.
        let set_by_app =
            key.as_deref()
                .and_then(|key| match session.state.take_widget_override::<S>(key) {
                    Some(Ok(state)) => {
                        let value = from_state(&state);
                        if value.is_none() {
                            self.report(format!(
                                "session state `{key}` holds no valid value for the {kind} `{}`",
                                base.label
                            ));
                        }
                        value
                    }
                    Some(Err(error)) => {
                        self.report(error.to_string());
                        None
                    }
                    None => None,
                });
        let value = set_by_app.unwrap_or_else(|| {
            let sent = session.with_widgets(|widgets| widgets.value(&id).cloned());
            sent.and_then(|raw| decode(&raw))
                .unwrap_or_else(|| default.clone())
        });
        // A form cleared on submit: this run sees the submitted value, the
        // page shows the default again.
        let clears =
            matches!(self.form_context(), Some(form) if form.submitted && form.clear_on_submit);
        let shown = if clears { default } else { value.clone() };
        if clears {
            // The submitted value stays stored until the run has ended: a
            // cancelled submit run is delivered again, with its values.
            let reset = (id.clone(), encode(&shown));
            self.run().with_drawn(|drawn| drawn.form_resets.push(reset));
        }
        let disabled = base.disabled;
        let element = element(base, &shown);
        session.with_widgets(|widgets| {
            widgets.set_disabled(&id, disabled);
            widgets.store(&id, encode(&value));
            widgets.set_callback(&id, callback);
            // So that callbacks see a changed value under the key before
            // the widget is drawn again.
            let mirror = key.clone().map(|key| -> KeyMirror {
                let to_state = to_state.clone();
                Arc::new(move |raw: &Value, state: &crate::SessionState| {
                    if let Some(value) = decode(raw) {
                        state.mirror_widget(&key, to_state(&value));
                    }
                })
            });
            widgets.set_key_mirror(&id, mirror);
        });
        if let Some(key) = key {
            session.state.sync_widget(&key, to_state(&shown));
            self.run().with_drawn(|drawn| drawn.widget_keys.insert(key));
        }
        self.draw(element);
        value
    }

    /// Show a mistake in the app as an error element, and log it.
    fn report(&self, message: String) {
        self.show_error(&AppError::message(message));
    }

    /// Record `id` as drawn in this run; a duplicate draws an error instead.
    pub(crate) fn claim_widget_id(&self, id: &str, kind: &str, label: &str) -> bool {
        let fresh = self
            .run()
            .with_drawn(|drawn| drawn.widgets.insert(id.to_owned()));
        if !fresh {
            let message = format!(
                "There are two {kind} widgets labelled `{label}` with the same identity. \
                 Give each a unique key, e.g. `.key(\"{label}-2\")`."
            );
            self.show_error(&AppError::message(message));
        }
        fresh
    }
}

/// A callback from any closure over `&Ui` (its result is ignored).
pub(crate) fn into_callback<R>(callback: impl Fn(&Ui) -> R + Send + Sync + 'static) -> Callback {
    Arc::new(move |ui: &Ui| {
        callback(ui);
    })
}
