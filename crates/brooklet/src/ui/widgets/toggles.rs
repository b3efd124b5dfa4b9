//! Checkbox and toggle: widgets whose value is a `bool`.

use serde_json::Value;

use super::Common;
use crate::protocol::{Element, WidgetKind};
use crate::ui::{Ui, Widget};

impl Ui {
    /// A checkbox, unchecked at first.
    pub fn checkbox(&self, label: impl Into<String>) -> bool {
        self.add(Checkbox::new(label))
    }

    /// An on/off switch, off at first.
    pub fn toggle(&self, label: impl Into<String>) -> bool {
        self.add(Toggle::new(label))
    }
}

/// A checkbox.
///
/// Options: [`value`](Checkbox::value) (checked at first), and those of
/// every widget: `key`, `help`, `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let terms = ui.add(Checkbox::new("I agree").value(true).key("terms"));
///     ui.text(format!("agreed: {terms}"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["agreed: true"]);
/// ```
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
        bool_widget(ui, WidgetKind::Checkbox, self.common, self.value)
    }
}

/// An on/off switch.
///
/// Options: [`value`](Toggle::value) (on at first), and `key`, `help`,
/// `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let dark = ui.add(Toggle::new("Dark mode").help("Applies at once"));
///     ui.text(if dark { "dark" } else { "light" });
/// }
/// ```
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
        bool_widget(ui, WidgetKind::Toggle, self.common, self.value)
    }
}

fn bool_widget(ui: &Ui, kind: WidgetKind, common: Common, default: bool) -> bool {
    let id = common.id(kind).finish();
    ui.widget(
        common.identity(kind, id),
        default,
        Value::as_bool,
        |v| Value::Bool(*v),
        |base, value| match kind {
            WidgetKind::Toggle => Element::Toggle {
                base,
                value: *value,
            },
            _ => Element::Checkbox {
                base,
                value: *value,
            },
        },
    )
}

common_options!(Checkbox, Toggle);
on_change_option!(Checkbox, Toggle);
