//! The dataframe: a grid whose rows stay on the server (see `crate::data`).
//! Drawn plain it is an element; with [`Dataframe::on_select`] it is a
//! widget whose value is the selection.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::Common;
use crate::data::columns::{resolve_for, Resolved};
use crate::data::view::FrameView;
use crate::data::{Column, Frame, FrameError, IntoFrame};
use crate::protocol::{
    Element, Grid, GridSelection, SelectMode, SelectionValue, WidgetKind, WindowRows,
};
use crate::run::AppError;
use crate::ui::{Ui, Widget};

/// Rows sent with the element, so the first screen needs no round trip.
pub(crate) const HEAD_ROWS: usize = 50;

impl Ui {
    /// An interactive table of rows of any `Serialize` type, an Arrow
    /// batch or a [`Frame`]: the rows stay on the server, and the page
    /// shows, sorts and searches any number of them. See [`Dataframe`] for
    /// the options (column formats, selection, height, …).
    pub fn dataframe(&self, data: impl IntoFrame) -> DrawnFrame {
        self.add(Dataframe::new(data))
    }
}

/// An interactive table; the short form is [`Ui::dataframe`].
///
/// The data stays on the server in Arrow's columnar form: the page gets
/// the columns and the first rows, and asks for the rows it scrolls to, so
/// 10,000,000 rows show as fast as 100. Sorting (click a header) and the
/// toolbar's search run on the server; the toolbar also downloads the view
/// as CSV, shows the grid full screen and hides columns.
///
/// Options: [`column`](Dataframe::column) (a [`Column`] configuration:
/// type, label, format, width, …), [`column_order`](Dataframe::column_order),
/// [`hide_index`](Dataframe::hide_index), [`height`](Dataframe::height),
/// [`width`](Dataframe::width), [`toolbar`](Dataframe::toolbar), and
/// [`on_select`](Dataframe::on_select), which makes rows or columns
/// selectable and returns the selection.
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::data::Column;
///
/// #[derive(serde::Serialize)]
/// struct Reading {
///     id: u32,
///     value: f64,
/// }
///
/// fn app(ui: &Ui) {
///     let rows: Vec<Reading> = (0..10_000)
///         .map(|id| Reading { id, value: f64::from(id) / 3.0 })
///         .collect();
///     ui.add(
///         Dataframe::new(&rows)
///             .column("value", Column::number().format("%.2f"))
///             .height(240),
///     );
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # let grid = at.dataframe(0);
/// # assert_eq!(grid.row_count(), 10_000);
/// # assert_eq!(grid.cell_text(1, "value").as_deref(), Some("0.33"));
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Dataframe {
    pub(super) frame: Result<Frame, FrameError>,
    columns: Vec<(String, Column)>,
    order: Option<Vec<String>>,
    hide_index: bool,
    height: u32,
    width: Option<u32>,
    toolbar: bool,
}

impl Dataframe {
    /// A dataframe of `data`: rows of a `Serialize` type (`&rows`), a
    /// [`Frame`], an Arrow `RecordBatch`, …
    pub fn new(data: impl IntoFrame) -> Dataframe {
        Dataframe {
            frame: data.into_frame(),
            columns: Vec::new(),
            order: None,
            hide_index: false,
            height: 0,
            width: None,
            toolbar: true,
        }
    }
    /// How the column `name` shows: a [`Column`], or just its label.
    pub fn column(mut self, name: impl Into<String>, config: impl Into<Column>) -> Dataframe {
        self.columns.push((name.into(), config.into()));
        self
    }
    /// Show only these columns, in this order.
    pub fn column_order<S: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = S>,
    ) -> Dataframe {
        self.order = Some(names.into_iter().map(Into::into).collect());
        self
    }
    /// Hide the index column (each row's position in the data).
    pub fn hide_index(mut self, hide: bool) -> Dataframe {
        self.hide_index = hide;
        self
    }
    /// Height in pixels (at least 80); by default it fits the rows, up to
    /// 400 pixels.
    pub fn height(mut self, pixels: u32) -> Dataframe {
        self.height = pixels.clamp(80, 10_000);
        self
    }
    /// Width in pixels; by default the container's width.
    pub fn width(mut self, pixels: u32) -> Dataframe {
        self.width = Some(pixels.clamp(80, 10_000));
        self
    }
    /// Whether the toolbar (search, download, fullscreen, columns) shows;
    /// default true.
    pub fn toolbar(mut self, show: bool) -> Dataframe {
        self.toolbar = show;
        self
    }
    /// Make rows or columns selectable: the grid becomes a widget whose
    /// value is the [`DataframeSelection`]. Pass one [`SelectionMode`] or
    /// several (`[SelectionMode::MultiRow, SelectionMode::SingleColumn]`).
    /// A change reruns the app (or its fragment); add a callback with
    /// [`SelectableDataframe::on_change`].
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// use brooklet::ui::widgets::SelectionMode;
    ///
    /// fn app(ui: &Ui) {
    ///     let prices = [12.5, 8.0, 3.25];
    ///     let picked = ui.add(Dataframe::new(&prices).on_select(SelectionMode::MultiRow));
    ///     let sum: f64 = picked.rows.iter().map(|&row| prices[row]).sum();
    ///     ui.text(format!("Selected rows: {}, sum {sum}", picked.rows.len()));
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # at.dataframe(0).select_rows(&[0, 2]).run().unwrap();
    /// # assert_eq!(at.text(), vec!["Selected rows: 2, sum 15.75"]);
    /// ```
    pub fn on_select(self, modes: impl Into<SelectionModes>) -> SelectableDataframe {
        let modes = modes.into();
        SelectableDataframe {
            grid: self,
            rows: modes.rows,
            columns: modes.columns,
            common: Common::new("dataframe"),
        }
    }
}

