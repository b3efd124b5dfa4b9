//! The gallery: every element and widget Brooklet has, each beside the code
//! that draws it. Pick a family in the sidebar.
//!
//! `cargo run --example gallery`, then open http://127.0.0.1:8501
//! (`?section=choices` opens a family directly).
//!
//! How it works: each entry is a function `fn name(ui: &Ui)` below. The
//! gallery runs it, and shows its body, read from this very file, as the
//! code (so the code shown is exactly the code that runs); the first line
//! of its doc comment is the entry's title, the rest its description.

use brooklet::prelude::*;

/// This file, for the code beside each entry.
const SOURCE: &str = include_str!("gallery.rs");

/// A family of entries: one page of the gallery.
#[derive(Clone, Copy)]
pub struct Section {
    /// Its name in the sidebar and its header.
    pub name: &'static str,
    /// Its name in the address bar (`?section=…`).
    pub slug: &'static str,
    /// Draws its entries.
    pub draw: fn(&Ui),
}

impl std::fmt::Display for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl Section {
    const fn new(name: &'static str, slug: &'static str, draw: fn(&Ui)) -> Section {
        Section { name, slug, draw }
    }
}

/// Every section, in sidebar order.
pub const SECTIONS: [Section; 13] = [
    Section::new("Text", "text", text_section),
    Section::new("Data", "data", data_section),
    Section::new("Charts", "charts", charts_section),
    Section::new("Files & media", "media", media_section),
    Section::new("Alerts & status", "status", status_section),
    Section::new("Layout", "layout", layout_section),
    Section::new("Buttons & toggles", "buttons", buttons_section),
    Section::new("Text input", "text-input", text_input_section),
    Section::new("Numbers", "numbers", numbers_section),
    Section::new("Choices", "choices", choices_section),
    Section::new("Forms", "forms", forms_section),
    Section::new("Fragments", "fragments", fragments_section),
    Section::new("State & flow", "state", state_section),
];

/// The app: the section picker in the sidebar, then the chosen section.
pub fn app(ui: &Ui) {
    ui.title("Brooklet gallery");
    ui.markdown(
        "Every element and widget, with the code that draws it: each entry's code is the \
        body of a function `fn(ui: &Ui)`, and what it draws is beside it (under it on a \
        phone). Pick a family in the sidebar.",
    );

    // The section comes from the address (`?section=layout`) at first, and
    // goes back there, so that every section has a link.
    let sidebar = ui.sidebar();
    let params = ui.query_params();
    let asked = params
        .get("section")
        .and_then(|slug| SECTIONS.iter().position(|s| s.slug == slug));
    let section = sidebar.add(Selectbox::new("Section", &SECTIONS).index(asked.unwrap_or(0)));
    if params.get("section").as_deref() != Some(section.slug) {
        params.set("section", section.slug);
    }
    // Read by `entry` from session state, under its key.
    sidebar.add(
        Toggle::new("Show code")
            .value(true)
            .key(SHOW_CODE)
            .help("Off: the results alone, full width"),
    );
    sidebar.caption("Threads, caching and async IO have examples of their own.");

    ui.add(Header::new(section.name).divider(true));
    (section.draw)(ui);
}

/// The key of the "Show code" toggle.
const SHOW_CODE: &str = "show_code";

/// Show the entries named, in order: `entries!(ui; title, header)`.
macro_rules! entries {
    ($ui:expr; $($demo:ident),+ $(,)?) => {
        $(entry($ui, stringify!($demo), $demo);)+
    };
}

/// Entries whose result needs the page's width (columns inside the result
/// column would be too narrow, charts would be cramped): their code goes
/// above the result.
const FULL_WIDTH: [&str; 18] = [
    "columns",
    "columns_weighted",
    "line_chart",
    "bar_chart",
    "scatter_chart",
    "chart_selection",
    "live_chart",
    "vega_lite_chart",
    "plotly_chart",
    "plotters_chart",
    "graphviz_chart",
    "map",
    "video",
    "pdf",
    "download_lazy",
    "file_uploader",
    "camera_input",
    "audio_input",
];

/// One entry: its title and description, then its code beside its result
/// (stacked on narrow screens).
fn entry(ui: &Ui, name: &str, demo: fn(&Ui)) {
    let source = Source::of(name);
    ui.subheader(source.title);
    if !source.description.is_empty() {
        ui.markdown(source.description);
    }
    if !ui.state().get(SHOW_CODE).unwrap_or(true) {
        demo(&ui.container());
        return;
    }
    let code = Code::new(source.body).language("rust");
    if FULL_WIDTH.contains(&name) {
        ui.add(code);
        demo(&ui.container());
        return;
    }
    let columns = ui.add(Columns::weighted(&[2.0, 1.0]));
    columns[0].add(code);
    demo(&columns[1]);
}

/// What this file says about an entry.
struct Source {
    /// The first line of its doc comment.
    title: String,
    /// The rest of its doc comment (markdown).
    description: String,
    /// The body of its function, one indent less.
    body: String,
}

impl Source {
    /// The doc comment and body of `fn name(ui: &Ui)` in this file.
    fn of(name: &str) -> Source {
        let signature = format!("fn {name}(ui: &Ui) {{");
        let lines: Vec<&str> = SOURCE.lines().collect();
        let Some(start) = lines.iter().position(|line| *line == signature) else {
            return Source {
                title: name.to_owned(),
                description: String::new(),
                body: format!("// no `{signature}` in examples/gallery.rs"),
            };
        };
        let doc_start = lines[..start]
            .iter()
            .rposition(|line| !line.starts_with("///"))
            .map_or(0, |i| i + 1);
        let doc: Vec<&str> = lines[doc_start..start]
            .iter()
            .map(|line| line.trim_start_matches("///").trim())
            .collect();
        let body: Vec<&str> = lines[start + 1..]
            .iter()
            .take_while(|line| **line != "}")
            .map(|line| line.strip_prefix("    ").unwrap_or(line))
            .collect();
        Source {
            title: doc.first().map_or(name, |t| *t).to_owned(),
            description: doc.get(1..).unwrap_or_default().join("\n"),
            body: body.join("\n"),
        }
    }
}

