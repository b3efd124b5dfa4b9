//! Selectbox, radio and multiselect: widgets that choose among options
//! (shown by `Display`, returned as the option values).

use std::fmt::Display;

use serde_json::Value;

use std::panic::Location;

use super::Common;
use crate::protocol::{Element, WidgetBase, WidgetId, WidgetKind};
use crate::run::AppError;
use crate::ui::{Ui, Widget};

impl Ui {
    /// A drop-down over `options` (shown by `Display`), starting at the first.
    /// For a list that may be empty, or "nothing chosen yet", use
    /// [`Selectbox::optional`], which returns an `Option<T>`.
    ///
    /// # Panics
    /// When `options` is empty: a mistake in the app, shown in the page at
    /// the line of this call.
    #[track_caller]
    pub fn selectbox<T: Clone + Display>(&self, label: impl Into<String>, options: &[T]) -> T {
        self.add(Selectbox::new(label, options))
    }

    /// A multi-choice list over `options`; returns the chosen ones in the
    /// order they were chosen (none when `options` is empty).
    pub fn multiselect<T: Clone + Display>(
        &self,
        label: impl Into<String>,
        options: &[T],
    ) -> Vec<T> {
        self.add(Multiselect::new(label, options))
    }

    /// Radio buttons over `options`, starting at the first. For a list that
    /// may be empty, or "nothing chosen yet", use [`Radio::optional`].
    ///
    /// # Panics
    /// When `options` is empty: a mistake in the app, shown in the page at
    /// the line of this call.
    #[track_caller]
    pub fn radio<T: Clone + Display>(&self, label: impl Into<String>, options: &[T]) -> T {
        self.add(Radio::new(label, options))
    }
}

fn option_labels<T: Display>(options: &[T]) -> Vec<String> {
    options.iter().map(ToString::to_string).collect()
}

fn choice_id(common: &Common, kind: WidgetKind, labels: &[String]) -> WidgetId {
    labels
        .iter()
        .fold(common.id(kind), |id, label| id.with(label))
        .finish()
}

fn decode_index(raw: &Value, len: usize) -> Option<usize> {
    raw.as_u64().map(|i| i as usize).filter(|i| *i < len)
}

/// A choice that may be "nothing": `null`, or an index into the options.
/// The outer `None` is the decoders' "invalid" (keep the default), the inner
/// one the widget's value "nothing chosen".
#[allow(clippy::option_option)]
fn decode_optional_index(raw: &Value, len: usize) -> Option<Option<usize>> {
    if raw.is_null() {
        return Some(None);
    }
    decode_index(raw, len).map(Some)
}

/// The position of `value` among `options`, for defaults given by value.
fn position_of<T: PartialEq>(options: &[T], value: &T) -> Option<usize> {
    options.iter().position(|option| option == value)
}

/// Where the preselected option comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Preselect {
    /// By position.
    Index(usize),
    /// By value: it was not among the options (reported in the page).
    Missing,
    /// Nothing (optional choices only).
    Nothing,
}

/// `index` and `value`, the first choice by position or by value, for the
/// one-of-many widgets.
macro_rules! preselect_options {
    ($($ty:ident),* $(,)?) => {$(
        impl<T: Clone + Display> $ty<'_, T> {
            /// The option chosen before the user changes it, by position (an
            /// error in the page when there is no such option).
            pub fn index(mut self, index: usize) -> Self {
                self.preselect = Preselect::Index(index);
                self
            }
            /// The option chosen before the user changes it, by value (an
            /// error in the page when it is not among the options).
            pub fn value(mut self, value: &T) -> Self
            where
                T: PartialEq,
            {
                self.preselect =
                    position_of(self.options, value).map_or(Preselect::Missing, Preselect::Index);
                self
            }
        }
    )*};
}

preselect_options!(Selectbox, OptionalSelectbox, Radio, OptionalRadio);

