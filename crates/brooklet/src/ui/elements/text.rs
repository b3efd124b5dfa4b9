//! Text elements: title, headers, markdown, plain text, captions, code,
//! dividers.

use std::fmt::Display;

use crate::protocol::Element;
use crate::ui::markdown;
use crate::ui::{Drawn, Ui, Widget};

impl Ui {
    /// A page title.
    pub fn title(&self, text: impl Into<String>) -> Drawn {
        self.draw(Element::Title { text: text.into() }).into()
    }

    /// A section header.
    pub fn header(&self, text: impl Into<String>) -> Drawn {
        self.add(Header::new(text))
    }

    /// A sub-section header.
    pub fn subheader(&self, text: impl Into<String>) -> Drawn {
        self.add(Header::new(text).sub())
    }

    /// Markdown text (CommonMark with tables, strikethrough and task lists).
    /// Raw HTML in it is shown as text; see [`Markdown::unsafe_allow_html`].
    pub fn markdown(&self, text: impl Into<String>) -> Drawn {
        self.add(Markdown::new(text))
    }

    /// Fixed-width plain text, shown as is.
    pub fn text(&self, text: impl Into<String>) -> Drawn {
        self.draw(Element::Text { text: text.into() }).into()
    }

    /// Small grey text.
    pub fn caption(&self, text: impl Into<String>) -> Drawn {
        self.draw(Element::Caption { text: text.into() }).into()
    }

    /// A block of code; see [`Code::language`].
    pub fn code(&self, code: impl Into<String>) -> Drawn {
        self.add(Code::new(code))
    }

    /// A horizontal rule.
    pub fn divider(&self) -> Drawn {
        self.draw(Element::Divider).into()
    }

    /// Anything `Display`, rendered as markdown (so `&str` is markdown, and
    /// numbers and other values show as their text).
    pub fn write(&self, value: impl Display) -> Drawn {
        self.markdown(value.to_string())
    }
}

/// A header or sub-header, optionally with a divider under it; the short
/// forms are [`Ui::header`] and [`Ui::subheader`].
///
/// Options: [`sub`](Header::sub) (make it a sub-header),
/// [`divider`](Header::divider) (a rule under it).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     ui.add(Header::new("Sales").divider(true));
///     ui.add(Header::new("By region").sub());
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.texts("header"), vec!["Sales"]);
/// # assert_eq!(at.texts("subheader"), vec!["By region"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Header {
    text: String,
    sub: bool,
    divider: bool,
}

impl Header {
    /// A header with `text`.
    pub fn new(text: impl Into<String>) -> Header {
        Header {
            text: text.into(),
            sub: false,
            divider: false,
        }
    }
    /// Make it a sub-header.
    pub fn sub(mut self) -> Header {
        self.sub = true;
        self
    }
    /// Draw a divider under it.
    pub fn divider(mut self, divider: bool) -> Header {
        self.divider = divider;
        self
    }
}

impl Widget for Header {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let Header { text, sub, divider } = self;
        ui.draw(if sub {
            Element::Subheader { text, divider }
        } else {
            Element::Header { text, divider }
        })
        .into()
    }
}

/// Markdown text (CommonMark with tables, strikethrough and task lists);
/// the short form is [`Ui::markdown`]. Raw HTML in it is shown as text.
///
/// Options: [`unsafe_allow_html`](Markdown::unsafe_allow_html) (pass raw
/// HTML through; only for text you trust).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     ui.markdown("**Bold** and <b>escaped</b>");
///     ui.add(Markdown::new("<b>bold</b> from HTML").unsafe_allow_html(true));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.markdown().len(), 2);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Markdown {
    text: String,
    allow_html: bool,
}

impl Markdown {
    /// Markdown from `text`.
    pub fn new(text: impl Into<String>) -> Markdown {
        Markdown {
            text: text.into(),
            allow_html: false,
        }
    }

    /// Pass raw HTML in the text through to the page instead of escaping it.
    /// Only for text you trust: HTML from users can run scripts in the page.
    pub fn unsafe_allow_html(mut self, allow: bool) -> Markdown {
        self.allow_html = allow;
        self
    }
}

impl Widget for Markdown {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let html = markdown::to_html(&self.text, self.allow_html);
        ui.draw(Element::Markdown {
            text: self.text,
            html,
        })
        .into()
    }
}

/// A block of code, shown as is with a Copy button; the short form is
/// [`Ui::code`].
///
/// Options: [`language`](Code::language) (the language name shown with
/// it, e.g. `"rust"`).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     ui.add(Code::new("SELECT name FROM cities;").language("sql"));
///     ui.code("plain text");
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.texts("code"), vec!["SELECT name FROM cities;", "plain text"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Code {
    code: String,
    language: Option<String>,
}

impl Code {
    /// A block showing `code`.
    pub fn new(code: impl Into<String>) -> Code {
        Code {
            code: code.into(),
            language: None,
        }
    }
    /// The language name shown with it (e.g. `"rust"`).
    pub fn language(mut self, language: impl Into<String>) -> Code {
        self.language = Some(language.into());
        self
    }
}

impl Widget for Code {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        ui.draw(Element::Code {
            code: self.code,
            language: self.language,
        })
        .into()
    }
}