// ---------------------------------------------------------------- text ----

fn text_section(ui: &Ui) {
    entries!(
        ui;
        title, header, subheader, markdown, markdown_html, write, text, caption, code,
        divider,
    );
}

/// Title
/// The page's title: `ui.title(text)`.
fn title(ui: &Ui) {
    ui.title("A title");
}

/// Header
/// `ui.header(text)`, or `Header` for a divider under it.
fn header(ui: &Ui) {
    ui.header("A header");
    ui.add(Header::new("Ruled").divider(true));
}

/// Subheader
/// `ui.subheader(text)`, or `Header::new(..).sub()`.
fn subheader(ui: &Ui) {
    ui.subheader("A subheader");
    ui.add(Header::new("Ruled").sub().divider(true));
}

/// Markdown
/// CommonMark with tables, strikethrough and task lists.
fn markdown(ui: &Ui) {
    ui.markdown(
        "**Bold**, *italic*, `code` and
[a link](https://www.rust-lang.org).

- [x] task lists
- ~~strikethrough~~

| City | Rank |
|------|------|
| Oslo | 1    |",
    );
}

/// Markdown with HTML
/// Raw HTML is shown as text unless `Markdown::unsafe_allow_html(true)`
/// (only for text you trust).
fn markdown_html(ui: &Ui) {
    ui.markdown("Escaped: <b>not bold</b>");
    let html = Markdown::new("Allowed: <b>bold</b>");
    ui.add(html.unsafe_allow_html(true));
}

/// Write
/// `ui.write(value)`: anything `Display`, as markdown.
fn write(ui: &Ui) {
    ui.write(42.5);
    ui.write("*markdown* too");
}

/// Text
/// Fixed-width text, shown as is.
fn text(ui: &Ui) {
    ui.text("Fixed-width text,\n  spaces kept.");
}

/// Caption
/// Small grey text.
fn caption(ui: &Ui) {
    ui.caption("A caption under something.");
}

/// Code
/// `ui.code(text)`, or `Code` with a `language`; each has a Copy button.
fn code(ui: &Ui) {
    let sql = "SELECT name\nFROM cities;";
    ui.add(Code::new(sql).language("sql"));
    ui.code("plain text");
}

/// Divider
/// A horizontal rule.
fn divider(ui: &Ui) {
    ui.text("Above");
    ui.divider();
    ui.text("Below");
}

// --------------------------------------------------------------- media ----

fn media_section(ui: &Ui) {
    entries!(
        ui;
        image, image_row, audio, video, pdf, logo, download_button,
        download_lazy, file_uploader, camera_input, audio_input,
    );
}

/// The media files these entries show, next to this file.
fn asset(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/assets")
        .join(name)
}

/// A small picture made in code (a 48×48 colour wheel) for the entries.
fn picture(shift: u8) -> Vec<u8> {
    let (w, h) = (48u32, 48u32);
    let mut px = Vec::new();
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x * 5) as u8 ^ shift, (y * 5) as u8, shift]);
        }
    }
    let mut png = Vec::new();
    let encoder = brooklet::image::codecs::png::PngEncoder::new(&mut png);
    brooklet::image::ImageEncoder::write_image(
        encoder,
        &px,
        w,
        h,
        brooklet::image::ExtendedColorType::Rgb8,
    )
    .expect("encodes");
    png
}

/// Image
/// `ui.image(bytes)` for PNG, JPEG, GIF, WebP or SVG bytes, a path or
/// a URL; `Image` adds a caption and a width. The bytes are sent once,
/// however often the app reruns.
fn image(ui: &Ui) {
    let png: Vec<u8> = picture(0);
    let image = Image::new(png).caption("Made in code");
    ui.add(image.width(96));
}

/// Images in a row
/// `Image::row` lays several out side by side, each with its caption.
fn image_row(ui: &Ui) {
    let pictures = [0, 90, 180].map(picture);
    let row = Image::row(pictures).width(64);
    ui.add(row.captions(["one", "two", "three"]));
}

/// Audio
/// `ui.audio(bytes)`, a path or a URL; `Audio::from_samples` makes
/// WAV from samples. Seeking works: media is served with ranges.
fn audio(ui: &Ui) {
    use std::f32::consts::TAU;
    let rate = 8_000;
    let step = 660.0 * TAU / rate as f32;
    let beep: Vec<f32> = (0..rate / 2)
        .map(|i| (i as f32 * step).sin() * 0.3)
        .collect();
    ui.add(Audio::from_samples(&beep, rate, 1));
}

/// Video
/// `ui.video(path)` (or bytes, or a URL) with WebVTT subtitles, a start
/// and end time, looping and (muted) autoplay.
fn video(ui: &Ui) {
    ui.add(
        Video::new(asset("clip.webm"))
            .subtitles("English", asset("clip.vtt"))
            .start_time(0.5),
    );
}

/// PDF
/// `ui.pdf(bytes or path)`, shown by the browser's own viewer.
fn pdf(ui: &Ui) {
    ui.add(Pdf::new(asset("sample.pdf")).height(320));
}

/// Logo
/// `ui.logo(..)` puts a picture at the top of the sidebar, wherever the
/// app calls it; `Logo` adds a link and a size.
fn logo(ui: &Ui) {
    ui.add(Logo::new(picture(40)).alt("Gallery logo"));
    ui.caption("See the top of the sidebar.");
}

