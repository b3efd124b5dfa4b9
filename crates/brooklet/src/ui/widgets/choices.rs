//! Selectbox, radio and multiselect: widgets that choose among options
//! (shown by `Display`, returned as the option values).

use std::fmt::Display;

use serde_json::Value;

use super::Common;
use crate::protocol::{Element, WidgetBase, WidgetId, WidgetKind};
use crate::ui::{Ui, Widget};

impl Ui {
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
    kind: WidgetKind,
    common: Common,
    options: &[T],
    index: usize,
    element: impl FnOnce(WidgetBase, Vec<String>, u32) -> Element,
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
    let chosen = ui.widget(
        common.identity(kind, id).with_state(
            {
                let labels = state_labels.clone();
                move |i: &usize| labels.get(*i).cloned().unwrap_or_default()
            },
            |chosen: &String| state_labels.iter().position(|l| l == chosen),
        ),
        default,
        move |raw| decode_index(raw, len),
        |i| Value::from(*i),
        |base, i| element(base, labels, *i as u32),
    );
    options[chosen].clone()
}

impl<T: Clone + Display> Widget for Selectbox<'_, T> {
    type Output = T;
    fn add_to(self, ui: &Ui) -> T {
        single_choice(
            ui,
            WidgetKind::Selectbox,
            self.common,
            self.options,
            self.index,
            |base, options, index| Element::Selectbox {
                base,
                options,
                index,
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
            WidgetKind::Radio,
            self.common,
            self.options,
            self.index,
            |base, options, index| Element::Radio {
                base,
                options,
                index,
                horizontal,
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

common_options!(Selectbox<'a, T>, Radio<'a, T>, Multiselect<'a, T>);
on_change_option!(Selectbox<'a, T>, Radio<'a, T>, Multiselect<'a, T>);

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
