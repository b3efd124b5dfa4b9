//! Text input and text area: widgets whose value is a `String`.

use serde_json::Value;

use super::Common;
use crate::protocol::{Element, WidgetKind};
use crate::ui::{Ui, Widget};

impl Ui {
    /// A one-line text field, empty at first.
    pub fn text_input(&self, label: impl Into<String>) -> String {
        self.add(TextInput::new(label))
    }

    /// A multi-line text field, empty at first.
    pub fn text_area(&self, label: impl Into<String>) -> String {
        self.add(TextArea::new(label))
    }
}

/// A one-line text field, sent on Enter or when it loses focus.
///
/// Options: [`value`](TextInput::value), [`placeholder`](TextInput::placeholder),
/// [`max_chars`](TextInput::max_chars), [`password`](TextInput::password),
/// and `key`, `help`, `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let name = ui.add(TextInput::new("Name").placeholder("Ada").max_chars(40));
///     let secret = ui.add(TextInput::new("Token").password(true));
///     ui.text(format!("{name} ({} characters of token)", secret.len()));
/// }
/// ```
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
        let id = common.id(WidgetKind::TextInput).finish();
        ui.widget(
            common.identity(WidgetKind::TextInput, id),
            value,
            move |raw| decode_text(raw, max_chars),
            |v| Value::String(v.clone()),
            |base, value| Element::TextInput {
                base,
                value: value.clone(),
                placeholder,
                max_chars,
                password,
            },
        )
    }
}

/// A multi-line text field.
///
/// Options: [`value`](TextArea::value), [`placeholder`](TextArea::placeholder),
/// [`height`](TextArea::height) (pixels), [`max_chars`](TextArea::max_chars),
/// and `key`, `help`, `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let notes = ui.add(TextArea::new("Notes").height(200).placeholder("Write here"));
///     ui.caption(format!("{} lines", notes.lines().count()));
/// }
/// ```
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
        let id = common.id(WidgetKind::TextArea).finish();
        ui.widget(
            common.identity(WidgetKind::TextArea, id),
            value,
            move |raw| decode_text(raw, max_chars),
            |v| Value::String(v.clone()),
            |base, value| Element::TextArea {
                base,
                value: value.clone(),
                placeholder,
                height,
                max_chars,
            },
        )
    }
}

common_options!(TextInput, TextArea);
on_change_option!(TextInput, TextArea);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_from_the_browser_is_a_string_cut_to_max_chars() {
        assert_eq!(decode_text(&json!("hello"), None).as_deref(), Some("hello"));
        // Characters, not bytes: "é" is two bytes.
        assert_eq!(decode_text(&json!("héllo"), Some(2)).as_deref(), Some("hé"));
        assert_eq!(decode_text(&json!(5), None), None);
        assert_eq!(decode_text(&json!(null), Some(3)), None);
    }
}