/// Download button
/// `ui.download_button(label, data, file_name)`: bytes or text, stored
/// once and sent only when clicked.
fn download_button(ui: &Ui) {
    let csv = "city,people\nOslo,709000\nBergen,291000\n";
    let name = "cities.csv";
    let label = "Download CSV";
    let button = ui.download_button(label, csv, name);
    if button.clicked() {
        ui.caption("Downloaded");
    }
}

/// Download made when clicked
/// `DownloadData::lazy` (bytes) and `DownloadData::stream` (a reader)
/// run only when clicked, on a thread of their own; a stream of any
/// size holds a few chunks in memory.
fn download_lazy(ui: &Ui) {
    let report = DownloadData::stream(|| {
        let line = |i: u64| format!("{i},{}\n", i * i);
        let all: String = (1..10_000).map(line).collect();
        Ok(std::io::Cursor::new(all))
    });
    let _ = ui.add(
        DownloadButton::new("Export squares", report)
            .file_name("squares.csv")
            .rerun_on_click(false),
    );
}

/// File uploader
/// `ui.file_uploader(label, types)`: drag and drop or browse; the file
/// streams over HTTP (not the socket) and stays until removed.
fn file_uploader(ui: &Ui) {
    let types = ["txt", "csv", "md"];
    let file = ui.file_uploader("A text file", &types);
    if let Some(file) = file {
        let text = file.text().unwrap_or_default();
        let lines = text.lines().count();
        let name = file.name();
        ui.caption(format!("{name}: {lines} lines"));
    }
}

/// Camera input
/// `ui.camera_input(label)`: a photo from the camera (JPEG). Browsers
/// allow it on HTTPS and localhost pages only.
fn camera_input(ui: &Ui) {
    let photo = ui.camera_input("Take a picture");
    if let Some(photo) = photo {
        let size = photo.size();
        ui.caption(format!("{size} bytes of JPEG"));
    }
}

/// Audio input
/// `ui.audio_input(label)`: a clip recorded with the microphone.
fn audio_input(ui: &Ui) {
    if let Some(clip) = ui.audio_input("Record a clip") {
        let bytes = clip.bytes().unwrap_or_default();
        ui.audio(bytes.to_vec());
    }
}

// -------------------------------------------------------------- charts ----

fn charts_section(ui: &Ui) {
    entries!(
        ui;
        line_chart, bar_chart, scatter_chart, chart_selection,
        live_chart, vega_lite_chart, plotly_chart, plotters_chart,
        graphviz_chart, map,
    );
}

/// Line chart
/// `ui.line_chart(&rows)` draws every numeric column; `SimpleChart`
/// picks `x`, `y` and more. Any number of points: the page gets a
/// few per pixel and finer ones as you zoom (wheel; shift-drag pans;
/// double-click resets).
fn line_chart(ui: &Ui) {
    let rows: Vec<(f64, f64)> = (0..200)
        .map(|i| f64::from(i) / 20.0)
        .map(|t| (t.sin(), (t * 0.5).cos()))
        .collect();
    ui.line_chart(&rows);
}

/// Bar chart
/// Long-form rows split into series by `color_by`; stacked by
/// default, side by side with `Stack::None`, `horizontal(true)`
/// along y.
fn bar_chart(ui: &Ui) {
    #[derive(serde::Serialize)]
    struct Sale {
        quarter: &'static str,
        region: &'static str,
        units: f64,
    }
    let mut sales = Vec::new();
    let quarters = [("Q1", 12., 7.), ("Q2", 15., 11.)];
    for (quarter, north, south) in quarters {
        let regions = [("N", north), ("S", south)];
        for (region, units) in regions {
            sales.push(Sale {
                quarter,
                region,
                units,
            });
        }
    }
    let chart = SimpleChart::bar(&sales)
        .x("quarter")
        .y("units")
        .color_by("region")
        .stack(Stack::None);
    ui.add(chart);
}

/// Scatter chart
/// `size` and `color_by` take columns: dot sizes, and colours on a
/// scale (numbers) or by category (text).
fn scatter_chart(ui: &Ui) {
    let dots: Vec<(f64, f64, f64)> = (0..60)
        .map(f64::from)
        .map(|i| (i % 13.0, (i * 7.0) % 11.0, i))
        .collect();
    ui.add(
        SimpleChart::scatter(&dots)
            .x("0")
            .y("1")
            .size("2")
            .color_by("2"),
    );
}

/// Chart selection
/// `on_select` makes points (click) or x ranges (drag) selectable;
/// the run gets the range, the points and the rows they cover.
fn chart_selection(ui: &Ui) {
    let wave = (0..50).map(|i| f64::from(i % 10));
    let ys: Vec<f64> = wave.collect();
    let mode = ChartSelectMode::Interval;
    let chart = SimpleChart::area(&ys).on_select(mode);
    let picked = ui.add(chart);
    let n = picked.rows.len();
    ui.text(format!("Rows selected: {n}"));
}

/// Live chart
/// `add_rows` on what a chart function returns appends points
/// while the run goes on (here one every 30 ms, from the run; a
/// worker can too): only the new points travel.
fn live_chart(ui: &Ui) {
    let mut feed = ui.line_chart(&[0.0]);
    for step in 1..=10 {
        std::thread::sleep(Duration::from_millis(30));
        let value = (f64::from(step) / 2.0).sin();
        if feed.add_rows(&[value]).is_err() {
            break;
        }
    }
}