/// How a dataframe's rows and columns can be selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelectionMode {
    /// One row at a time.
    SingleRow,
    /// Any number of rows.
    MultiRow,
    /// One column at a time.
    SingleColumn,
    /// Any number of columns.
    MultiColumn,
}

/// One or more [`SelectionMode`]s (rows, columns or both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SelectionModes {
    rows: Option<SelectMode>,
    columns: Option<SelectMode>,
}

impl From<SelectionMode> for SelectionModes {
    fn from(mode: SelectionMode) -> SelectionModes {
        SelectionModes::from([mode])
    }
}

impl<const N: usize> From<[SelectionMode; N]> for SelectionModes {
    fn from(modes: [SelectionMode; N]) -> SelectionModes {
        let mut out = SelectionModes::default();
        for mode in modes {
            match mode {
                SelectionMode::SingleRow => out.rows = Some(SelectMode::Single),
                SelectionMode::MultiRow => out.rows = Some(SelectMode::Multi),
                SelectionMode::SingleColumn => out.columns = Some(SelectMode::Single),
                SelectionMode::MultiColumn => out.columns = Some(SelectMode::Multi),
            }
        }
        out
    }
}

/// What is selected in a dataframe: rows by their position in the data
/// (whatever the page's sort or search), ascending, and columns by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataframeSelection {
    /// Selected rows, as positions in the data given to the dataframe.
    pub rows: Vec<usize>,
    /// Selected columns, by name.
    pub columns: Vec<String>,
}

/// A dataframe whose rows or columns can be selected; made by
/// [`Dataframe::on_select`]. [`Ui::add`] returns its
/// [`DataframeSelection`]. The selection survives reruns that show the same
/// data; new data starts with nothing selected (unless the grid has a
/// [`key`](SelectableDataframe::key)).
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct SelectableDataframe {
    grid: Dataframe,
    rows: Option<SelectMode>,
    columns: Option<SelectMode>,
    common: Common,
}

impl SelectableDataframe {
    /// Identify the selection by this key (it then survives changes of the
    /// data, as far as the rows and columns still exist), and mirror it in
    /// session state under the key.
    pub fn key(mut self, key: impl Into<String>) -> SelectableDataframe {
        self.common.key = Some(key.into());
        self
    }
}

on_change_option!(SelectableDataframe);

/// What [`Ui::dataframe`] returns: whether it was drawn, and
/// [`add_rows`](DrawnFrame::add_rows) to append rows to it while the run
/// goes on (a live feed from a worker).
#[derive(Debug, Clone)]
pub struct DrawnFrame {
    live: Option<Live>,
}

#[derive(Debug, Clone)]
struct Live {
    /// Draws over the grid's element.
    slot: Ui,
    grid: Grid,
    key: String,
}

impl DrawnFrame {
    /// Whether the grid is on its way to the page.
    pub fn is_drawn(&self) -> bool {
        self.live.is_some()
    }

