//! Layout blocks: containers, columns, expanders, tabs. Each returns the
//! `Ui`(s) that draw inside it; use them directly or with [`Ui::show`].
//!
//! ```
//! use brooklet::prelude::*;
//!
//! fn app(ui: &Ui) {
//!     let [left, right] = ui.columns(2).try_into().expect("two columns");
//!     left.metric("Rows", 1200);
//!     right.metric("Errors", 3);
//!     ui.expander("Details").show(|ui| ui.text("more"));
//!     let tabs = ui.tabs(&["Chart", "Data"]);
//!     tabs[1].text("data here");
//! }
//! ```

use super::{Ui, Widget};
use crate::protocol::Element;

impl Ui {
    /// A block; elements drawn into the returned `Ui` appear inside it, in
    /// order, even when drawn later or from another thread.
    pub fn container(&self) -> Ui {
        self.add(Container::new())
    }

    /// `n` side-by-side columns of equal width.
    pub fn columns(&self, n: usize) -> Vec<Ui> {
        self.add(Columns::new(n))
    }

    /// A collapsible block, closed at first; see [`Expander::expanded`].
    pub fn expander(&self, label: impl Into<String>) -> Ui {
        self.add(Expander::new(label))
    }

    /// Tabs with these labels; returns one `Ui` per tab.
    pub fn tabs<S: AsRef<str>>(&self, labels: &[S]) -> Vec<Ui> {
        let labels: Vec<String> = labels.iter().map(|l| l.as_ref().to_owned()).collect();
        let block = self.draw_block(Element::Tabs {
            labels: labels.clone(),
        });
        labels
            .into_iter()
            .map(|label| block.draw_block(Element::Tab { label }))
            .collect()
    }
}

/// A block: what is drawn into the `Ui` it returns appears inside it, in
/// order, even when drawn later or from another thread. The short form is
/// [`Ui::container`].
///
/// Options: [`border`](Container::border) (a border around it).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     let summary = ui.add(Container::new().border(true));
///     ui.text("details…");
///     summary.text("summary, shown above the details"); // drawn last
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["summary, shown above the details", "details…"]);
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Container {
    border: bool,
}

impl Container {
    /// A block without border.
    pub fn new() -> Container {
        Container::default()
    }
    /// Draw a border around it.
    pub fn border(mut self, border: bool) -> Container {
        self.border = border;
        self
    }
}

impl Widget for Container {
    type Output = Ui;
    fn add_to(self, ui: &Ui) -> Ui {
        ui.draw_block(Element::Container {
            border: self.border,
        })
    }
}

/// Side-by-side columns; adding it returns one `Ui` per column. They stack
/// on narrow screens. The short form is [`Ui::columns`].
///
/// Made by [`new`](Columns::new) (`n` equal columns) or
/// [`weighted`](Columns::weighted) (relative widths).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     let cols = ui.add(Columns::weighted(&[2.0, 1.0]));
///     cols[0].text("two thirds");
///     cols[1].metric("Errors", 3);
///     let [left, right] = <[Ui; 2]>::try_from(ui.columns(2)).expect("two");
///     left.text("half");
///     right.text("half");
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.elements().iter().filter(|el| el.kind() == "column").count(), 4);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Columns {
    widths: Vec<f64>,
}

impl Columns {
    /// `n` columns of equal width (at least one).
    pub fn new(n: usize) -> Columns {
        Columns {
            widths: vec![1.0; n.max(1)],
        }
    }
    /// Columns with these relative widths, e.g. `&[2.0, 1.0]`.
    pub fn weighted(widths: &[f64]) -> Columns {
        let widths: Vec<f64> = widths
            .iter()
            .map(|w| if w.is_finite() && *w > 0.0 { *w } else { 1.0 })
            .collect();
        if widths.is_empty() {
            return Columns::new(1);
        }
        Columns { widths }
    }
}

impl Widget for Columns {
    type Output = Vec<Ui>;
    fn add_to(self, ui: &Ui) -> Vec<Ui> {
        let n = self.widths.len();
        let row = ui.draw_block(Element::Columns {
            widths: self.widths,
        });
        (0..n).map(|_| row.draw_block(Element::Column)).collect()
    }
}

/// A collapsible block with a label, closed at first; adding it returns
/// the `Ui` that draws inside it. The short form is [`Ui::expander`].
///
/// Options: [`expanded`](Expander::expanded) (whether it starts open).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     ui.expander("Details").show(|ui| ui.text("hidden until opened"));
///     ui.add(Expander::new("Summary").expanded(true)).text("shown at once");
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text().len(), 2);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Expander {
    label: String,
    expanded: bool,
}

impl Expander {
    /// An expander with `label`, closed at first.
    pub fn new(label: impl Into<String>) -> Expander {
        Expander {
            label: label.into(),
            expanded: false,
        }
    }
    /// Whether it starts open.
    pub fn expanded(mut self, expanded: bool) -> Expander {
        self.expanded = expanded;
        self
    }
}

impl Widget for Expander {
    type Output = Ui;
    fn add_to(self, ui: &Ui) -> Ui {
        ui.draw_block(Element::Expander {
            label: self.label,
            expanded: self.expanded,
        })
    }
}