/// Vega-Lite chart
/// `ui.vega_lite_chart(&spec, &rows)`: any Vega-Lite spec, the rows
/// as its data; `VegaLite::on_select` reports its selections.
fn vega_lite_chart(ui: &Ui) {
    let rows = [("a", 28), ("b", 55), ("c", 43)];
    let spec = serde_json::json!({
        "mark": "bar",
        "params": [{"name": "pick", "select": "point"}],
        "encoding": {
            "x": {"field": "0", "type": "nominal"},
            "y": {"field": "1", "type": "quantitative"}
        }
    });
    let chart = VegaLite::new(&spec).data(&rows);
    let picked = ui.add(chart.on_select(["pick"]));
    ui.text(format!("Picked rows: {:?}", picked.rows));
}

/// Plotly chart
/// `ui.plotly_chart(&plot)` shows a figure of the `plotly` crate
/// (feature `plotly`).
fn plotly_chart(ui: &Ui) {
    use brooklet::plotly::{Plot, Scatter};
    let mut plot = Plot::new();
    let xs = vec![1, 2, 3, 4];
    let trace = Scatter::new(xs, vec![10, 15, 13, 17]);
    plot.add_trace(trace.name("visits"));
    ui.plotly_chart(&plot);
}

/// Plotters
/// `ui.plotters(width, height, |area| …)` draws with the `plotters`
/// crate to SVG on the server (feature `plotters`).
fn plotters_chart(ui: &Ui) {
    use brooklet::plotters::prelude::*;
    ui.plotters(360, 220, |area| {
        area.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(32)
            .build_cartesian_2d(0f64..10.0, 0f64..100.0)?;
        chart.configure_mesh().draw()?;
        let pts = (0..=40).map(|i| f64::from(i) / 4.0);
        let line = pts.map(|x| (x, x * x));
        chart.draw_series(LineSeries::new(line, &BLUE))?;
        Ok::<(), Box<dyn std::error::Error>>(())
    });
}

/// Graphviz chart
/// `ui.graphviz_chart(dot)` lays out a graph in the DOT language on
/// the server.
fn graphviz_chart(ui: &Ui) {
    let dot = "digraph { rankdir=LR; a -> b -> c }";
    ui.graphviz_chart(dot);
}

/// Map
/// `ui.map(&rows)` puts points from `lat`/`lon` columns on a map:
/// a world outline shipped with Brooklet, or tiles you choose
/// (`Map::tiles`).
fn map(ui: &Ui) {
    #[derive(serde::Serialize)]
    struct Place {
        lat: f64,
        lon: f64,
    }
    let places = [
        Place {
            lat: 59.9,
            lon: 10.7,
        },
        Place {
            lat: -33.9,
            lon: 151.2,
        },
        Place {
            lat: 40.7,
            lon: -74.0,
        },
    ];
    ui.add(Map::new(&places).radius(6.0));
}

// ---------------------------------------------------------------- data ----

fn data_section(ui: &Ui) {
    entries!(
        ui;
        metric, metric_options, metric_chart, json, json_collapsed, table, dataframe,
        dataframe_columns, dataframe_selection, data_editor,
    );
}

/// Metric
/// A big number with a label: `ui.metric(label, value)`.
fn metric(ui: &Ui) {
    ui.metric("Users", 1_204);
}

/// Metric options
/// `Metric::delta` (text starting with `-` is a decrease), `delta_color`
/// (`Normal`, `Inverse`, `Off`) and `help` (a tooltip).
fn metric_options(ui: &Ui) {
    use brooklet::protocol::DeltaColor;
    ui.add(
        Metric::new("Revenue", "$1.2M")
            .delta("+4%")
            .help("This quarter"),
    );
    ui.add(
        Metric::new("Latency", "212 ms")
            .delta("-18 ms")
            .delta_color(DeltaColor::Inverse),
    );
}

/// Metric with a chart
/// `Metric::format` formats a numeric value and delta
/// (`"dollar"`, `"%.1f"`, …); `border` and `chart` (recent
/// values; `chart_type` line, bar or area).
fn metric_chart(ui: &Ui) {
    use brooklet::protocol::ChartType;
    let week = [980.0, 1020.0, 1100.0, 1060.0, 1234.5];
    ui.add(
        Metric::new("Sales", 1234.5)
            .delta(174.5)
            .format("dollar")
            .border(true)
            .chart(week),
    );
    ui.add(
        Metric::new("Signups", 86)
            .delta(-12)
            .border(true)
            .chart([120.0, 104.0, 98.0, 86.0])
            .chart_type(ChartType::Bar),
    );
}

/// JSON
/// Any `Serialize` value, pretty-printed and collapsible.
fn json(ui: &Ui) {
    ui.json(&serde_json::json!({
        "name": "Oslo",
        "tags": ["fjord", "capital"],
        "people": 709_000,
    }));
}

/// JSON, collapsed
/// `Json::expanded(false)` starts it closed;
/// `expand_depth(1)` opens only the top level.
fn json_collapsed(ui: &Ui) {
    let city = ("Lima", -12.04, -77.04);
    ui.add(Json::new(&city).expanded(false));
    let nested = serde_json::json!({
        "name": "Oslo",
        "districts": [{ "name": "Frogner" }],
    });
    ui.add(Json::new(&nested).expand_depth(1));
}

/// Table
/// A static table: rows of any `Serialize` type; a struct's fields are
/// its columns.
fn table(ui: &Ui) {
    #[derive(serde::Serialize)]
    struct City {
        name: &'static str,
        pop: u32,
    }
    let data = [("Oslo", 709_000), ("Lima", 10_092_000)];
    let rows = data.map(|(name, pop)| City { name, pop });
    ui.table(&rows);
}