/// A drop-down choosing one of `options`.
///
/// Options: [`index`](Selectbox::index) or [`value`](Selectbox::value) (the
/// option chosen at first), [`optional`](Selectbox::optional) (nothing
/// chosen at first, an `Option<T>` back), and those of every widget
/// (`key`, `help`, `disabled`, `on_change`).
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let cities = ["Oslo", "Lima", "Pune"];
///     let city = ui.add(Selectbox::new("City", &cities).value(&"Lima"));
///     let other = ui.add(Selectbox::new("Other city", &cities).optional().placeholder("Pick one"));
///     ui.text(format!("{city}, {other:?}"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["Lima, None"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Selectbox<'a, T> {
    common: Common,
    options: &'a [T],
    preselect: Preselect,
    /// Where the app created it (an empty list is reported there).
    at: &'static Location<'static>,
}

impl<'a, T: Clone + Display> Selectbox<'a, T> {
    /// A drop-down labelled `label` over `options`, at the first option.
    #[track_caller]
    pub fn new(label: impl Into<String>, options: &'a [T]) -> Selectbox<'a, T> {
        Selectbox {
            common: Common::new(label),
            options,
            preselect: Preselect::Index(0),
            at: Location::caller(),
        }
    }
    /// A drop-down that may hold no choice: it starts with none (showing a
    /// placeholder) and returns `Option<T>`; an empty list is fine.
    pub fn optional(self) -> OptionalSelectbox<'a, T> {
        OptionalSelectbox {
            common: self.common,
            options: self.options,
            preselect: Preselect::Nothing,
            placeholder: None,
        }
    }
}

/// A drop-down that may hold no choice; see [`Selectbox::optional`].
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct OptionalSelectbox<'a, T> {
    common: Common,
    options: &'a [T],
    preselect: Preselect,
    placeholder: Option<String>,
}

impl<T: Clone + Display> OptionalSelectbox<'_, T> {
    /// The text shown while nothing is chosen (default "Choose an option").
    pub fn placeholder(mut self, text: impl Into<String>) -> Self {
        self.placeholder = Some(text.into());
        self
    }
}

/// An app's mistake a widget cannot recover from: the run ends with it,
/// shown at the app's line.
fn no_options(kind: WidgetKind, label: &str, at: &Location<'_>) -> ! {
    let (ty, alternative) = match kind {
        WidgetKind::Radio => ("Radio", "Radio::new(..).optional()"),
        _ => ("Selectbox", "Selectbox::new(..).optional()"),
    };
    crate::run::fail(AppError {
        message: format!(
            "the {kind} `{label}` has no options, so it has no value to return. \
             For a list that may be empty, use `ui.add({alternative})`, which returns \
             an Option and shows a placeholder while nothing is chosen (a {ty} that \
             may hold no choice)."
        ),
        location: Some(format!("{}:{}:{}", at.file(), at.line(), at.column())),
        detail: None,
    })
}

/// The one-of-many widgets share everything but their element: returns the
/// chosen position, or `None` (optional choices only).
///
/// Under its key, session state holds the chosen option's label: a `String`
/// for a required choice, an `Option<String>` for an optional one (`S`;
/// `label_state` and `state_label` convert).
#[allow(clippy::too_many_arguments)]
fn single_choice<T: Clone + Display, S: Clone + Send + Sync + 'static>(
    ui: &Ui,
    kind: WidgetKind,
    common: Common,
    options: &[T],
    preselect: Preselect,
    optional: bool,
    label_state: fn(Option<String>) -> S,
    state_label: fn(&S) -> Option<String>,
    element: impl FnOnce(WidgetBase, Vec<String>, Option<u32>) -> Element,
) -> Option<usize> {
    let labels = option_labels(options);
    let id = choice_id(&common, kind, &labels);
    let len = options.len();
    let default = match preselect {
        Preselect::Index(i) if i < len => Some(i),
        Preselect::Index(i) => {
            ui.report(format!(
                "the {kind} `{}` has {len} options; index {i} was asked for, so it starts at {}",
                common.label,
                if optional { "no choice" } else { "the first" }
            ));
            (!optional).then_some(0)
        }
        Preselect::Missing => {
            ui.report(format!(
                "the {kind} `{}` was given a value that is not among its options, so it starts at {}",
                common.label,
                if optional { "no choice" } else { "the first" }
            ));
            (!optional).then_some(0)
        }
        Preselect::Nothing => None,
    };
    let state_labels = labels.clone();
    let to_state = {
        let labels = state_labels.clone();
        move |i: &Option<usize>| label_state(i.and_then(|i| labels.get(i).cloned()))
    };
    let from_state = |state: &S| match state_label(state) {
        Some(chosen) => state_labels.iter().position(|l| *l == chosen).map(Some),
        None => optional.then_some(None),
    };
    let decode = move |raw: &Value| match decode_optional_index(raw, len) {
        Some(None) if !optional => None,
        decoded => decoded,
    };
    ui.widget(
        common.identity(kind, id).with_state(to_state, from_state),
        default,
        decode,
        |i| i.map_or(Value::Null, Value::from),
        |base, i| element(base, labels, i.map(|i| i as u32)),
    )
}

