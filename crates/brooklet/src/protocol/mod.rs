//! Every message that crosses the WebSocket, in one place.
//!
//! The wire format is JSON text frames. The client sends one [`ClientMessage`]
//! per frame; the server sends a JSON **array** of [`ServerMessage`]s per frame,
//! so that everything ready at a flush (run started, a batch of deltas, run
//! finished) travels in one frame and one TCP segment. `docs/protocol.md` shows
//! an example of each message; a test in this module checks those examples
//! still parse.
//!
//! Elements are addressed by *path*: the first index picks the root container
//! (`0` = main, `1` = sidebar), each further index is a child position inside
//! the block at the previous path. A run fills containers in order, so child
//! indices are dense.

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod charts;
pub use charts::{
    AxisScale, ChannelSpec, Chart, ChartAxis, ChartMark, ChartPoint, ChartSelection,
    ChartSelectionValue, ChartStack, MapChart, PlotlyChart, SeriesSpec, SvgChart, SvgSource,
    TileSource, VegaLiteChart, VegaSelection,
};

mod media;
pub use media::{
    ImageElement, ImageItem, LogoElement, LogoSize, MediaPlayer, PdfElement, Subtitle,
    UploadedFileRef,
};

/// The protocol version; a client announcing another one is refused.
pub const PROTOCOL_VERSION: u32 = 1;

/// Root container index of the main area.
pub const ROOT_MAIN: u32 = 0;
/// Root container index of the sidebar.
pub const ROOT_SIDEBAR: u32 = 1;

/// A position in the element tree: root index, then child indices.
pub type Path = Vec<u32>;

/// A widget's identity: a stable string derived from its kind, label,
/// identity-bearing options and user key (see `docs/protocol.md`).
pub type WidgetId = String;

// ---------------------------------------------------------------------------
// Client → server
// ---------------------------------------------------------------------------

/// A message from the browser. Exactly one per text frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClientMessage {
    /// The first message on every connection.
    Hello {
        /// Must equal [`PROTOCOL_VERSION`].
        protocol: u32,
        /// The id of a session this tab had before (to resume it after a
        /// dropped connection), or `None` for a new session.
        #[serde(default)]
        session_id: Option<String>,
        /// The page's query string without the leading `?`.
        #[serde(default)]
        query: String,
    },
    /// Widget values changed and/or a trigger widget (button) fired: rerun.
    Rerun {
        /// New values by widget id (only those that changed are required).
        #[serde(default)]
        widgets: serde_json::Map<String, Value>,
        /// The id of a trigger widget (a button) that was pressed, if any.
        #[serde(default)]
        trigger: Option<WidgetId>,
        /// The id of the fragment the changed widgets are in: only that
        /// fragment reruns. `None` reruns the whole app.
        #[serde(default)]
        fragment: Option<String>,
    },
    /// Stop the run in progress (the "Stop" control in the page).
    Stop,
    /// Keep-alive; the server answers with [`ServerMessage::Heartbeat`].
    Heartbeat,
    /// Rows `start..start + count` of a dataframe's view (its rows sorted
    /// and filtered as asked); answered by [`ServerMessage::Window`]. A
    /// newer request for the same `view` replaces one still waiting.
    Window(WindowRequest),
}

/// Which rows of a dataframe the browser wants; see [`ClientMessage::Window`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRequest {
    /// The grid's own id, chosen by the client and echoed in the answer.
    pub view: String,
    /// The frame ([`Grid::frame`]).
    pub frame: String,
    /// First row of the view wanted.
    pub start: u64,
    /// How many rows (1 to 1,000).
    pub count: u32,
    /// The order of the view; `None` keeps the frame's order.
    #[serde(default)]
    pub sort: Option<SortKey>,
    /// Keep only rows with a shown cell containing this text (any case);
    /// empty keeps every row.
    #[serde(default)]
    pub search: String,
}

/// A sort order: one column, either direction. Sorting is stable, and
/// empty cells go last in both directions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SortKey {
    /// The column's name ([`ColumnSpec::name`]).
    pub column: String,
    /// Largest first.
    #[serde(default)]
    pub descending: bool,
}

// ---------------------------------------------------------------------------
// Server → client
// ---------------------------------------------------------------------------