/// Dataframe
/// The rows stay on the server; the page asks for the rows it shows, and
/// sorts and searches on the server, so millions of rows stay smooth.
/// `Dataframe::height` sets its height in pixels.
fn dataframe(ui: &Ui) {
    #[derive(serde::Serialize)]
    struct Reading {
        id: u32,
        sensor: String,
        value: f64,
    }
    let rows: Vec<Reading> = (0..1_000)
        .map(|id| Reading {
            id,
            sensor: format!("s-{}", id % 7),
            value: f64::from(id * 37 % 100) / 10.0,
        })
        .collect();
    ui.add(Dataframe::new(&rows).height(240));
}

/// Dataframe columns
/// `Dataframe::column` configures a column: its type (number formats,
/// progress bars, links, lists, sparklines, …), label, width, help, pinning.
fn dataframe_columns(ui: &Ui) {
    use brooklet::data::Column;
    #[derive(serde::Serialize)]
    struct Product {
        name: &'static str,
        price: f64,
        sold: f64,
        site: &'static str,
        tags: Vec<&'static str>,
        weekly: Vec<u32>,
    }
    let rows = [
        Product {
            name: "Kettle",
            price: 39.5,
            sold: 0.82,
            site: "https://example.com/kettle",
            tags: vec!["kitchen", "steel"],
            weekly: vec![3, 5, 4, 8, 7],
        },
        Product {
            name: "Toaster",
            price: 1249.0,
            sold: 0.35,
            site: "https://example.com/toaster",
            tags: vec!["kitchen"],
            weekly: vec![1, 0, 2, 1, 3],
        },
    ];
    let name = Column::text().pinned(true);
    let price = Column::number().format("dollar");
    let sold = Column::progress().help("Share sold");
    let site = Column::link().display_text("Open");
    let weekly = Column::line_chart().label("Weeks");
    let grid = Dataframe::new(&rows)
        .column("name", name)
        .column("price", price)
        .column("sold", sold)
        .column("site", site)
        .column("tags", Column::list())
        .column("weekly", weekly)
        .hide_index(true);
    ui.add(grid);
}

/// Dataframe selection
/// `Dataframe::on_select` makes rows (or columns) selectable and
/// returns the selection, typed: row positions in the data, whatever
/// the sort.
fn dataframe_selection(ui: &Ui) {
    use brooklet::ui::widgets::SelectionMode;
    let p = [12.5, 8.0, 3.25, 19.0];
    let grid = Dataframe::new(&p);
    let mode = SelectionMode::MultiRow;
    let picked = ui.add(grid.on_select(mode));
    let rows = &picked.rows;
    let sum = rows.iter().fold(0.0, |s, &r| s + p[r]);
    let count = rows.len();
    ui.text(format!("Selected: {count}, sum {sum}"));
}

/// Data editor
/// `ui.data_editor(&rows)` returns the rows as the person edited
/// them;
/// `NumRows::Dynamic` lets them add and delete rows.
fn data_editor(ui: &Ui) {
    use brooklet::data::Column;
    use brooklet::ui::widgets::{DataEditor, NumRows};
    #[derive(Clone, serde::Serialize, serde::Deserialize)]
    struct Task {
        task: String,
        hours: f64,
        done: bool,
    }
    let tasks = vec![
        Task {
            task: "Write docs".into(),
            hours: 3.0,
            done: false,
        },
        Task {
            task: "Fix bug".into(),
            hours: 1.5,
            done: true,
        },
    ];
    let hours = Column::number().min(0.0).step(0.5);
    let editor = DataEditor::new(&tasks)
        .num_rows(NumRows::Dynamic)
        .column("hours", hours.default_value(1.0))
        .hide_index(true);
    let edited = ui.add(editor);
    let left = edited
        .iter()
        .filter(|t| !t.done)
        .fold(0.0, |sum, t| sum + t.hours);
    ui.text(format!("Hours left: {left}"));
}

// -------------------------------------------------------------- status ----

fn status_section(ui: &Ui) {
    entries!(
        ui;
        alerts, exception, progress, progress_live, spinner, empty,
    );
}

/// Alerts
/// Coloured boxes of markdown.
fn alerts(ui: &Ui) {
    ui.success("Saved.");
    ui.info("Did you *know*?");
    ui.warning("Careful.");
    ui.error("Something failed.");
}

/// Exception
/// An error value with its chain of sources.
fn exception(ui: &Ui) {
    if let Err(error) = "forty-two".parse::<i32>() {
        ui.exception(&error);
    }
}

/// Progress
/// `ui.progress(value)` (0.0 to 1.0) returns a handle: `set(value)`,
/// `set_text(value, text)`, `clear()`.
fn progress(ui: &Ui) {
    let bar = ui.progress(0.0);
    bar.set(0.25);
    bar.set_text(0.7, "70% done");
}

/// Progress, live
/// Updates are sent as the run goes (rapid ones are coalesced).
fn progress_live(ui: &Ui) {
    let bar = ui.progress(0.0);
    if ui.button("Upload").clicked() {
        let tick = Duration::from_millis(100);
        for step in 1..=10 {
            std::thread::sleep(tick);
            let done = f64::from(step) / 10.0;
            bar.set_text(done, format!("{step}0%"));
        }
        bar.clear();
        ui.success("Uploaded.");
    }
}

/// Spinner
/// `ui.spinner(text, work)` shows a spinner while `work` runs, then removes
/// it, and returns what `work` returned.
fn spinner(ui: &Ui) {
    if ui.button("Crunch numbers").clicked() {
        let answer = ui.spinner("Crunching…", || {
            std::thread::sleep(Duration::from_secs(1));
            42
        });
        ui.success(format!("The answer: {answer}"));
    }
}

/// Empty
/// `ui.empty()` is a one-element slot: each element drawn into it replaces
/// the one before; `slot.empty()` clears it.
fn empty(ui: &Ui) {
    let slot = ui.empty();
    slot.text("Loading…");
    slot.success("Loaded: this replaced \"Loading…\".");
}

