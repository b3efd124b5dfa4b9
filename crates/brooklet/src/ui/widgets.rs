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

use std::fmt::Display;
use std::ops::RangeInclusive;

use serde_json::Value;

use super::id::IdBuilder;
use super::{AppError, Clicked, Ui, Widget};
use crate::protocol::{Element, SliderValue, WidgetId};
use std::sync::Arc;

use super::{Callback, SessionContext};
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

    fn id(&self, kind: &str) -> IdBuilder {
        IdBuilder::new(kind, self.key.as_deref()).with(&self.label)
    }

    /// The widget's identity, with its value mirrored in session state as is
    /// (for a keyed widget).
    fn identity<'a, T: Clone + 'a>(
        &self,
        id: WidgetId,
        kind: &'a str,
        label: &'a str,
    ) -> Identity<'a, T, T> {
        Identity {
            id,
            kind,
            label,
            key: self.key.clone(),
            callback: self.callback.clone(),
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

/// Who a widget is: its id, kind and label (for error messages), its user
/// key and callback, and how its value `T` reads as the session-state value
/// `S` under its key (a selectbox's index is its option's label there).
struct Identity<'a, T, S> {
    id: WidgetId,
    kind: &'a str,
    label: &'a str,
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
            id: self.id,
            kind: self.kind,
            label: self.label,
            key: self.key,
            callback: self.callback,
            to_state: Arc::new(to_state),
            from_state: Box::new(from_state),
        }
    }
}