/// A message to the browser. The server sends a JSON array of these per frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ServerMessage {
    /// Answer to `hello`: the session this connection is bound to.
    Session {
        /// Always [`PROTOCOL_VERSION`].
        protocol: u32,
        /// The session id; present it in `hello` to resume after a reconnect.
        session_id: String,
        /// `true` when an existing session was resumed (its state kept).
        resumed: bool,
        /// Settings the client needs.
        config: ClientConfig,
    },
    /// A run of the app began. Everything on the page becomes *stale* until
    /// this run sets or confirms it.
    RunStarted {
        /// Run number, increasing per session.
        run: u64,
        /// For a fragment run, the path of the fragment's block: only what is
        /// inside it becomes stale. `None` for a full run.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<Path>,
    },
    /// Changes to the element tree, applied in order.
    Delta {
        /// The run that produced these changes.
        run: u64,
        /// The operations.
        ops: Vec<DeltaOp>,
    },
    /// A run ended.
    RunFinished {
        /// Run number.
        run: u64,
        /// How it ended.
        status: RunStatus,
    },
    /// A protocol error caused by the client's last message. When `fatal`,
    /// the server closes the connection after sending it.
    Error {
        /// Machine-readable reason.
        code: ErrorCode,
        /// Human-readable explanation.
        message: String,
        /// Whether the connection is about to be closed.
        fatal: bool,
        /// The widget whose value was refused, when the error is about one
        /// (e.g. a value over the message limit); the page shows it there.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        widget: Option<WidgetId>,
    },
    /// The server is shutting down; the client should show it and retry later.
    Shutdown {
        /// Why.
        reason: String,
    },
    /// Answer to a client heartbeat.
    Heartbeat,
    /// A short note about the run in progress, shown beside the run
    /// indicator (not in the page's flow); `None` clears it, and so does
    /// `run_finished`. Example: waiting for a worker thread.
    Status {
        /// The note, or `None` to clear it.
        message: Option<String>,
    },
    /// The app changed its query parameters: show them in the address bar
    /// (without a page load or a new history entry).
    QueryParams {
        /// The query string without the leading `?` (may be empty).
        query: String,
    },
    /// The answer to a [`ClientMessage::Window`].
    Window {
        /// The grid that asked.
        view: String,
        /// The frame the rows are from.
        frame: String,
        /// The rows; empty when `error` is set.
        #[serde(flatten)]
        rows: WindowRows,
        /// Why the request was refused (an unknown column, a sort the
        /// column does not support, a window out of range, …).
        #[serde(default)]
        error: Option<String>,
    },
}

/// Settings sent to the client in [`ServerMessage::Session`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// The largest client message the server accepts, in bytes.
    pub max_message_bytes: usize,
    /// How often the client should send a heartbeat, in milliseconds.
    pub heartbeat_ms: u64,
    /// The page title.
    pub page_title: String,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RunStatus {
    /// The app function returned.
    Complete,
    /// The app function panicked; an exception element shows where.
    Error,
    /// A newer run superseded this one before it finished.
    Cancelled,
    /// The person pressed Stop. (`ui.stop()` ends a run as `Complete`.)
    Stopped,
}

/// Why the server rejected a client message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// Not valid JSON, or not a known message shape.
    Malformed,
    /// Larger than the configured limit.
    TooLarge,
    /// A binary frame, where only text is accepted.
    Unsupported,
    /// `hello` missing, repeated, or with the wrong protocol version.
    Handshake,
    /// The server is at its session limit (overall or for this address);
    /// try again later.
    Overloaded,
    /// A WebSocket protocol violation (invalid UTF-8, reserved opcodes, …).
    Protocol,
}

/// One change to the element tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeltaOp {
    /// Put `el` at `path`, creating or replacing what was there. When a block
    /// is replaced by a block of the same kind its children are kept (later
    /// ops update them); otherwise the old children are dropped.
    Set {
        /// Where.
        path: Path,
        /// What.
        el: Element,
    },
    /// The first `len` children of the block at `path` are current for this
    /// run (they are unchanged, so they were not sent again): un-fade them.
    Seen {
        /// The block (or root).
        path: Path,
        /// How many leading children are current.
        len: u32,
    },
    /// Remove every child of the block at `path` from index `len` on. Sent
    /// when a run finishes for blocks that had more children before.
    Truncate {
        /// The block (or root).
        path: Path,
        /// How many children remain.
        len: u32,
    },
    /// Append `rows` to the rows of the `table` at `path` (its `add_rows`):
    /// the rows it has are not sent again.
    AddRows {
        /// The table.
        path: Path,
        /// The new rows, formatted as the table's other rows.
        rows: Vec<Vec<Value>>,
    },
}

// ---------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------

/// Severity of an alert box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AlertLevel {
    /// Green.
    Success,
    /// Blue.
    Info,
    /// Yellow.
    Warning,
    /// Red.
    Error,
}

/// How a metric's delta is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeltaColor {
    /// Positive green, negative red.
    #[default]
    Normal,
    /// Positive red, negative green.
    Inverse,
    /// Grey.
    Off,
}