// -------------------------------------------------------------- layout ----

fn layout_section(ui: &Ui) {
    entries!(
        ui;
        container, container_order, columns, columns_weighted, expander, tabs, sidebar,
    );
}

/// Container
/// A block to draw into, optionally with a border.
fn container(ui: &Ui) {
    let boxed = ui.add(Container::new().border(true));
    boxed.text("In a bordered container.");
}

/// Container order
/// A container keeps its place: what is drawn into it later (or from
/// another thread) still shows where it was made.
fn container_order(ui: &Ui) {
    let first = ui.container();
    ui.text("Drawn first, shown second.");
    first.text("Drawn last, shown first.");
}

/// Columns
/// `ui.columns(n)`: `n` equal columns, each a `Ui`.
fn columns(ui: &Ui) {
    let cols = ui.columns(2);
    cols[0].metric("Left", 1);
    cols[1].metric("Right", 2);
}

/// Weighted columns
/// `Columns::weighted(&[..])`: relative widths. Columns stack on narrow
/// screens.
fn columns_weighted(ui: &Ui) {
    let cols = ui.add(Columns::weighted(&[2.0, 1.0]));
    cols[0].info("Two parts of three");
    cols[1].info("One part");
}

/// Expander
/// A collapsible block, closed at first unless `Expander::expanded(true)`.
fn expander(ui: &Ui) {
    ui.expander("Closed at first")
        .show(|ui| ui.text("Hidden until opened."));
    ui.add(Expander::new("Open at first").expanded(true))
        .text("Shown at once.");
}

/// Tabs
/// `ui.tabs(&labels)` returns one `Ui` per tab.
fn tabs(ui: &Ui) {
    let tabs = ui.tabs(&["Chart", "Data"]);
    tabs[0].text("The chart tab.");
    tabs[1].json(&[1, 2, 3]);
}

/// Sidebar
/// `ui.sidebar()` draws in the page's sidebar (on the left, or at the top
/// on a phone).
fn sidebar(ui: &Ui) {
    ui.sidebar().info("Drawn by the Layout section.");
    ui.caption("See the sidebar.");
}

// ------------------------------------------------------------- buttons ----

fn buttons_section(ui: &Ui) {
    entries!(
        ui;
        button, button_options, button_on_click, checkbox, checkbox_options, toggle,
        toggle_on_change,
    );
}

/// Button
/// `.clicked()` is true for exactly one run per press.
fn button(ui: &Ui) {
    if ui.button("Say hi").clicked() {
        ui.success("Hi!");
    }
}

/// Button options
/// `primary`, `help` (a tooltip), `disabled`, and `key`, which every
/// widget has (needed when two would otherwise be the same).
fn button_options(ui: &Ui) {
    let save = ui.add(
        Button::new("Save")
            .primary(true)
            .help("Saves the draft")
            .key("save"),
    );
    let off = ui.add(Button::new("Off").disabled(true));
    let clicked = save.clicked() || off.clicked();
    ui.caption(format!("clicked: {clicked}"));
}

/// Button callback
/// `Button::on_click` runs before the rerun the press starts.
fn button_on_click(ui: &Ui) {
    let hit = Button::new("Hit me").on_click(|ui| {
        ui.state().update("hits", || 0_u32, |n| *n += 1);
    });
    let _ = ui.add(hit);
    let hits: u32 = ui.state().get("hits").unwrap_or(0);
    ui.text(format!("Hits: {hits}"));
}

/// Checkbox
/// `ui.checkbox(label)` is a `bool`, false at first.
fn checkbox(ui: &Ui) {
    if ui.checkbox("Show details") {
        ui.text("Details!");
    }
}

/// Checkbox options
/// `value` (the first value), `help`, `disabled`.
fn checkbox_options(ui: &Ui) {
    let on = ui.add(
        Checkbox::new("Checked at first")
            .value(true)
            .help("A tooltip"),
    );
    ui.add(Checkbox::new("Locked").disabled(true));
    ui.caption(format!("value: {on}"));
}

/// Toggle
/// An on/off switch: `ui.toggle(label)`, or `Toggle` with the options of
/// a checkbox.
fn toggle(ui: &Ui) {
    let on = ui.toggle("Dark mode");
    ui.caption(format!("value: {on}"));
}

/// Change callback
/// `on_change` runs before the rerun; with a `key`, the new value is in
/// session state under it.
fn toggle_on_change(ui: &Ui) {
    let alerts = Toggle::new("Alerts").key("alerts");
    ui.add(alerts.on_change(|ui| {
        let on = ui.state().get::<bool>("alerts");
        ui.state().set("seen", on == Some(true));
    }));
    let seen: Option<bool> = ui.state().get("seen");
    ui.caption(format!("on_change saw {seen:?}"));
}

// ---------------------------------------------------------- text input ----

fn text_input_section(ui: &Ui) {
    entries!(
        ui;
        text_input, text_input_options, password, text_area,
    );
}

/// Text input
/// `ui.text_input(label)` is a `String`, sent on Enter or when you leave
/// the field.
fn text_input(ui: &Ui) {
    let name = ui.text_input("Name");
    ui.write(format!("Hello, **{name}**"));
}

/// Text input options
/// `value` (the first value), `placeholder`, `max_chars`, `help`.
fn text_input_options(ui: &Ui) {
    let city = ui.add(
        TextInput::new("City")
            .value("Oslo")
            .help("Starts as Oslo; type another"),
    );
    let code = ui.add(
        TextInput::new("Airport")
            .placeholder("e.g. OSL")
            .max_chars(3)
            .help("Three letters"),
    );
    ui.caption(format!("{city:?}, {code:?}"));
}

