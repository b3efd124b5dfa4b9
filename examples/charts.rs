//! One chart of each kind, each with a caption naming it: the simple
//! charts (line, area, bar, scatter), Vega-Lite, plotly, plotters,
//! Graphviz and a map.
//!
//! `cargo run --example charts`, then open http://127.0.0.1:8501.

use brooklet::data::arrow::array::{ArrayRef, Date32Array, Float64Array, RecordBatch};
use brooklet::data::Frame;
use brooklet::plotly::{Bar, Plot, Scatter};
use brooklet::plotters::prelude::*;
use brooklet::prelude::*;
use serde_json::json;
use std::sync::Arc;

/// A small deterministic random-number generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    /// A number in `0.0..1.0`.
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Two prices over a year of days: a frame with a date column.
fn prices() -> Frame {
    let mut rng = Lcg(7);
    let days: Vec<i32> = (0..365).map(|d| 19_723 + d).collect(); // from 2024-01-01
    let (mut a, mut b) = (100.0, 80.0);
    let mut north = Vec::new();
    let mut south = Vec::new();
    for _ in &days {
        a += rng.next() - 0.48;
        b += rng.next() - 0.5;
        north.push(a);
        south.push(b);
    }
    let batch = RecordBatch::try_from_iter([
        ("day", Arc::new(Date32Array::from(days)) as ArrayRef),
        ("north", Arc::new(Float64Array::from(north)) as ArrayRef),
        ("south", Arc::new(Float64Array::from(south)) as ArrayRef),
    ])
    .expect("columns of one length");
    Frame::from_batch(batch)
}

#[derive(serde::Serialize)]
struct Sale {
    quarter: &'static str,
    region: &'static str,
    units: f64,
}

fn sales() -> Vec<Sale> {
    let mut rows = Vec::new();
    for (q, quarter) in ["Q1", "Q2", "Q3", "Q4"].into_iter().enumerate() {
        for (r, region) in ["north", "south", "east"].into_iter().enumerate() {
            rows.push(Sale {
                quarter,
                region,
                units: 20.0 + (q * 7 + r * 11) as f64 % 17.0,
            });
        }
    }
    rows
}

#[derive(serde::Serialize)]
struct Flower {
    petal: f64,
    sepal: f64,
    weight: f64,
    species: &'static str,
}

fn flowers() -> Vec<Flower> {
    let mut rng = Lcg(3);
    (0..150)
        .map(|i| {
            let (species, base) = [("setosa", 1.5), ("versicolor", 4.3), ("virginica", 5.6)][i % 3];
            let petal = base + rng.next() - 0.5;
            Flower {
                petal,
                sepal: petal * 0.8 + 2.0 + rng.next(),
                weight: 1.0 + rng.next() * 9.0,
                species,
            }
        })
        .collect()
}

#[derive(serde::Serialize)]
struct City {
    name: &'static str,
    lat: f64,
    lon: f64,
    people: f64,
    /// A dot's radius in metres: its area grows with the population.
    radius: f64,
}

fn cities() -> Vec<City> {
    [
        ("Oslo", 59.91, 10.75, 0.7),
        ("Stockholm", 59.33, 18.07, 0.98),
        ("Copenhagen", 55.68, 12.57, 0.64),
        ("Helsinki", 60.17, 24.94, 0.66),
        ("Reykjavik", 64.15, -21.94, 0.14),
        ("Berlin", 52.52, 13.40, 3.7),
        ("Paris", 48.86, 2.35, 2.1),
        ("Madrid", 40.42, -3.70, 3.3),
        ("Rome", 41.90, 12.50, 2.8),
        ("London", 51.51, -0.13, 8.9),
    ]
    .into_iter()
    .map(|(name, lat, lon, millions)| City {
        name,
        lat,
        lon,
        people: millions * 1e6,
        radius: (millions * 1e6_f64).sqrt() * 40.0,
    })
    .collect()
}

/// The app: each chart kind, a caption under each.
pub fn app(ui: &Ui) {
    ui.title("Charts");

    ui.add(SimpleChart::line(prices()).x("day").y_label("price"));
    ui.caption("line_chart");

    ui.add(
        SimpleChart::area(&sales())
            .x("quarter")
            .y("units")
            .color_by("region"),
    );
    ui.caption("area_chart");

    ui.add(
        SimpleChart::bar(&sales())
            .x("quarter")
            .y("units")
            .color_by("region")
            .stack(Stack::None),
    );
    ui.caption("bar_chart");

    ui.add(
        SimpleChart::scatter(&flowers())
            .x("petal")
            .y("sepal")
            .size("weight")
            .color_by("species"),
    );
    ui.caption("scatter_chart");

    let spec = json!({
        "mark": {"type": "point", "filled": true},
        "params": [{"name": "brush", "select": {"type": "interval"}}],
        "encoding": {
            "x": {"field": "petal", "type": "quantitative"},
            "y": {"field": "sepal", "type": "quantitative"},
            "color": {
                "condition": {"param": "brush", "field": "species", "type": "nominal"},
                "value": "lightgray"
            }
        }
    });
    let brushed = ui.add(
        VegaLite::new(&spec)
            .data(&flowers())
            .height(260)
            .on_select(["brush"]),
    );
    ui.caption("vega_lite_chart");
    if !brushed.is_empty() {
        ui.text(format!("Brushed: {} flowers", brushed.rows.len()));
    }

    let mut plot = Plot::new();
    plot.add_trace(Bar::new(vec!["Q1", "Q2", "Q3", "Q4"], vec![12, 19, 8, 15]).name("orders"));
    plot.add_trace(Scatter::new(vec!["Q1", "Q2", "Q3", "Q4"], vec![10, 14, 11, 17]).name("target"));
    ui.plotly_chart(&plot);
    ui.caption("plotly_chart");

    ui.plotters(640, 320, |area| {
        area.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(0.0f64..6.3, -1.1f64..1.1)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        let wave = |f: fn(f64) -> f64| {
            (0..=126)
                .map(move |i| f64::from(i) / 20.0)
                .map(move |x| (x, f(x)))
        };
        chart.draw_series(LineSeries::new(
            wave(f64::sin),
            RGBColor(0x44, 0x77, 0xaa).stroke_width(2),
        ))?;
        chart.draw_series(LineSeries::new(
            wave(f64::cos),
            RGBColor(0xee, 0x66, 0x77).stroke_width(2),
        ))?;
        Ok::<(), Box<dyn std::error::Error>>(())
    });
    ui.caption("plotters");

    ui.graphviz_chart(
        "digraph pipeline { rankdir=LR; load -> clean -> model -> report; clean -> chart; model -> chart }",
    );
    ui.caption("graphviz_chart");

    ui.add(
        Map::new(&cities())
            .size_by("people")
            .size_scale(0.02)
            .color_by("name"),
    );
    ui.caption("map");
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