/// One thing on the page. `kind` names it on the wire.
///
/// Blocks ([`Element::is_block`]) have children addressed by path; all other
/// elements are leaves. Widgets carry their `id` and the value the server
/// holds for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Element {
    // ----- text -----
    /// Page title (`<h1>`).
    Title {
        /// The text.
        text: String,
    },
    /// Section header (`<h2>`).
    Header {
        /// The text.
        text: String,
        /// Draw a divider under it.
        #[serde(default)]
        divider: bool,
    },
    /// Sub-section header (`<h3>`).
    Subheader {
        /// The text.
        text: String,
        /// Draw a divider under it.
        #[serde(default)]
        divider: bool,
    },
    /// Markdown, rendered to HTML on the server.
    Markdown {
        /// The markdown source.
        text: String,
        /// The rendered, safe HTML.
        html: String,
    },
    /// Fixed-width plain text.
    Text {
        /// The text.
        text: String,
    },
    /// Small grey text.
    Caption {
        /// The text.
        text: String,
    },
    /// A code block.
    Code {
        /// The code.
        code: String,
        /// Language name for the label (no highlighting on the wire).
        #[serde(default)]
        language: Option<String>,
    },
    /// A horizontal rule.
    Divider,
    /// Pretty-printed JSON, collapsible in the page.
    Json {
        /// The value.
        value: Value,
        /// Whether it starts expanded.
        expanded: bool,
        /// How many levels start expanded (`None`: the page's default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        depth: Option<u32>,
    },
    /// A big number with a label and an optional change.
    Metric {
        /// Label above the value.
        label: String,
        /// The value, formatted.
        value: String,
        /// The change, formatted; a leading `-` means a decrease.
        #[serde(default)]
        delta: Option<String>,
        /// How the delta is coloured.
        #[serde(default)]
        delta_color: DeltaColor,
        /// Tooltip.
        #[serde(default)]
        help: Option<String>,
        /// Whether it has a border around it.
        #[serde(default)]
        border: bool,
        /// Recent values, drawn as a small chart under the value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        chart: Option<Vec<f64>>,
        /// How `chart` is drawn.
        #[serde(default)]
        chart_type: ChartType,
    },
    /// A static table: every row in the element, cells formatted.
    Table {
        /// Column names.
        columns: Vec<String>,
        /// Rows of cells, one value per column (formatted text, or as in a
        /// dataframe's cells for checkboxes, links, lists and charts).
        rows: Vec<Vec<Value>>,
        /// Per column: how it shows (as a dataframe's columns); may be
        /// empty.
        #[serde(default)]
        kinds: Vec<ColumnKind>,
        /// Per column: alignment; may be empty.
        #[serde(default)]
        align: Vec<Align>,
    },
    /// An interactive table whose rows stay on the server: the element
    /// carries the columns and the first rows; the browser asks for other
    /// windows of rows with [`ClientMessage::Window`].
    Dataframe(Box<Grid>),
    /// A dataframe whose cells the person can edit: a grid plus its edits
    /// (the widget's value).
    DataEditor(Box<EditorGrid>),
    // ----- charts -----
    /// A line, area, bar or scatter chart whose points stay on the server.
    Chart(Box<Chart>),
    /// A Vega-Lite chart, drawn by vega-embed in the browser.
    VegaLiteChart(Box<VegaLiteChart>),
    /// A plotly.js figure.
    PlotlyChart(Box<PlotlyChart>),
    /// A picture drawn on the server as SVG (plotters, Graphviz).
    SvgChart(Box<SvgChart>),
    /// Points on a map.
    Map(Box<MapChart>),
    // ----- media -----
    /// One or more pictures in a row.
    Image(Box<ImageElement>),
    /// An audio player.
    Audio(Box<MediaPlayer>),
    /// A video player.
    Video(Box<MediaPlayer>),
    /// A PDF shown inline.
    Pdf(Box<PdfElement>),
    /// The app's logo, shown at the top of the sidebar.
    Logo(Box<LogoElement>),
    /// A coloured message box; `html` is rendered markdown.
    Alert {
        /// Colour and icon.
        level: AlertLevel,
        /// The markdown source.
        text: String,
        /// The rendered HTML.
        html: String,
    },
    /// An error with its source location, e.g. a panic in app code.
    Exception {
        /// The panic message or error text.
        message: String,
        /// `file:line:column`, when known.
        #[serde(default)]
        location: Option<String>,
        /// Extra detail (error source chain or backtrace), when known.
        #[serde(default)]
        detail: Option<String>,
    },
    /// A progress bar, `value` in `0.0..=1.0`.
    Progress {
        /// Fraction done.
        value: f64,
        /// Text next to the bar.
        #[serde(default)]
        text: Option<String>,
    },
    /// An animated spinner with a message, shown while work runs.
    Spinner {
        /// The message.
        text: String,
    },
    /// Nothing: a placeholder slot (`ui.empty()`) that holds no element yet.
    Empty,

    // ----- blocks -----
    /// A plain vertical block.
    Container {
        /// Draw a border around it.
        #[serde(default)]
        border: bool,
    },
    /// A horizontal row of [`Element::Column`] blocks.
    Columns {
        /// Relative widths, one per column.
        widths: Vec<f64>,
    },
    /// One column inside [`Element::Columns`].
    Column,
    /// A collapsible block.
    Expander {
        /// The clickable label.
        label: String,
        /// Whether it starts open.
        expanded: bool,
    },
    /// A set of tabs; its children are [`Element::Tab`] blocks.
    Tabs {
        /// Tab labels, one per child.
        labels: Vec<String>,
    },
    /// One tab's content inside [`Element::Tabs`].
    Tab {
        /// The tab label.
        label: String,
    },
    /// A form: widgets inside it keep their changes in the browser until its
    /// [`Element::FormSubmit`] button is pressed.
    Form {
        /// The form's id.
        id: String,
        /// Draw a border around it.
        #[serde(default)]
        border: bool,
    },
    /// A fragment: a part of the page that reruns on its own. Widget events
    /// inside it carry its id.
    Fragment {
        /// The fragment's id.
        id: String,
    },

    // ----- widgets -----
    /// A push button: a trigger, `true` for exactly one run per press.
    Button {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Drawn as the primary action.
        #[serde(default)]
        primary: bool,
    },
    /// A form's submit button: sends the form's pending values and reruns.
    FormSubmit {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Drawn as the primary action.
        #[serde(default)]
        primary: bool,
    },
    /// A checkbox (`value` is a bool).
    Checkbox {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Current value.
        value: bool,
    },
    /// An on/off switch (`value` is a bool).
    Toggle {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Current value.
        value: bool,
    },
    /// A one-line text field (`value` is a string). Sent on Enter or blur.
    TextInput {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Current value.
        value: String,
        /// Greyed hint shown when empty.
        #[serde(default)]
        placeholder: Option<String>,
        /// Maximum length in characters.
        #[serde(default)]
        max_chars: Option<u32>,
        /// Mask the input (passwords).
        #[serde(default)]
        password: bool,
    },
    /// A multi-line text field (`value` is a string). Sent on blur or Ctrl+Enter.
    TextArea {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Current value.
        value: String,
        /// Greyed hint shown when empty.
        #[serde(default)]
        placeholder: Option<String>,
        /// Height in pixels.
        #[serde(default)]
        height: Option<u32>,
        /// Maximum length in characters.
        #[serde(default)]
        max_chars: Option<u32>,
    },
    /// A number field with −/+ steppers (`value` is a number).
    NumberInput {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Current value.
        value: f64,
        /// Smallest allowed value.
        #[serde(default)]
        min: Option<f64>,
        /// Largest allowed value.
        #[serde(default)]
        max: Option<f64>,
        /// Step of the −/+ buttons.
        step: f64,
        /// Whole numbers only.
        integer: bool,
    },
    /// A slider over a range; `value` is one number, or two for a range slider.
    Slider {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Current value: one number, or `[low, high]`.
        value: SliderValue,
        /// Left end.
        min: f64,
        /// Right end.
        max: f64,
        /// Step.
        step: f64,
        /// Whole numbers only.
        integer: bool,
    },
    /// A drop-down; `index` is the selected option (the value sent back).
    Selectbox {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Option labels.
        options: Vec<String>,
        /// Selected option; `null` when nothing is chosen (an optional
        /// selectbox).
        index: Option<u32>,
        /// Shown while nothing is chosen (an optional selectbox).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        placeholder: Option<String>,
    },
    /// A multi-choice list; `selected` holds option indices (sent back as an array).
    Multiselect {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Option labels.
        options: Vec<String>,
        /// Selected option indices, in selection order.
        selected: Vec<u32>,
        /// Greyed hint shown when nothing is selected.
        #[serde(default)]
        placeholder: Option<String>,
    },
    /// Radio buttons; `index` is the selected option (the value sent back).
    Radio {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Option labels.
        options: Vec<String>,
        /// Selected option; `null` when nothing is chosen (optional radio
        /// buttons).
        index: Option<u32>,
        /// Lay the options out in a row.
        #[serde(default)]
        horizontal: bool,
    },
    /// A button that downloads a file (and, unless told not to, reruns
    /// like a button press).
    DownloadButton {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Where the browser downloads the file (same origin).
        url: String,
        /// The file's name.
        file_name: String,
        /// Its MIME type.
        mime: String,
        /// Whether a click reruns the app (a trigger, like a button).
        rerun: bool,
        /// Drawn as the primary action.
        #[serde(default)]
        primary: bool,
        /// As wide as its container.
        #[serde(default)]
        use_container_width: bool,
    },
    /// Takes files from the person: `value` lists those uploaded.
    FileUploader {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// Accepted types: extensions (`.csv`) and MIME types (`text/csv`,
        /// `image/*`); empty accepts any.
        accept: Vec<String>,
        /// Whether it holds several files.
        multiple: bool,
        /// The largest file it takes, in bytes.
        max_bytes: u64,
        /// Where the browser `PUT`s each file (`?name=` its name).
        upload_url: String,
        /// The files uploaded.
        value: Vec<UploadedFileRef>,
    },
    /// Takes a photo with the person's camera: `value` holds it (or nothing).
    CameraInput {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// The largest photo it takes, in bytes.
        max_bytes: u64,
        /// Where the browser `PUT`s the photo.
        upload_url: String,
        /// The photo, if one was taken.
        value: Vec<UploadedFileRef>,
    },
    /// Records a clip with the person's microphone: `value` holds it (or
    /// nothing).
    AudioInput {
        /// What every widget has: id, label, tooltip, whether disabled.
        #[serde(flatten)]
        base: WidgetBase,
        /// The largest recording it takes, in bytes.
        max_bytes: u64,
        /// Where the browser `PUT`s the recording.
        upload_url: String,
        /// The recording, if one was made.
        value: Vec<UploadedFileRef>,
    },
}