/// Password
/// `TextInput::password(true)` masks what is typed.
fn password(ui: &Ui) {
    let secret = ui.add(
        TextInput::new("Password")
            .password(true)
            .placeholder("Not shown"),
    );
    let n = secret.chars().count();
    ui.caption(format!("{n} characters"));
}

/// Text area
/// Several lines, sent when you leave it (or on Ctrl+Enter): `height` in
/// pixels, `placeholder`, `max_chars`, `value`.
fn text_area(ui: &Ui) {
    let notes = ui.add(
        TextArea::new("Notes")
            .placeholder("Write here…")
            .height(120)
            .max_chars(500),
    );
    let n = notes.chars().count();
    ui.caption(format!("{n} of 500 characters"));
}

// ------------------------------------------------------------- numbers ----

fn numbers_section(ui: &Ui) {
    entries!(
        ui;
        number_input, number_input_options, slider, slider_options, range_slider,
        range_slider_options,
    );
}

/// Number input
/// `ui.number_input(label, start)`: the start value's type is the
/// widget's (`2` is an `i32`, `2.5` an `f64`).
fn number_input(ui: &Ui) {
    let guests = ui.number_input("Guests", 2);
    ui.caption(format!("value: {guests}"));
}

/// Number input options
/// `min`, `max` and `step` (of the −/+ buttons).
fn number_input_options(ui: &Ui) {
    let age = ui.add(
        NumberInput::new("Age", 30_u8)
            .min(18)
            .max(120)
            .help("18 to 120"),
    );
    let price = ui.add(
        NumberInput::new("Price", 9.5)
            .min(0.0)
            .step(0.5)
            .help("In steps of 0.5"),
    );
    ui.caption(format!("{age}, {price}"));
}

/// Slider
/// `ui.slider(label, range)`, at the low end at first.
fn slider(ui: &Ui) {
    let volume = ui.slider("Volume", 0..=11);
    ui.caption(format!("value: {volume}"));
}

/// Slider options
/// `value` (the first value) and `step` (default 1, or 1/100 of the range
/// for floats).
fn slider_options(ui: &Ui) {
    let opacity = ui.add(
        Slider::new("Opacity", 0.0..=1.0)
            .value(0.8)
            .step(0.05)
            .help("0 to 1"),
    );
    ui.caption(format!("value: {opacity:.2}"));
}

/// Range slider
/// Two handles: `ui.range_slider(label, range)` is a `(low, high)`, all
/// of the range at first.
fn range_slider(ui: &Ui) {
    let (lo, hi) = ui.range_slider("Years", 1990..=2030);
    ui.caption(format!("{lo} to {hi}"));
}

/// Range slider options
/// `RangeSlider::value(low, high)` and `step`.
fn range_slider_options(ui: &Ui) {
    let band = ui.add(
        RangeSlider::new("Price band", 0..=500)
            .value(100, 300)
            .step(10),
    );
    ui.caption(format!("value: {band:?}"));
}

// ------------------------------------------------------------- choices ----

fn choices_section(ui: &Ui) {
    entries!(
        ui;
        selectbox, selectbox_options, selectbox_optional, radio, radio_options, multiselect,
        multiselect_options,
    );
}

/// Selectbox
/// A drop-down over any `Display` values; returns the value chosen, the
/// first at first.
fn selectbox(ui: &Ui) {
    let colours = ["Red", "Green", "Blue"];
    let colour = ui.selectbox("Colour", &colours);
    let size = ui.selectbox("Page size", &[10, 25, 50]);
    ui.caption(format!("{colour}, {size}"));
}

/// Selectbox options
/// The first choice by position (`index`) or by `value`.
fn selectbox_options(ui: &Ui) {
    let cities = ["Oslo", "Lima", "Pune"];
    let city = ui.add(
        Selectbox::new("City", &cities)
            .index(2)
            .help("Starts at the third"),
    );
    let hub = ui.add(
        Selectbox::new("Hub", &cities)
            .value(&"Lima")
            .help("Starts at Lima"),
    );
    ui.caption(format!("{city}, {hub}"));
}

/// Optional selectbox
/// `Selectbox::optional()` starts with nothing chosen (a `placeholder`)
/// and returns an `Option`; an empty list is fine.
fn selectbox_optional(ui: &Ui) {
    let pick = ui.add(
        Selectbox::new("Airport", &["OSL", "LIM"])
            .optional()
            .placeholder("Pick one"),
    );
    ui.caption(format!("value: {pick:?}"));
}

/// Radio
/// Radio buttons; the first option at first.
fn radio(ui: &Ui) {
    let plan = ui.radio("Plan", &["Free", "Pro", "Team"]);
    ui.caption(format!("value: {plan}"));
}

/// Radio options
/// `horizontal`, `value`/`index`, and `optional()` (nothing chosen at
/// first, an `Option` back).
fn radio_options(ui: &Ui) {
    let sizes = ["S", "M", "L"];
    let size = ui.add(
        Radio::new("Size", &sizes)
            .value(&"M")
            .horizontal(true)
            .help("In a row"),
    );
    let fits = ["Slim", "Loose"];
    let fit = ui.add(Radio::new("Fit", &fits).optional());
    ui.caption(format!("{size}, {fit:?}"));
}

/// Multiselect
/// Several choices; a `Vec` in the order they were chosen.
fn multiselect(ui: &Ui) {
    let all = ["Cheese", "Basil", "Olives"];
    let chosen = ui.multiselect("Toppings", &all);
    ui.caption(format!("value: {chosen:?}"));
}