    /// Append rows (with the same columns) to the grid. Only the new row
    /// count travels to the page; rows already there are not sent again.
    /// Works while the run that drew the grid goes on (from the run or a
    /// worker it spawned).
    ///
    /// ```
    /// use brooklet::prelude::*;
    ///
    /// #[derive(serde::Serialize)]
    /// struct Tick {
    ///     at: u32,
    ///     price: f64,
    /// }
    ///
    /// fn app(ui: &Ui) {
    ///     let mut feed = ui.dataframe(&[Tick { at: 0, price: 10.0 }]);
    ///     for at in 1..=3 {
    ///         feed.add_rows(&[Tick { at, price: 10.0 + f64::from(at) }]).unwrap();
    ///     }
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert_eq!(at.dataframe(0).row_count(), 4);
    /// ```
    pub fn add_rows(&mut self, rows: impl IntoFrame) -> Result<(), FrameError> {
        let Some(live) = &mut self.live else {
            return Err(FrameError::Request("the dataframe was not drawn".into()));
        };
        let gone = || FrameError::Request("the dataframe is no longer on the page".into());
        let Some(session) = live.slot.session() else {
            return Err(FrameError::Request(
                "the run that drew the dataframe has ended".into(),
            ));
        };
        // The session's registry holds the grid's current frame (clones of
        // this handle and workers append to the same one).
        let current = session.grid(&live.key).ok_or_else(gone)?;
        let more = rows.into_frame_like(&current.frame)?;
        let view = loop {
            let view = session.grid(&live.key).ok_or_else(gone)?;
            let frame = view.frame.concat(&more)?;
            match session.swap_grid_frame(&live.key, &view.frame, frame.clone()) {
                None => return Err(gone()),
                // Another append came first: append to its result.
                Some(false) => {}
                Some(true) => break FrameView { frame, ..view },
            }
        };
        live.grid.row_count = view.frame.num_rows() as u64;
        live.grid.head = head_rows(&view);
        live.slot
            .draw(Element::Dataframe(Box::new(live.grid.clone())));
        Ok(())
    }
}

impl Widget for Dataframe {
    type Output = DrawnFrame;
    fn add_to(self, ui: &Ui) -> DrawnFrame {
        let Some((view, resolved)) = prepare(ui, &self, false) else {
            return DrawnFrame { live: None };
        };
        let key = view.key.clone();
        let Some(grid) = grid_element(ui, &self, view, resolved, None) else {
            return DrawnFrame { live: None };
        };
        let element = Element::Dataframe(Box::new(grid.clone()));
        match ui.draw(element) {
            Some(path) => DrawnFrame {
                live: Some(Live {
                    slot: ui.slot(path),
                    grid,
                    key,
                }),
            },
            None => DrawnFrame { live: None },
        }
    }
}

impl Widget for SelectableDataframe {
    type Output = DataframeSelection;
    fn add_to(self, ui: &Ui) -> DataframeSelection {
        let Some((view, resolved)) = prepare(ui, &self.grid, false) else {
            return DataframeSelection::default();
        };
        let rows_mode = self.rows;
        let columns_mode = self.columns;
        let id = self
            .common
            .id(WidgetKind::Dataframe)
            .with(&view.key)
            .with(format!("{rows_mode:?}{columns_mode:?}"))
            .finish();
        let row_count = view.frame.num_rows();
        let names: Arc<[String]> = resolved.specs.iter().map(|s| s.name.clone()).collect();
        let decode_names = names.clone();
        let decode = move |raw: &Value| {
            decode_selection(raw, row_count, &decode_names, rows_mode, columns_mode)
        };
        // A selection put in session state under the key is checked like
        // one from the browser: rows that exist, columns that are shown.
        let (state_names, state_rows) = (names.clone(), row_count);
        let identity = self.common.identity(WidgetKind::Dataframe, id).with_state(
            |selection: &DataframeSelection| selection.clone(),
            move |selection: &DataframeSelection| {
                let raw = encode_selection(selection);
                decode_selection(&raw, state_rows, &state_names, rows_mode, columns_mode)
            },
        );
        let grid_options = self.grid;
        ui.widget(
            identity,
            DataframeSelection::default(),
            decode,
            encode_selection,
            |base, value| {
                let selection = GridSelection {
                    id: base.id,
                    rows: rows_mode,
                    columns: columns_mode,
                    value: SelectionValue {
                        rows: value.rows.iter().map(|&r| r as u64).collect(),
                        columns: value.columns.clone(),
                    },
                };
                match grid_element(ui, &grid_options, view, resolved, Some(selection)) {
                    Some(grid) => Element::Dataframe(Box::new(grid)),
                    None => Element::Empty,
                }
            },
        )
    }
}

