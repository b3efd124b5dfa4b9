//! A tour of every element and widget; each widget's current value is shown
//! right after it.
//!
//! `cargo run --example widgets`

use brooklet::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct City {
    name: &'static str,
    country: &'static str,
    population: u32,
}

const CITIES: [City; 4] = [
    City {
        name: "Tokyo",
        country: "Japan",
        population: 37_400_068,
    },
    City {
        name: "Delhi",
        country: "India",
        population: 28_514_000,
    },
    City {
        name: "Shanghai",
        country: "China",
        population: 25_582_000,
    },
    City {
        name: "São Paulo",
        country: "Brazil",
        population: 21_650_000,
    },
];

#[derive(Serialize)]
struct Reading {
    id: usize,
    sensor: String,
    value: f64,
}

/// Shows a widget's value right after it.
fn show_value(ui: &Ui, value: impl std::fmt::Debug) {
    ui.caption(format!("value: {value:?}"));
}

/// The app: every element, then every widget.
pub fn app(ui: &Ui) {
    ui.title("Widgets");
    ui.caption("Every element and widget Brooklet has, each widget followed by its value.");

    let sidebar = ui.sidebar();
    sidebar.header("Sidebar");
    let mode = sidebar.radio("Mode", &["Light", "Dense"]);
    show_value(&sidebar, mode);

    ui.header("Text");
    ui.subheader("Markdown, text, caption, code");
    ui.markdown("Markdown with **bold**, *italics*, `code` and a [link](https://example.com).");
    ui.add(Markdown::new(
        "Raw HTML stays text unless allowed: <b>not bold</b>",
    ));
    ui.write(42.5);
    ui.text("Fixed-width text.");
    ui.caption("A caption.");
    ui.add(Code::new("fn main() {\n    println!(\"hi\");\n}").language("rust"));
    ui.divider();

    ui.header("Data");
    ui.json(&CITIES[0]);
    let [a, b, c] =
        <[Ui; 3]>::try_from(ui.columns(3)).unwrap_or_else(|_| unreachable!("three columns"));
    a.add(Metric::new("Temperature", "21 °C").delta("1.5 °C"));
    b.add(Metric::new("Wind", "9 km/h").delta("-3 km/h"));
    c.add(
        Metric::new("Humidity", "64 %")
            .delta("2 %")
            .delta_color(brooklet::protocol::DeltaColor::Inverse),
    );
    ui.table(&CITIES);
    let rows: Vec<Reading> = (0..100_000)
        .map(|id| Reading {
            id,
            sensor: format!("sensor-{}", id % 17),
            value: ((id * 7919) % 1000) as f64 / 10.0,
        })
        .collect();
    ui.add(Dataframe::new(&rows).height(300));

    ui.header("Status");
    ui.success("Saved.");
    ui.info("Did you know?");
    ui.warning("Careful.");
    ui.error("Something failed.");
    if let Err(error) = "not a number".parse::<i32>() {
        ui.exception(&error);
    }
    let bar = ui.progress(0.0);
    bar.set_text(0.7, "70 %");
    ui.spinner("Working…", || {
        std::thread::sleep(std::time::Duration::from_millis(50))
    });
    let slot = ui.empty();
    slot.text("This slot was overwritten…");
    slot.text("…and now holds this.");

    ui.header("Layout");
    let outer = ui.add(Container::new().border(true));
    outer.text("Inside a bordered container.");
    ui.expander("An expander")
        .show(|ui| ui.text("Hidden until opened."));
    let tabs = ui.tabs(&["First tab", "Second tab"]);
    tabs[0].text("Content of the first tab.");
    tabs[1].text("Content of the second tab.");

    ui.header("Widgets");
    let clicked = ui.button("Click me").clicked();
    show_value(ui, clicked);
    let checked = ui.checkbox("Check me");
    show_value(ui, checked);
    let on = ui.toggle("Switch me");
    show_value(ui, on);
    let text = ui.add(
        TextInput::new("Text input")
            .placeholder("type here")
            .help("Sent on Enter or when you leave the field"),
    );
    show_value(ui, &text);
    let area = ui.text_area("Text area");
    show_value(ui, &area);
    let whole = ui.add(NumberInput::new("Whole number", 3_i64).min(0).max(10));
    show_value(ui, whole);
    let fraction = ui.add(NumberInput::new("Fraction", 0.5_f64).step(0.1));
    show_value(ui, fraction);
    let level = ui.slider("Integer slider", 0..=10);
    show_value(ui, level);
    let ratio = ui.add(Slider::new("Float slider", 0.0..=1.0).value(0.25));
    show_value(ui, ratio);
    let span = ui.range_slider("Range slider", 0..=100);
    show_value(ui, span);
    let fspan = ui.range_slider("Float range slider", 0.0..=1.0);
    show_value(ui, fspan);
    let color = ui.selectbox("Select box", &["Red", "Green", "Blue"]);
    show_value(ui, color);
    let toppings = ui.multiselect("Multiselect", &["Cheese", "Tomato", "Basil", "Olives"]);
    show_value(ui, &toppings);
    let size = ui.add(Radio::new("Radio", &["Small", "Medium", "Large"]).horizontal(true));
    show_value(ui, size);
    let locked = ui.add(
        Checkbox::new("Disabled checkbox")
            .value(true)
            .disabled(true),
    );
    show_value(ui, locked);
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