/// Multiselect options
/// The first choices by position (`selected`) or by value (`values`), and
/// a `placeholder`.
fn multiselect_options(ui: &Ui) {
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri"];
    let open = ui.add(
        Multiselect::new("Open on", &days)
            .selected(&[0, 2])
            .help("Chosen by position"),
    );
    let late = ui.add(
        Multiselect::new("Late on", &days)
            .values(&["Fri"])
            .help("Chosen by value"),
    );
    let shut = ui.add(
        Multiselect::new("Closed on", &days)
            .placeholder("Open every day")
            .help("Nothing chosen at first"),
    );
    ui.caption(format!("{open:?} {late:?} {shut:?}"));
}

// --------------------------------------------------------------- forms ----

fn forms_section(ui: &Ui) {
    entries!(ui; form, form_options);
}

/// Form
/// Changes stay in the browser until the submit button sends them all in
/// one rerun.
fn form(ui: &Ui) {
    ui.form("signup", |form| {
        let name = form.text_input("Your name");
        let seats = form.slider("Seats", 1..=5);
        if form.form_submit_button("Sign up") {
            form.success(format!("Hi {name} ({seats})"));
        }
    });
}

/// Form options
/// `Form::clear_on_submit(true)` resets the widgets after each submit;
/// `border(false)`. `FormSubmit` takes `primary`, `on_click` and the
/// options of every widget.
fn form_options(ui: &Ui) {
    let add = FormSubmit::new("Add")
        .primary(false)
        .on_click(|ui| ui.state().set("sent", true));
    let form = Form::new("note").border(false);
    form.clear_on_submit(true).show(ui, |form| {
        let note = form.text_input("Note");
        if form.add(add) {
            form.caption(format!("Added {note:?}"));
        }
    });
    let sent = ui.state().contains("sent");
    ui.caption(format!("on_click ran: {sent}"));
}

// ----------------------------------------------------------- fragments ----

fn fragments_section(ui: &Ui) {
    entries!(ui; fragment, fragment_timer, fragment_keys);
}

/// Fragment
/// `ui.fragment(|ui| ..)` reruns on its own: a widget inside it reruns
/// only the closure, not the app.
fn fragment(ui: &Ui) {
    let state = ui.state();
    state.update("full", || 0_u32, |n| *n += 1);
    let full: u32 = state.get("full").unwrap_or(0);
    ui.text(format!("Full runs: {full}"));
    ui.fragment(|ui| {
        let state = ui.state();
        state.update("part", || 0_u32, |n| *n += 1);
        let part: u32 = state.get("part").unwrap_or(0);
        ui.text(format!("Fragment runs: {part}"));
        let _ = ui.button("Rerun the fragment");
    });
}

/// Fragment on a timer
/// `Fragment::run_every(interval)`: the server reruns it, while the tab
/// is open and a full run still draws it.
fn fragment_timer(ui: &Ui) {
    let clock = Fragment::new(|ui| {
        let state = ui.state();
        state.update("ticks", || 0_u32, |n| *n += 1);
        let ticks: u32 = state.get("ticks").unwrap_or(0);
        ui.text(format!("Ticks: {ticks}"));
    });
    ui.add(clock.run_every(Duration::from_secs(1)));
}

/// Fragment keys
/// A fragment is known by its place in the source: give `Fragment::key`
/// when one place makes several.
fn fragment_keys(ui: &Ui) {
    for name in ["A", "B"] {
        let part = Fragment::new(move |ui| {
            let label = format!("Refresh {name}");
            if ui.button(label).clicked() {
                ui.text(format!("{name} refreshed"));
            }
        });
        ui.add(part.key(name));
    }
}

// --------------------------------------------------------------- state ----

fn state_section(ui: &Ui) {
    entries!(
        ui;
        session_state, widget_key, query_params, rerun, stop,
    );
}

/// Session state
/// Typed values by key that live as long as the tab: `get`, `set`,
/// `update`, `remove`.
fn session_state(ui: &Ui) {
    if ui.button("Add one").clicked() {
        ui.state().update("count", || 0_i64, |n| *n += 1);
    }
    let count: i64 = ui.state().get("count").unwrap_or(0);
    ui.text(format!("Count: {count}"));
}

/// Widget keys
/// A widget's `key` is also its session-state key: read its value there,
/// or set it before the widget is drawn.
fn widget_key(ui: &Ui) {
    let reset = Button::new("Reset").on_click(|ui| {
        ui.state().set("level", 0);
    });
    let _ = ui.add(reset);
    let level = ui.add(
        Slider::new("Level", 0..=10)
            .value(5)
            .key("level")
            .help("In state as \"level\""),
    );
    let stored: Option<i32> = ui.state().get("level");
    ui.caption(format!("{level}, in state: {stored:?}"));
}

/// Query parameters
/// `ui.query_params()`: read and set the page's `?key=value`; changes show
/// in the address bar, so the page can be shared.
fn query_params(ui: &Ui) {
    let params = ui.query_params();
    let city = params.get("city").unwrap_or_default();
    let input = TextInput::new("City (in the URL)");
    let typed = ui.add(input.value(city.as_str()));
    if typed != city {
        params.set("city", &typed);
    }
}

/// Rerun
/// `ui.rerun()` ends this run and starts a new one (to redraw what was
/// drawn above with new state).
fn rerun(ui: &Ui) {
    let count: i64 = ui.state().get("count").unwrap_or(0);
    ui.text(format!("Count, again: {count}"));
    if ui.button("Zero the count").clicked() {
        ui.state().remove("count");
        ui.rerun();
    }
}

/// Stop
/// `ui.stop()` ends the run here, as if the app returned.
fn stop(ui: &Ui) {
    if !ui.add(Checkbox::new("Carry on").value(true)) {
        ui.warning("Stopped: nothing below is drawn.");
        ui.stop();
    }
    ui.success("The run carried on.");
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