/// A dataframe as the page shows it ([`Element::Dataframe`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Grid {
    /// The grid's identity on this page (32 hex digits): a hash of the
    /// frame's contents and of how its columns show. Window requests and
    /// the CSV name it. Rows appended by `add_rows` keep it.
    pub frame: String,
    /// Rows in the frame.
    pub row_count: u64,
    /// The columns shown, in order.
    pub columns: Vec<ColumnSpec>,
    /// The index column (each row's position in the frame); `None` hides it.
    #[serde(default)]
    pub index: Option<IndexSpec>,
    /// The first rows, in the frame's order.
    pub head: WindowRows,
    /// Height of the grid in pixels; 0 fits the rows up to 400 pixels.
    pub height: u32,
    /// Width in pixels; `None` fills the container.
    #[serde(default)]
    pub width: Option<u32>,
    /// Where the browser downloads a view as CSV (same origin; the query
    /// names the sort, search and columns).
    pub download: String,
    /// Selection, when the app asked for it ([`Grid::selection`] makes the
    /// grid a widget).
    #[serde(default)]
    pub selection: Option<GridSelection>,
    /// Whether the toolbar (search, download, fullscreen, columns) shows.
    pub toolbar: bool,
}

/// A data editor as the page shows it ([`Element::DataEditor`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EditorGrid {
    /// The grid, as for a dataframe.
    #[serde(flatten)]
    pub grid: Grid,
    /// The editing state.
    pub editor: GridEditor,
}