/// The frame with its columns resolved (with their edit constraints when
/// `editing`), or an error drawn in its place.
pub(super) fn prepare(
    ui: &Ui,
    options: &Dataframe,
    editing: bool,
) -> Option<(FrameView, Resolved)> {
    let what = if editing { "data_editor" } else { "dataframe" };
    let resolved = options
        .frame
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|frame| {
            resolve_for(
                frame,
                &options.columns,
                options.order.as_deref(),
                options.hide_index,
                editing,
            )
            .map(|resolved| (frame.clone(), resolved))
        });
    match resolved {
        Ok((frame, resolved)) => Some((
            FrameView {
                frame,
                columns: resolved.columns.clone(),
                key: resolved.key.clone(),
            },
            resolved,
        )),
        Err(error) => {
            ui.show_error(&AppError::message(format!("{what}: {error}")));
            None
        }
    }
}

/// The grid element, with the view registered for this session's window
/// requests and downloads.
pub(super) fn grid_element(
    ui: &Ui,
    options: &Dataframe,
    view: FrameView,
    resolved: Resolved,
    selection: Option<GridSelection>,
) -> Option<Grid> {
    let session = ui.session()?;
    let head = head_rows(&view);
    let row_count = view.frame.num_rows() as u64;
    let frame = view.key.clone();
    ui.run()
        .with_drawn(|drawn| drawn.grids.insert(frame.clone()));
    let download = session.show_grid(view);
    Some(Grid {
        frame,
        row_count,
        columns: resolved.specs,
        index: resolved.index,
        head,
        height: options.height,
        width: options.width,
        download,
        selection,
        toolbar: options.toolbar,
    })
}

/// The first rows, in the frame's order.
fn head_rows(view: &FrameView) -> WindowRows {
    let total = view.frame.num_rows() as u64;
    let index: Vec<u64> = (0..total.min(HEAD_ROWS as u64)).collect();
    WindowRows {
        start: 0,
        total,
        rows: view.cells(&index),
        index,
    }
}

/// The selection the browser sent, checked against the grid: rows that
/// exist, columns that are shown, at most one of each in single mode.
fn decode_selection(
    raw: &Value,
    row_count: usize,
    names: &[String],
    rows_mode: Option<SelectMode>,
    columns_mode: Option<SelectMode>,
) -> Option<DataframeSelection> {
    let value = SelectionValue::deserialize(raw).ok()?;
    let mut rows: Vec<usize> = match rows_mode {
        Some(_) => value
            .rows
            .iter()
            .filter_map(|&r| usize::try_from(r).ok().filter(|&r| r < row_count))
            .collect(),
        None => Vec::new(),
    };
    rows.sort_unstable();
    rows.dedup();
    let mut columns: Vec<String> = match columns_mode {
        Some(_) => value
            .columns
            .into_iter()
            .filter(|c| names.contains(c))
            .collect(),
        None => Vec::new(),
    };
    columns.dedup();
    if rows_mode == Some(SelectMode::Single) && rows.len() > 1 {
        return None;
    }
    if columns_mode == Some(SelectMode::Single) && columns.len() > 1 {
        return None;
    }
    Some(DataframeSelection { rows, columns })
}

fn encode_selection(selection: &DataframeSelection) -> Value {
    serde_json::json!({ "rows": selection.rows, "columns": selection.columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_are_checked_against_the_grid() {
        let names = ["a".to_owned(), "b".to_owned()];
        let multi = Some(SelectMode::Multi);
        let raw = serde_json::json!({ "rows": [5, 2, 2, 99], "columns": ["b", "zz"] });
        let picked = decode_selection(&raw, 10, &names, multi, multi).expect("valid");
        assert_eq!(picked.rows, [2, 5]);
        assert_eq!(picked.columns, ["b"]);
        let single = Some(SelectMode::Single);
        assert!(decode_selection(&raw, 10, &names, single, None).is_none());
        let none = decode_selection(&raw, 10, &names, None, None).expect("valid");
        assert!(none.rows.is_empty() && none.columns.is_empty());
        assert!(decode_selection(&serde_json::json!("rows"), 10, &names, multi, None).is_none());
    }
}