/// A choice that always holds an option: an empty list is the app's mistake
/// (reported at `at`, the app's line); its session-state value is the
/// chosen option's label, a `String`.
fn required_choice<T: Clone + Display>(
    ui: &Ui,
    kind: WidgetKind,
    common: Common,
    options: &[T],
    preselect: Preselect,
    at: &Location<'_>,
    element: impl FnOnce(WidgetBase, Vec<String>, Option<u32>) -> Element,
) -> T {
    if options.is_empty() {
        no_options(kind, &common.label, at);
    }
    let chosen = single_choice(
        ui,
        kind,
        common,
        options,
        preselect,
        false,
        Option::unwrap_or_default,
        |label: &String| Some(label.clone()),
        element,
    );
    // The engine falls back to the default, which is `Some` for a
    // non-empty list.
    options[chosen.unwrap_or(0)].clone()
}

/// A choice that may hold nothing; its session-state value is an
/// `Option<String>`.
fn optional_choice<T: Clone + Display>(
    ui: &Ui,
    kind: WidgetKind,
    common: Common,
    options: &[T],
    preselect: Preselect,
    element: impl FnOnce(WidgetBase, Vec<String>, Option<u32>) -> Element,
) -> Option<T> {
    let chosen = single_choice(
        ui,
        kind,
        common,
        options,
        preselect,
        true,
        |label| label,
        Option::clone,
        element,
    );
    chosen.and_then(|i| options.get(i).cloned())
}

impl<T: Clone + Display> Widget for Selectbox<'_, T> {
    type Output = T;
    fn add_to(self, ui: &Ui) -> T {
        required_choice(
            ui,
            WidgetKind::Selectbox,
            self.common,
            self.options,
            self.preselect,
            self.at,
            |base, options, index| Element::Selectbox {
                base,
                options,
                index,
                placeholder: None,
            },
        )
    }
}

impl<T: Clone + Display> Widget for OptionalSelectbox<'_, T> {
    type Output = Option<T>;
    fn add_to(self, ui: &Ui) -> Option<T> {
        let placeholder = self
            .placeholder
            .unwrap_or_else(|| "Choose an option".to_owned());
        optional_choice(
            ui,
            WidgetKind::Selectbox,
            self.common,
            self.options,
            self.preselect,
            |base, options, index| Element::Selectbox {
                base,
                options,
                index,
                placeholder: Some(placeholder),
            },
        )
    }
}

/// Radio buttons choosing one of `options`.
///
/// Options: [`index`](Radio::index) or [`value`](Radio::value),
/// [`horizontal`](Radio::horizontal), [`optional`](Radio::optional) (none
/// chosen at first, an `Option<T>` back), and those of every widget.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let size = ui.add(Radio::new("Size", &["S", "M", "L"]).value(&"M").horizontal(true));
///     ui.text(size);
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["M"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Radio<'a, T> {
    common: Common,
    options: &'a [T],
    preselect: Preselect,
    horizontal: bool,
    at: &'static Location<'static>,
}