impl Ui {
    /// The machinery every widget shares: identity, duplicate detection, the
    /// stored value (or `default`), and drawing.
    ///
    /// `decode` turns the value the browser sent into `T` (and validates it:
    /// `None` falls back to `default`); `encode` is its inverse.
    fn widget<T: Clone + 'static, S: Clone + Send + Sync + 'static>(
        &self,
        identity: Identity<'_, T, S>,
        default: T,
        decode: impl Fn(&Value) -> Option<T> + Send + Sync + 'static,
        encode: impl Fn(&T) -> Value,
        element: impl FnOnce(WidgetId, &T) -> Element,
    ) -> T {
        let Identity {
            id,
            kind,
            label,
            key,
            callback,
            to_state,
            from_state,
        } = identity;
        let Some(session) = self.session() else {
            return default;
        };
        if !self.claim_widget_id(&id, kind, label) {
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
                            "session state `{key}` holds no valid value for the {kind} `{label}`"
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
        let element = element(id.clone(), &shown);
        session.with_widgets(|widgets| {
            widgets.set_disabled(&id, element.is_disabled());
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

    /// A button; `.clicked()` is true for exactly one run per press.
    pub fn button(&self, label: impl Into<String>) -> Clicked {
        self.add(Button::new(label))
    }

    /// A checkbox, unchecked at first.
    pub fn checkbox(&self, label: impl Into<String>) -> bool {
        self.add(Checkbox::new(label))
    }

    /// An on/off switch, off at first.
    pub fn toggle(&self, label: impl Into<String>) -> bool {
        self.add(Toggle::new(label))
    }

    /// A one-line text field, empty at first.
    pub fn text_input(&self, label: impl Into<String>) -> String {
        self.add(TextInput::new(label))
    }

    /// A multi-line text field, empty at first.
    pub fn text_area(&self, label: impl Into<String>) -> String {
        self.add(TextArea::new(label))
    }

    /// A number field starting at `value`; integer types give integer
    /// fields (`ui.number_input("Age", 30)` is an `i32`).
    pub fn number_input<N: Number>(&self, label: impl Into<String>, value: N) -> N {
        self.add(NumberInput::new(label, value))
    }

    /// A slider over `range`, starting at its low end.
    pub fn slider<N: Number>(&self, label: impl Into<String>, range: RangeInclusive<N>) -> N {
        self.add(Slider::new(label, range))
    }

    /// A two-handled slider over `range`, starting at the whole range.
    pub fn range_slider<N: Number>(
        &self,
        label: impl Into<String>,
        range: RangeInclusive<N>,
    ) -> (N, N) {
        self.add(RangeSlider::new(label, range))
    }

    /// A drop-down over `options` (shown by `Display`), starting at the first.
    ///
    /// # Panics
    /// When `options` is empty (the panic shows in the page).
    pub fn selectbox<T: Clone + Display>(&self, label: impl Into<String>, options: &[T]) -> T {
        self.add(Selectbox::new(label, options))
    }

    /// A multi-choice list over `options`; returns the chosen ones in the
    /// order they were chosen.
    pub fn multiselect<T: Clone + Display>(
        &self,
        label: impl Into<String>,
        options: &[T],
    ) -> Vec<T> {
        self.add(Multiselect::new(label, options))
    }

    /// Radio buttons over `options`, starting at the first.
    ///
    /// # Panics
    /// When `options` is empty (the panic shows in the page).
    pub fn radio<T: Clone + Display>(&self, label: impl Into<String>, options: &[T]) -> T {
        self.add(Radio::new(label, options))
    }
}

// ----- button -----

/// A push button.
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
        let id = common.id("button").finish();
        if !ui.claim_widget_id(&id, "button", &common.label) {
            return Clicked(false);
        }
        session.with_widgets(|widgets| widgets.set_callback(&id, common.callback.clone()));
        let disabled = common.disabled;
        let element = Element::Button {
            id: id.clone(),
            label: common.label,
            help: common.help,
            disabled,
            primary,
        };
        Clicked(draw_trigger(ui, &session, &id, element, disabled))
    }
}

/// A callback from any closure over `&Ui` (its result is ignored).
fn into_callback<R>(callback: impl Fn(&Ui) -> R + Send + Sync + 'static) -> Callback {
    Arc::new(move |ui: &Ui| {
        callback(ui);
    })
}

/// Draw a trigger widget (button, submit button), then take its press.
/// The press is taken after the draw (a checkpoint): once taken, it counts
/// as delivered.
fn draw_trigger(
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
        let id = IdBuilder::new("form_submit", common.key.as_deref())
            .with(&form.id)
            .with(&common.label)
            .finish();
        if !ui.claim_widget_id(&id, "form_submit", &common.label) {
            return false;
        }
        session.with_widgets(|widgets| {
            widgets.set_callback(&id, common.callback.clone());
            widgets.set_submit_form(&id, &form.id);
        });
        let disabled = common.disabled;
        let element = Element::FormSubmit {
            id: id.clone(),
            label: common.label,
            help: common.help,
            disabled,
            primary,
        };
        draw_trigger(ui, &session, &id, element, disabled)
    }
}

// ----- checkbox and toggle -----

/// A checkbox.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Checkbox {
    common: Common,
    value: bool,
}

impl Checkbox {
    /// A checkbox labelled `label`, unchecked at first.
    pub fn new(label: impl Into<String>) -> Checkbox {
        Checkbox {
            common: Common::new(label),
            value: false,
        }
    }
    /// Its value before the user changes it.
    pub fn value(mut self, value: bool) -> Checkbox {
        self.value = value;
        self
    }
}

impl Widget for Checkbox {
    type Output = bool;
    fn add_to(self, ui: &Ui) -> bool {
        bool_widget(ui, "checkbox", self.common, self.value)
    }
}

/// An on/off switch.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Toggle {
    common: Common,
    value: bool,
}

impl Toggle {
    /// A switch labelled `label`, off at first.
    pub fn new(label: impl Into<String>) -> Toggle {
        Toggle {
            common: Common::new(label),
            value: false,
        }
    }
    /// Its value before the user changes it.
    pub fn value(mut self, value: bool) -> Toggle {
        self.value = value;
        self
    }
}

impl Widget for Toggle {
    type Output = bool;
    fn add_to(self, ui: &Ui) -> bool {
        bool_widget(ui, "toggle", self.common, self.value)
    }
}