/// The editing state of a [`EditorGrid`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GridEditor {
    /// The widget id the browser sends the edits to.
    pub id: WidgetId,
    /// Whether rows can be added and deleted.
    pub dynamic: bool,
    /// Whether nothing can be edited.
    #[serde(default)]
    pub disabled: bool,
    /// The edits the server holds.
    pub value: EditsValue,
    /// Edited and added cells, formatted by the server.
    pub shown: EditsShown,
}

/// A data editor's edits on the wire: raw values (numbers, strings,
/// booleans, ISO dates, `null` for an emptied cell).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EditsValue {
    /// Row position in the data (as a string key) → column → new value.
    #[serde(default)]
    pub edited: std::collections::BTreeMap<String, serde_json::Map<String, Value>>,
    /// New rows: column → value (missing columns are empty).
    #[serde(default)]
    pub added: Vec<serde_json::Map<String, Value>>,
    /// Deleted rows, by position in the data, ascending.
    #[serde(default)]
    pub deleted: Vec<u64>,
}

/// Edited and added cells as the page shows them (formatted like the
/// column's other cells).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EditsShown {
    /// Row position (as a string key) → column → cell.
    #[serde(default)]
    pub edited: std::collections::BTreeMap<String, serde_json::Map<String, Value>>,
    /// One array of cells per added row, one per column in order.
    #[serde(default)]
    pub added: Vec<Vec<Value>>,
}

/// How a column of a data editor may be edited.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ColumnEdit {
    /// An empty value is refused.
    #[serde(default)]
    pub required: bool,
    /// Numbers: the smallest allowed.
    #[serde(default)]
    pub min: Option<f64>,
    /// Numbers: the largest allowed.
    #[serde(default)]
    pub max: Option<f64>,
    /// Numbers: the input's step.
    #[serde(default)]
    pub step: Option<f64>,
    /// Numbers: whole numbers only.
    #[serde(default)]
    pub integer: bool,
    /// Text: one of these (edited with a select).
    #[serde(default)]
    pub options: Option<Vec<String>>,
    /// Text: at most this many characters.
    #[serde(default)]
    pub max_chars: Option<u32>,
}

/// A dataframe's index column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexSpec {
    /// Its width in pixels.
    pub width: u32,
}

/// One column of a [`Grid`]: how the browser shows its cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ColumnSpec {
    /// The column's name in the frame (used in sort requests, CSV and
    /// selections).
    pub name: String,
    /// The header text.
    pub label: String,
    /// How cells are shown.
    #[serde(rename = "type")]
    pub kind: ColumnKind,
    /// Width in pixels, from the whole column's data.
    pub width: u32,
    /// Alignment of the cells.
    pub align: Align,
    /// Tooltip on the header.
    #[serde(default)]
    pub help: Option<String>,
    /// Stays visible at the left when the grid scrolls sideways.
    #[serde(default)]
    pub pinned: bool,
    /// Whether a click on the header sorts by it.
    pub sortable: bool,
    /// In a data editor: how the column may be edited (`None`: it may not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<ColumnEdit>,
    /// Line and bar charts: the low end of the shared y range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y_min: Option<f64>,
    /// Line and bar charts: the high end of the shared y range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y_max: Option<f64>,
}

/// How a column's cells are shown (and what a cell is on the wire; see
/// `docs/protocol.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ColumnKind {
    /// Text: a string.
    Text,
    /// A number, formatted by the server: a string.
    Number,
    /// A read-only checkbox: `true`/`false`.
    Checkbox,
    /// A date, formatted: a string.
    Date,
    /// A date and time, formatted: a string.
    Datetime,
    /// A time of day, formatted: a string.
    Time,
    /// A link: `[href, text]`.
    Link,
    /// A progress bar: `[fraction, text]`.
    Progress,
    /// A list: an array of strings.
    List,
    /// An image thumbnail: its URL.
    Image,
    /// A small line chart of a list of numbers: an array of numbers.
    LineChart,
    /// A small bar chart of a list of numbers: an array of numbers.
    BarChart,
}

/// How a metric's recent values are drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChartType {
    /// A line (the default).
    #[default]
    Line,
    /// Bars.
    Bar,
    /// A filled area.
    Area,
}

/// Horizontal alignment of a column's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Align {
    /// Left (text).
    Left,
    /// Centred (checkboxes).
    Center,
    /// Right (numbers).
    Right,
}

/// Rows of a dataframe's view, formatted for display.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WindowRows {
    /// Position of the first row in the view.
    pub start: u64,
    /// Rows in the view (after search).
    pub total: u64,
    /// Each row's position in the frame.
    pub index: Vec<u64>,
    /// One array of cells per row, one cell per shown column.
    pub rows: Vec<Vec<Value>>,
}

/// How the rows and columns of a dataframe can be selected, and what is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridSelection {
    /// The widget id the browser sends the selection to.
    pub id: WidgetId,
    /// How rows can be selected; `None`: they cannot.
    #[serde(default)]
    pub rows: Option<SelectMode>,
    /// How columns can be selected; `None`: they cannot.
    #[serde(default)]
    pub columns: Option<SelectMode>,
    /// What is selected now.
    pub value: SelectionValue,
}

