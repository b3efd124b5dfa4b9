//! A line chart of a random walk of up to 100,000,000 points. The points
//! stay on the server: the page gets at most four per pixel column (every
//! peak kept), and the true points as you zoom in (wheel, or drag with
//! shift to pan; double-click to reset). Drag across the chart to select a
//! range of x: the app prints it.
//!
//! `cargo run --release --example big_chart`, then open http://127.0.0.1:8501.

use brooklet::data::arrow::array::{ArrayRef, Float64Array, RecordBatch};
use brooklet::data::Frame;
use brooklet::prelude::*;
use std::sync::Arc;

/// The most points the input allows.
const MAX_POINTS: u64 = 100_000_000;

/// A random walk of `n` steps in one `f64` column, `value`. Generating
/// 100,000,000 takes about a second in a release build; the chart then
/// shares the column's memory (800 MB) rather than copying it.
fn walk(n: u64) -> Frame {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut y = 0.0f64;
    let values: Vec<f64> = (0..n)
        .map(|_| {
            // xorshift64*: fast, and good enough for a picture.
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            let r = seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
            y += r as f64 / (1u64 << 53) as f64 - 0.5;
            y
        })
        .collect();
    let column = Arc::new(Float64Array::from(values)) as ArrayRef;
    Frame::from_batch(RecordBatch::try_from_iter([("value", column)]).expect("one column"))
}

/// The app: the number of points, the chart, the selected range.
pub fn app(ui: &Ui) {
    ui.title("A big line chart");
    let n = ui.add(
        NumberInput::new("Points", 1_000_000u64)
            .min(1)
            .max(MAX_POINTS)
            .step(1_000_000),
    );
    // One walk per length at a time: a 100,000,000-point walk is 800 MB.
    let data = CacheData::new("walk")
        .max_entries(1)
        .get(ui, &n, || walk(n));
    ui.caption(format!("Points: {n}"));
    let selected = ui.add(
        SimpleChart::line(&data)
            .y_label("value")
            .height(360)
            .on_select(ChartSelectMode::Interval),
    );
    match selected.x {
        Some((from, to)) => ui.text(format!("Selected: {}..{}", from.round(), to.round())),
        None => ui.text("Drag across the chart to select a range."),
    };
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