fn bool_widget(ui: &Ui, kind: &'static str, common: Common, default: bool) -> bool {
    let id = common.id(kind).finish();
    let label = common.label.clone();
    ui.widget(
        common.identity(id, kind, &label),
        default,
        Value::as_bool,
        |v| Value::Bool(*v),
        |id, value| {
            let (label, help, disabled, value) =
                (common.label, common.help, common.disabled, *value);
            if kind == "toggle" {
                Element::Toggle {
                    id,
                    label,
                    value,
                    help,
                    disabled,
                }
            } else {
                Element::Checkbox {
                    id,
                    label,
                    value,
                    help,
                    disabled,
                }
            }
        },
    )
}

// ----- text -----

/// A one-line text field.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct TextInput {
    common: Common,
    value: String,
    placeholder: Option<String>,
    max_chars: Option<u32>,
    password: bool,
}

impl TextInput {
    /// A text field labelled `label`, empty at first.
    pub fn new(label: impl Into<String>) -> TextInput {
        TextInput {
            common: Common::new(label),
            value: String::new(),
            placeholder: None,
            max_chars: None,
            password: false,
        }
    }
    /// Its value before the user changes it.
    pub fn value(mut self, value: impl Into<String>) -> TextInput {
        self.value = value.into();
        self
    }
    /// Grey hint shown while it is empty.
    pub fn placeholder(mut self, placeholder: impl Into<String>) -> TextInput {
        self.placeholder = Some(placeholder.into());
        self
    }
    /// Longest value accepted, in characters.
    pub fn max_chars(mut self, max: u32) -> TextInput {
        self.max_chars = Some(max);
        self
    }
    /// Mask what is typed.
    pub fn password(mut self, password: bool) -> TextInput {
        self.password = password;
        self
    }
}

fn decode_text(raw: &Value, max_chars: Option<u32>) -> Option<String> {
    let text = raw.as_str()?;
    Some(match max_chars {
        Some(max) => text.chars().take(max as usize).collect(),
        None => text.to_owned(),
    })
}

impl Widget for TextInput {
    type Output = String;
    fn add_to(self, ui: &Ui) -> String {
        let TextInput {
            common,
            value,
            placeholder,
            max_chars,
            password,
        } = self;
        let id = common.id("text_input").finish();
        let label = common.label.clone();
        ui.widget(
            common.identity(id, "text_input", &label),
            value,
            move |raw| decode_text(raw, max_chars),
            |v| Value::String(v.clone()),
            |id, value| Element::TextInput {
                id,
                label: common.label,
                value: value.clone(),
                placeholder,
                max_chars,
                password,
                help: common.help,
                disabled: common.disabled,
            },
        )
    }
}

/// A multi-line text field.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct TextArea {
    common: Common,
    value: String,
    placeholder: Option<String>,
    height: Option<u32>,
    max_chars: Option<u32>,
}

impl TextArea {
    /// A text area labelled `label`, empty at first.
    pub fn new(label: impl Into<String>) -> TextArea {
        TextArea {
            common: Common::new(label),
            value: String::new(),
            placeholder: None,
            height: None,
            max_chars: None,
        }
    }
    /// Its value before the user changes it.
    pub fn value(mut self, value: impl Into<String>) -> TextArea {
        self.value = value.into();
        self
    }
    /// Grey hint shown while it is empty.
    pub fn placeholder(mut self, placeholder: impl Into<String>) -> TextArea {
        self.placeholder = Some(placeholder.into());
        self
    }
    /// Height in pixels.
    pub fn height(mut self, pixels: u32) -> TextArea {
        self.height = Some(pixels);
        self
    }
    /// Longest value accepted, in characters.
    pub fn max_chars(mut self, max: u32) -> TextArea {
        self.max_chars = Some(max);
        self
    }
}