/// One or many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SelectMode {
    /// At most one.
    Single,
    /// Any number.
    Multi,
}

/// A dataframe's selection on the wire: row positions in the frame (not in
/// the sorted view) and column names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionValue {
    /// Selected rows, ascending.
    #[serde(default)]
    pub rows: Vec<u64>,
    /// Selected columns, by name.
    #[serde(default)]
    pub columns: Vec<String>,
}

/// Where the browser finds a payload, as sent inside an element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadRef {
    /// Same-origin URL of the bytes (`/_brooklet/media/{owner}/{id}`).
    pub url: String,
    /// Their size in bytes.
    pub bytes: u64,
}

/// What every widget has on the wire: flattened into each widget element
/// (`{"kind":"checkbox","id":…,"label":…,"help":…,"disabled":…,"value":…}`),
/// like `WidgetBase` in the front end's `protocol.ts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetBase {
    /// Widget id (sent back with values and presses).
    pub id: WidgetId,
    /// Label.
    pub label: String,
    /// Tooltip.
    #[serde(default)]
    pub help: Option<String>,
    /// Greyed out: the browser cannot change it (or press it).
    #[serde(default)]
    pub disabled: bool,
}

/// Every kind of widget, in one place: its name starts its widget ids and
/// names it in error messages, and [`Element::widget`] maps an element back
/// to it (a slider element with two values is a [`WidgetKind::RangeSlider`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WidgetKind {
    /// [`Element::Button`].
    Button,
    /// [`Element::FormSubmit`].
    FormSubmit,
    /// [`Element::Checkbox`].
    Checkbox,
    /// [`Element::Toggle`].
    Toggle,
    /// [`Element::TextInput`].
    TextInput,
    /// [`Element::TextArea`].
    TextArea,
    /// [`Element::NumberInput`].
    NumberInput,
    /// [`Element::Slider`] with one value.
    Slider,
    /// [`Element::Slider`] with a `[low, high]` value.
    RangeSlider,
    /// [`Element::Selectbox`].
    Selectbox,
    /// [`Element::Multiselect`].
    Multiselect,
    /// [`Element::Radio`].
    Radio,
    /// [`Element::Dataframe`] with a selection.
    Dataframe,
    /// [`Element::DataEditor`].
    DataEditor,
    /// [`Element::Chart`] with a selection.
    Chart,
    /// [`Element::VegaLiteChart`] with a selection.
    VegaLiteChart,
    /// [`Element::DownloadButton`].
    DownloadButton,
    /// [`Element::FileUploader`].
    FileUploader,
    /// [`Element::CameraInput`].
    CameraInput,
    /// [`Element::AudioInput`].
    AudioInput,
}

impl WidgetKind {
    /// The kind's name: `"checkbox"`, `"range_slider"`, …
    pub fn name(self) -> &'static str {
        match self {
            WidgetKind::Button => "button",
            WidgetKind::FormSubmit => "form_submit",
            WidgetKind::Checkbox => "checkbox",
            WidgetKind::Toggle => "toggle",
            WidgetKind::TextInput => "text_input",
            WidgetKind::TextArea => "text_area",
            WidgetKind::NumberInput => "number_input",
            WidgetKind::Slider => "slider",
            WidgetKind::RangeSlider => "range_slider",
            WidgetKind::Selectbox => "selectbox",
            WidgetKind::Multiselect => "multiselect",
            WidgetKind::Radio => "radio",
            WidgetKind::Dataframe => "dataframe",
            WidgetKind::DataEditor => "data_editor",
            WidgetKind::Chart => "chart",
            WidgetKind::VegaLiteChart => "vega_lite_chart",
            WidgetKind::DownloadButton => "download_button",
            WidgetKind::FileUploader => "file_uploader",
            WidgetKind::CameraInput => "camera_input",
            WidgetKind::AudioInput => "audio_input",
        }
    }
}

impl std::fmt::Display for WidgetKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A slider's value on the wire: one number or a `[low, high]` pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum SliderValue {
    /// A single-value slider.
    Single(f64),
    /// A range slider.
    Range([f64; 2]),
}

impl Element {
    /// The widget's kind and common fields, for widget elements.
    pub fn widget(&self) -> Option<(WidgetKind, &WidgetBase)> {
        Some(match self {
            Element::Button { base, .. } => (WidgetKind::Button, base),
            Element::FormSubmit { base, .. } => (WidgetKind::FormSubmit, base),
            Element::Checkbox { base, .. } => (WidgetKind::Checkbox, base),
            Element::Toggle { base, .. } => (WidgetKind::Toggle, base),
            Element::TextInput { base, .. } => (WidgetKind::TextInput, base),
            Element::TextArea { base, .. } => (WidgetKind::TextArea, base),
            Element::NumberInput { base, .. } => (WidgetKind::NumberInput, base),
            Element::Slider {
                base,
                value: SliderValue::Single(_),
                ..
            } => (WidgetKind::Slider, base),
            Element::Slider {
                base,
                value: SliderValue::Range(_),
                ..
            } => (WidgetKind::RangeSlider, base),
            Element::Selectbox { base, .. } => (WidgetKind::Selectbox, base),
            Element::Multiselect { base, .. } => (WidgetKind::Multiselect, base),
            Element::Radio { base, .. } => (WidgetKind::Radio, base),
            Element::DownloadButton { base, .. } => (WidgetKind::DownloadButton, base),
            Element::FileUploader { base, .. } => (WidgetKind::FileUploader, base),
            Element::CameraInput { base, .. } => (WidgetKind::CameraInput, base),
            Element::AudioInput { base, .. } => (WidgetKind::AudioInput, base),
            _ => return None,
        })
    }