impl<'a, T: Clone + Display> Radio<'a, T> {
    /// Radio buttons labelled `label` over `options`, at the first option.
    #[track_caller]
    pub fn new(label: impl Into<String>, options: &'a [T]) -> Radio<'a, T> {
        Radio {
            common: Common::new(label),
            options,
            preselect: Preselect::Index(0),
            horizontal: false,
            at: Location::caller(),
        }
    }
    /// Lay the options out in a row.
    pub fn horizontal(mut self, horizontal: bool) -> Self {
        self.horizontal = horizontal;
        self
    }
    /// Radio buttons that may hold no choice: none is chosen at first, and
    /// the widget returns `Option<T>`; an empty list is fine.
    pub fn optional(self) -> OptionalRadio<'a, T> {
        OptionalRadio {
            common: self.common,
            options: self.options,
            preselect: Preselect::Nothing,
            horizontal: self.horizontal,
        }
    }
}

/// Radio buttons that may hold no choice; see [`Radio::optional`].
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct OptionalRadio<'a, T> {
    common: Common,
    options: &'a [T],
    preselect: Preselect,
    horizontal: bool,
}

impl<T: Clone + Display> OptionalRadio<'_, T> {
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
        required_choice(
            ui,
            WidgetKind::Radio,
            self.common,
            self.options,
            self.preselect,
            self.at,
            |base, options, index| Element::Radio {
                base,
                options,
                index,
                horizontal,
            },
        )
    }
}

impl<T: Clone + Display> Widget for OptionalRadio<'_, T> {
    type Output = Option<T>;
    fn add_to(self, ui: &Ui) -> Option<T> {
        let horizontal = self.horizontal;
        optional_choice(
            ui,
            WidgetKind::Radio,
            self.common,
            self.options,
            self.preselect,
            |base, options, index| Element::Radio {
                base,
                options,
                index,
                horizontal,
            },
        )
    }
}

/// A multi-choice list over `options`; returns the chosen ones in the order
/// they were chosen.
///
/// Options: [`selected`](Multiselect::selected) (by position) or
/// [`values`](Multiselect::values) (by value), [`placeholder`](Multiselect::placeholder),
/// and `key`, `help`, `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let tags = ui.add(Multiselect::new("Tags", &["red", "green", "blue"]).values(&["blue"]));
///     ui.text(tags.join(", "));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["blue"]);
/// ```
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
    /// The options chosen at first, by value (values not among the options
    /// are left out).
    pub fn values(mut self, values: &[T]) -> Self
    where
        T: PartialEq,
    {
        self.selected = values
            .iter()
            .filter_map(|value| position_of(self.options, value))
            .collect();
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
        let id = choice_id(&common, WidgetKind::Multiselect, &labels);
        let state_labels = labels.clone();
        let len = options.len();
        let default =
            decode_indices(&Value::from(selected.clone()), options.len()).unwrap_or_default();
        let chosen = ui.widget(
            common.identity(WidgetKind::Multiselect, id).with_state(
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
            |base, chosen| Element::Multiselect {
                base,
                options: labels,
                selected: chosen.iter().map(|i| *i as u32).collect(),
                placeholder,
            },
        );
        chosen.into_iter().map(|i| options[i].clone()).collect()
    }
}

common_options!(
    Selectbox<'a, T>,
    OptionalSelectbox<'a, T>,
    Radio<'a, T>,
    OptionalRadio<'a, T>,
    Multiselect<'a, T>,
);
on_change_option!(
    Selectbox<'a, T>,
    OptionalSelectbox<'a, T>,
    Radio<'a, T>,
    OptionalRadio<'a, T>,
    Multiselect<'a, T>,
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_index_from_the_browser_must_name_an_option() {
        assert_eq!(decode_index(&json!(2), 3), Some(2));
        assert_eq!(decode_index(&json!(3), 3), None);
        assert_eq!(decode_index(&json!(-1), 3), None);
        assert_eq!(decode_index(&json!("1"), 3), None);
    }

    #[test]
    fn a_selection_keeps_its_order_and_drops_repeats() {
        assert_eq!(decode_indices(&json!([2, 0, 2]), 3), Some(vec![2, 0]));
        assert_eq!(decode_indices(&json!([]), 3), Some(vec![]));
        assert_eq!(
            decode_indices(&json!([0, 5]), 3),
            None,
            "one bad index refuses all"
        );
        assert_eq!(decode_indices(&json!(1), 3), None);
    }
}