impl Widget for TextArea {
    type Output = String;
    fn add_to(self, ui: &Ui) -> String {
        let TextArea {
            common,
            value,
            placeholder,
            height,
            max_chars,
        } = self;
        let id = common.id("text_area").finish();
        let label = common.label.clone();
        ui.widget(
            common.identity(id, "text_area", &label),
            value,
            move |raw| decode_text(raw, max_chars),
            |v| Value::String(v.clone()),
            |id, value| Element::TextArea {
                id,
                label: common.label,
                value: value.clone(),
                placeholder,
                height,
                max_chars,
                help: common.help,
                disabled: common.disabled,
            },
        )
    }
}

// ----- numbers -----

/// A number type a numeric widget can return: the integer and float
/// primitives.
pub trait Number: Copy + PartialOrd + Display + Send + Sync + 'static {
    /// Whether the widget takes whole numbers only.
    const INTEGER: bool;
    /// As `f64` (the wire type).
    fn to_f64(self) -> f64;
    /// From `f64`, rounding and saturating for integer types.
    fn from_f64(value: f64) -> Self;
}

macro_rules! number {
    ($integer:expr => $($ty:ty),*) => {$(
        impl Number for $ty {
            const INTEGER: bool = $integer;
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn from_f64(value: f64) -> Self {
                if $integer { value.round() as $ty } else { value as $ty }
            }
        }
    )*};
}
number!(true => i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
number!(false => f32, f64);

/// Decode a wire number: finite, rounded for integers, within `min..=max`.
fn decode_number<N: Number>(raw: &Value, min: Option<N>, max: Option<N>) -> Option<N> {
    let value = raw.as_f64().filter(|v| v.is_finite())?;
    let mut value = if N::INTEGER { value.round() } else { value };
    if let Some(min) = min {
        value = value.max(min.to_f64());
    }
    if let Some(max) = max {
        value = value.min(max.to_f64());
    }
    Some(N::from_f64(value))
}

/// A number field with −/+ steppers.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct NumberInput<N> {
    common: Common,
    value: N,
    min: Option<N>,
    max: Option<N>,
    step: Option<N>,
}

impl<N: Number> NumberInput<N> {
    /// A number field labelled `label` starting at `value`.
    pub fn new(label: impl Into<String>, value: N) -> NumberInput<N> {
        NumberInput {
            common: Common::new(label),
            value,
            min: None,
            max: None,
            step: None,
        }
    }
    /// Smallest allowed value.
    pub fn min(mut self, min: N) -> Self {
        self.min = Some(min);
        self
    }
    /// Largest allowed value.
    pub fn max(mut self, max: N) -> Self {
        self.max = Some(max);
        self
    }
    /// Step of the −/+ buttons (default 1 for integers, 0.01 for floats).
    pub fn step(mut self, step: N) -> Self {
        self.step = Some(step);
        self
    }
}

impl<N: Number> Widget for NumberInput<N> {
    type Output = N;
    fn add_to(self, ui: &Ui) -> N {
        let NumberInput {
            common,
            value,
            min,
            max,
            step,
        } = self;
        let step = step
            .map(N::to_f64)
            .unwrap_or(if N::INTEGER { 1.0 } else { 0.01 });
        let id = common
            .id("number_input")
            .with(if N::INTEGER { "int" } else { "float" })
            .with_f64(min.map(N::to_f64).unwrap_or(f64::NEG_INFINITY))
            .with_f64(max.map(N::to_f64).unwrap_or(f64::INFINITY))
            .with_f64(step)
            .finish();
        let label = common.label.clone();
        let default = decode_number(&Value::from(value.to_f64()), min, max).unwrap_or(value);
        ui.widget(
            common.identity(id, "number_input", &label),
            default,
            move |raw| decode_number(raw, min, max),
            |v| Value::from(v.to_f64()),
            |id, value| Element::NumberInput {
                id,
                label: common.label,
                value: value.to_f64(),
                min: min.map(N::to_f64),
                max: max.map(N::to_f64),
                step,
                integer: N::INTEGER,
                help: common.help,
                disabled: common.disabled,
            },
        )
    }
}