    /// Whether this is a widget drawn disabled (the browser cannot change it).
    pub fn is_disabled(&self) -> bool {
        self.widget().is_some_and(|(_, base)| base.disabled)
    }

    /// Whether this element holds children.
    pub fn is_block(&self) -> bool {
        matches!(
            self,
            Element::Container { .. }
                | Element::Columns { .. }
                | Element::Column
                | Element::Expander { .. }
                | Element::Tabs { .. }
                | Element::Tab { .. }
                | Element::Form { .. }
                | Element::Fragment { .. }
        )
    }

    /// The wire name of this element's kind (`"title"`, `"button"`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Element::Title { .. } => "title",
            Element::Header { .. } => "header",
            Element::Subheader { .. } => "subheader",
            Element::Markdown { .. } => "markdown",
            Element::Text { .. } => "text",
            Element::Caption { .. } => "caption",
            Element::Code { .. } => "code",
            Element::Divider => "divider",
            Element::Json { .. } => "json",
            Element::Metric { .. } => "metric",
            Element::Table { .. } => "table",
            Element::Dataframe { .. } => "dataframe",
            Element::DataEditor { .. } => "data_editor",
            Element::Chart(_) => "chart",
            Element::VegaLiteChart(_) => "vega_lite_chart",
            Element::PlotlyChart(_) => "plotly_chart",
            Element::SvgChart(_) => "svg_chart",
            Element::Map(_) => "map",
            Element::Image(_) => "image",
            Element::Audio(_) => "audio",
            Element::Video(_) => "video",
            Element::Pdf(_) => "pdf",
            Element::Logo(_) => "logo",
            Element::Alert { .. } => "alert",
            Element::Exception { .. } => "exception",
            Element::Progress { .. } => "progress",
            Element::Spinner { .. } => "spinner",
            Element::Empty => "empty",
            Element::Container { .. } => "container",
            Element::Columns { .. } => "columns",
            Element::Column => "column",
            Element::Expander { .. } => "expander",
            Element::Tabs { .. } => "tabs",
            Element::Tab { .. } => "tab",
            Element::Form { .. } => "form",
            Element::Fragment { .. } => "fragment",
            Element::Button { .. } => "button",
            Element::FormSubmit { .. } => "form_submit",
            Element::Checkbox { .. } => "checkbox",
            Element::Toggle { .. } => "toggle",
            Element::TextInput { .. } => "text_input",
            Element::TextArea { .. } => "text_area",
            Element::NumberInput { .. } => "number_input",
            Element::Slider { .. } => "slider",
            Element::Selectbox { .. } => "selectbox",
            Element::Multiselect { .. } => "multiselect",
            Element::Radio { .. } => "radio",
            Element::DownloadButton { .. } => "download_button",
            Element::FileUploader { .. } => "file_uploader",
            Element::CameraInput { .. } => "camera_input",
            Element::AudioInput { .. } => "audio_input",
        }
    }

    /// The kind of every widget element, including the grids that are
    /// widgets (a dataframe with a selection, a data editor), which have
    /// no [`WidgetBase`].
    pub fn widget_kind(&self) -> Option<WidgetKind> {
        match self {
            Element::Dataframe(grid) => grid.selection.as_ref().map(|_| WidgetKind::Dataframe),
            Element::DataEditor(_) => Some(WidgetKind::DataEditor),
            Element::Chart(chart) => chart.selection.as_ref().map(|_| WidgetKind::Chart),
            Element::VegaLiteChart(chart) => {
                chart.selection.as_ref().map(|_| WidgetKind::VegaLiteChart)
            }
            _ => self.widget().map(|(kind, _)| kind),
        }
    }

    /// The widget id, for widget elements (grids included).
    pub fn widget_id(&self) -> Option<&str> {
        match self {
            Element::Dataframe(grid) => grid.selection.as_ref().map(|s| s.id.as_str()),
            Element::DataEditor(editor) => Some(editor.editor.id.as_str()),
            Element::Chart(chart) => chart.selection.as_ref().map(|s| s.id.as_str()),
            Element::VegaLiteChart(chart) => chart.selection.as_ref().map(|s| s.id.as_str()),
            _ => self.widget().map(|(_, base)| base.id.as_str()),
        }
    }

    /// The label of a widget or labelled block, or the text of a text element.
    /// Used by `AppTest` to find things "by label".
    pub fn label(&self) -> Option<&str> {
        if let Some((_, base)) = self.widget() {
            return Some(&base.label);
        }
        match self {
            Element::Metric { label, .. }
            | Element::Expander { label, .. }
            | Element::Tab { label, .. } => Some(label),
            _ => None,
        }
    }

    /// The visible text of a text-like element (title, header, markdown
    /// source, text, caption, code, alert, spinner, exception message).
    pub fn text(&self) -> Option<&str> {
        match self {
            Element::Title { text }
            | Element::Header { text, .. }
            | Element::Subheader { text, .. }
            | Element::Markdown { text, .. }
            | Element::Text { text }
            | Element::Caption { text }
            | Element::Alert { text, .. }
            | Element::Spinner { text } => Some(text),
            Element::Code { code, .. } => Some(code),
            Element::Exception { message, .. } => Some(message),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_messages_round_trip() {
        let hello: ClientMessage =
            serde_json::from_str(r#"{"type":"hello","protocol":1}"#).expect("hello parses");
        assert_eq!(
            hello,
            ClientMessage::Hello {
                protocol: 1,
                session_id: None,
                query: String::new()
            }
        );
        let rerun: ClientMessage =
            serde_json::from_str(r#"{"type":"rerun","widgets":{"w1":"x"},"trigger":"w2"}"#)
                .expect("rerun parses");
        match rerun {
            ClientMessage::Rerun {
                widgets, trigger, ..
            } => {
                assert_eq!(widgets.get("w1"), Some(&Value::from("x")));
                assert_eq!(trigger.as_deref(), Some("w2"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_types_and_ill_typed_fields_are_rejected() {
        assert!(serde_json::from_str::<ClientMessage>(r#"{"type":"explode"}"#).is_err());
        assert!(serde_json::from_str::<ClientMessage>(r#"{"type":"rerun","widgets":[]}"#).is_err());
        assert!(serde_json::from_str::<ClientMessage>("[1,2").is_err());
    }

    /// Fields may be added to messages and elements in a minor release
    /// (`docs/protocol.md`, "Versioning"), so a field this version does not
    /// know is ignored, on both sides, never refused.
    #[test]
    fn unknown_fields_are_accepted_and_ignored() {
        let hello: ClientMessage =
            serde_json::from_str(r#"{"type":"hello","protocol":1,"theme":"dark"}"#)
                .expect("hello with a new field");
        assert_eq!(
            hello,
            ClientMessage::Hello {
                protocol: 1,
                session_id: None,
                query: String::new()
            }
        );
        let heartbeat: ClientMessage =
            serde_json::from_str(r#"{"type":"heartbeat","sent_at_ms":5}"#).expect("heartbeat");
        assert_eq!(heartbeat, ClientMessage::Heartbeat);
        let finished: ServerMessage =
            serde_json::from_str(r#"{"type":"run_finished","run":3,"status":"complete","ms":7}"#)
                .expect("run_finished with a new field");
        assert_eq!(
            finished,
            ServerMessage::RunFinished {
                run: 3,
                status: RunStatus::Complete
            }
        );
        let el: Element = serde_json::from_str(r#"{"kind":"title","text":"Hi","anchor":"hi"}"#)
            .expect("an element with a new field");
        assert_eq!(el, Element::Title { text: "Hi".into() });
    }

    /// Every JSON example in `docs/protocol.md` is a valid message, frame or
    /// element, and uses no field the code does not have, so the page cannot
    /// drift from the code. (Parsing alone would not notice a renamed field:
    /// unknown fields are ignored.)
    #[test]
    fn every_example_in_the_protocol_doc_parses() {
        /// Every object key of `example` is present in `parsed` (its
        /// re-serialised form), recursively.
        fn no_unknown_keys(example: &Value, parsed: &Value) -> bool {
            match (example, parsed) {
                (Value::Object(e), Value::Object(p)) => e
                    .iter()
                    .all(|(k, v)| p.get(k).is_some_and(|pv| no_unknown_keys(v, pv))),
                (Value::Array(e), Value::Array(p)) => {
                    e.len() == p.len() && e.iter().zip(p).all(|(a, b)| no_unknown_keys(a, b))
                }
                _ => true,
            }
        }
        fn round_trip<T: serde::de::DeserializeOwned + Serialize>(json: &str) -> Option<Value> {
            let parsed: T = serde_json::from_str(json).ok()?;
            serde_json::to_value(parsed).ok()
        }
        let doc = include_str!("../../../../docs/protocol.md");
        let mut examples = 0;
        for block in doc.split("```json").skip(1) {
            let json = block.split("```").next().unwrap_or_default();
            let example: Value = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("not JSON ({e}) in docs/protocol.md:\n{json}"));
            let known = [
                round_trip::<ClientMessage>(json),
                round_trip::<ServerMessage>(json),
                round_trip::<Vec<ServerMessage>>(json),
                round_trip::<Element>(json),
            ]
            .into_iter()
            .flatten()
            .any(|parsed| no_unknown_keys(&example, &parsed));
            assert!(
                known,
                "this example in docs/protocol.md does not parse, or has a field the code does not know:\n{json}"
            );
            examples += 1;
        }
        assert!(examples >= 12, "only {examples} examples found");
    }

    #[test]
    fn elements_are_tagged_by_kind() {
        let el = Element::Title { text: "Hi".into() };
        assert_eq!(
            serde_json::to_string(&el).expect("serializes"),
            r#"{"kind":"title","text":"Hi"}"#
        );
        let op = DeltaOp::Set {
            path: vec![0, 2],
            el: Element::Divider,
        };
        assert_eq!(
            serde_json::to_string(&op).expect("serializes"),
            r#"{"op":"set","path":[0,2],"el":{"kind":"divider"}}"#
        );
        let v: SliderValue = serde_json::from_str("[1.0, 2.5]").expect("range");
        assert_eq!(v, SliderValue::Range([1.0, 2.5]));
    }
}