/// Bounds and step of a slider, as wire numbers.
fn slider_bounds<N: Number>(range: &RangeInclusive<N>, step: Option<N>) -> (N, N, f64) {
    let (mut min, mut max) = (*range.start(), *range.end());
    if max < min {
        std::mem::swap(&mut min, &mut max);
    }
    let span = max.to_f64() - min.to_f64();
    let step = step
        .map(N::to_f64)
        .filter(|s| *s > 0.0)
        .unwrap_or(if N::INTEGER {
            1.0
        } else if span > 0.0 {
            span / 100.0
        } else {
            0.01
        });
    (min, max, step)
}

/// A slider over a range of numbers.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Slider<N> {
    common: Common,
    range: RangeInclusive<N>,
    value: Option<N>,
    step: Option<N>,
}

impl<N: Number> Slider<N> {
    /// A slider labelled `label` over `range`, starting at its low end.
    pub fn new(label: impl Into<String>, range: RangeInclusive<N>) -> Slider<N> {
        Slider {
            common: Common::new(label),
            range,
            value: None,
            step: None,
        }
    }
    /// Its value before the user changes it.
    pub fn value(mut self, value: N) -> Self {
        self.value = Some(value);
        self
    }
    /// The step (default 1 for integers, 1/100 of the range for floats).
    pub fn step(mut self, step: N) -> Self {
        self.step = Some(step);
        self
    }
}

impl<N: Number> Widget for Slider<N> {
    type Output = N;
    fn add_to(self, ui: &Ui) -> N {
        let Slider {
            common,
            range,
            value,
            step,
        } = self;
        let (min, max, step) = slider_bounds(&range, step);
        let id = common
            .id("slider")
            .with_f64(min.to_f64())
            .with_f64(max.to_f64())
            .with_f64(step)
            .finish();
        let label = common.label.clone();
        let default = value
            .and_then(|v| decode_number(&Value::from(v.to_f64()), Some(min), Some(max)))
            .unwrap_or(min);
        ui.widget(
            common.identity(id, "slider", &label),
            default,
            move |raw| decode_number(raw, Some(min), Some(max)),
            |v| Value::from(v.to_f64()),
            |id, value| Element::Slider {
                id,
                label: common.label,
                value: SliderValue::Single(value.to_f64()),
                min: min.to_f64(),
                max: max.to_f64(),
                step,
                integer: N::INTEGER,
                help: common.help,
                disabled: common.disabled,
            },
        )
    }
}

/// A two-handled slider selecting a sub-range.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct RangeSlider<N> {
    common: Common,
    range: RangeInclusive<N>,
    value: Option<(N, N)>,
    step: Option<N>,
}

impl<N: Number> RangeSlider<N> {
    /// A range slider labelled `label` over `range`, starting at all of it.
    pub fn new(label: impl Into<String>, range: RangeInclusive<N>) -> RangeSlider<N> {
        RangeSlider {
            common: Common::new(label),
            range,
            value: None,
            step: None,
        }
    }
    /// Its value before the user changes it.
    pub fn value(mut self, low: N, high: N) -> Self {
        self.value = Some((low, high));
        self
    }
    /// The step (default 1 for integers, 1/100 of the range for floats).
    pub fn step(mut self, step: N) -> Self {
        self.step = Some(step);
        self
    }
}

fn decode_pair<N: Number>(raw: &Value, min: N, max: N) -> Option<(N, N)> {
    let items = raw.as_array()?;
    let [low, high] = items.as_slice() else {
        return None;
    };
    let low = decode_number(low, Some(min), Some(max))?;
    let high = decode_number(high, Some(min), Some(max))?;
    Some(if high < low { (high, low) } else { (low, high) })
}

impl<N: Number> Widget for RangeSlider<N> {
    type Output = (N, N);
    fn add_to(self, ui: &Ui) -> (N, N) {
        let RangeSlider {
            common,
            range,
            value,
            step,
        } = self;
        let (min, max, step) = slider_bounds(&range, step);
        let id = common
            .id("range_slider")
            .with_f64(min.to_f64())
            .with_f64(max.to_f64())
            .with_f64(step)
            .finish();
        let label = common.label.clone();
        let encode = |v: &(N, N)| Value::from(vec![v.0.to_f64(), v.1.to_f64()]);
        let default = value
            .and_then(|v| decode_pair(&encode(&v), min, max))
            .unwrap_or((min, max));
        ui.widget(
            common.identity(id, "slider", &label),
            default,
            move |raw| decode_pair(raw, min, max),
            encode,
            |id, value| Element::Slider {
                id,
                label: common.label,
                value: SliderValue::Range([value.0.to_f64(), value.1.to_f64()]),
                min: min.to_f64(),
                max: max.to_f64(),
                step,
                integer: N::INTEGER,
                help: common.help,
                disabled: common.disabled,
            },
        )
    }
}

// ----- choices -----

fn option_labels<T: Display>(options: &[T]) -> Vec<String> {
    options.iter().map(ToString::to_string).collect()
}

fn choice_id(common: &Common, kind: &str, labels: &[String]) -> WidgetId {
    labels
        .iter()
        .fold(common.id(kind), |id, label| id.with(label))
        .finish()
}

fn decode_index(raw: &Value, len: usize) -> Option<usize> {
    raw.as_u64().map(|i| i as usize).filter(|i| *i < len)
}

/// A drop-down choosing one of `options`.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Selectbox<'a, T> {
    common: Common,
    options: &'a [T],
    index: usize,
}

impl<'a, T: Clone + Display> Selectbox<'a, T> {
    /// A drop-down labelled `label` over `options`, at the first option.
    pub fn new(label: impl Into<String>, options: &'a [T]) -> Selectbox<'a, T> {
        Selectbox {
            common: Common::new(label),
            options,
            index: 0,
        }
    }
    /// The option chosen before the user changes it.
    pub fn index(mut self, index: usize) -> Self {
        self.index = index;
        self
    }
}

/// The one-of-many widgets share everything but their element.
fn single_choice<T: Clone + Display>(
    ui: &Ui,
    kind: &'static str,
    common: Common,
    options: &[T],
    index: usize,
    element: impl FnOnce(WidgetId, Common, Vec<String>, u32) -> Element,
) -> T {
    assert!(
        !options.is_empty(),
        "{kind} `{}` needs at least one option",
        common.label
    );
    let labels = option_labels(options);
    let id = choice_id(&common, kind, &labels);
    let state_labels = labels.clone();
    let len = options.len();
    let default = index.min(len - 1);
    let label = common.label.clone();
    let chosen = ui.widget(
        common.identity(id, kind, &label).with_state(
            {
                let labels = state_labels.clone();
                move |i: &usize| labels.get(*i).cloned().unwrap_or_default()
            },
            |chosen: &String| state_labels.iter().position(|l| l == chosen),
        ),
        default,
        move |raw| decode_index(raw, len),
        |i| Value::from(*i),
        |id, i| element(id, common, labels, *i as u32),
    );
    options[chosen].clone()
}

impl<T: Clone + Display> Widget for Selectbox<'_, T> {
    type Output = T;
    fn add_to(self, ui: &Ui) -> T {
        single_choice(
            ui,
            "selectbox",
            self.common,
            self.options,
            self.index,
            |id, common, options, index| Element::Selectbox {
                id,
                label: common.label,
                options,
                index,
                help: common.help,
                disabled: common.disabled,
            },
        )
    }
}

/// Radio buttons choosing one of `options`.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Radio<'a, T> {
    common: Common,
    options: &'a [T],
    index: usize,
    horizontal: bool,
}

impl<'a, T: Clone + Display> Radio<'a, T> {
    /// Radio buttons labelled `label` over `options`, at the first option.
    pub fn new(label: impl Into<String>, options: &'a [T]) -> Radio<'a, T> {
        Radio {
            common: Common::new(label),
            options,
            index: 0,
            horizontal: false,
        }
    }
    /// The option chosen before the user changes it.
    pub fn index(mut self, index: usize) -> Self {
        self.index = index;
        self
    }
    /// Lay the options out in a row.
    pub fn horizontal(mut self, horizontal: bool) -> Self {
        self.horizontal = horizontal;
        self
    }
}

impl<T: Clone + Display> Widget for Radio<'_, T> {
    type Output = T;
    fn add_to(self, ui: &Ui) -> T {
        let horizontal = self.horizontal;
        single_choice(
            ui,
            "radio",
            self.common,
            self.options,
            self.index,
            |id, common, options, index| Element::Radio {
                id,
                label: common.label,
                options,
                index,
                horizontal,
                help: common.help,
                disabled: common.disabled,
            },
        )
    }
}

/// A multi-choice list over `options`.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Multiselect<'a, T> {
    common: Common,
    options: &'a [T],
    selected: Vec<usize>,
    placeholder: Option<String>,
}

impl<'a, T: Clone + Display> Multiselect<'a, T> {
    /// A multiselect labelled `label` over `options`, with nothing chosen.
    pub fn new(label: impl Into<String>, options: &'a [T]) -> Multiselect<'a, T> {
        Multiselect {
            common: Common::new(label),
            options,
            selected: Vec::new(),
            placeholder: None,
        }
    }
    /// The options (by index) chosen before the user changes them.
    pub fn selected(mut self, indices: &[usize]) -> Self {
        self.selected = indices.to_vec();
        self
    }
    /// Grey hint shown while nothing is chosen.
    pub fn placeholder(mut self, placeholder: impl Into<String>) -> Self {
        self.placeholder = Some(placeholder.into());
        self
    }
}

fn decode_indices(raw: &Value, len: usize) -> Option<Vec<usize>> {
    let mut chosen = Vec::new();
    for item in raw.as_array()? {
        let index = decode_index(item, len)?;
        if !chosen.contains(&index) {
            chosen.push(index);
        }
    }
    Some(chosen)
}

impl<T: Clone + Display> Widget for Multiselect<'_, T> {
    type Output = Vec<T>;
    fn add_to(self, ui: &Ui) -> Vec<T> {
        let Multiselect {
            common,
            options,
            selected,
            placeholder,
        } = self;
        let labels = option_labels(options);
        let id = choice_id(&common, "multiselect", &labels);
        let state_labels = labels.clone();
        let len = options.len();
        let label = common.label.clone();
        let default =
            decode_indices(&Value::from(selected.clone()), options.len()).unwrap_or_default();
        let chosen = ui.widget(
            common.identity(id, "multiselect", &label).with_state(
                {
                    let labels = state_labels.clone();
                    move |chosen: &Vec<usize>| {
                        chosen
                            .iter()
                            .filter_map(|i| labels.get(*i).cloned())
                            .collect::<Vec<String>>()
                    }
                },
                |names: &Vec<String>| {
                    names
                        .iter()
                        .map(|name| state_labels.iter().position(|l| l == name))
                        .collect::<Option<Vec<usize>>>()
                },
            ),
            default,
            move |raw| decode_indices(raw, len),
            |v| Value::from(v.clone()),
            |id, chosen| Element::Multiselect {
                id,
                label: common.label,
                options: labels,
                selected: chosen.iter().map(|i| *i as u32).collect(),
                placeholder,
                help: common.help,
                disabled: common.disabled,
            },
        );
        chosen.into_iter().map(|i| options[i].clone()).collect()
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
                self.common.callback = Some(into_callback(callback));
                self
            }
        }
    )*};
}

on_change_option!(
    Checkbox,
    Toggle,
    TextInput,
    TextArea,
    NumberInput<N>,
    Slider<N>,
    RangeSlider<N>,
    Selectbox<'a, T>,
    Radio<'a, T>,
    Multiselect<'a, T>,
);

common_options!(
    FormSubmit,
    Button,
    Checkbox,
    Toggle,
    TextInput,
    TextArea,
    NumberInput<N>,
    Slider<N>,
    RangeSlider<N>,
    Selectbox<'a, T>,
    Radio<'a, T>,
    Multiselect<'a, T>,
);
