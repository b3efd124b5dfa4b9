//! Micro-benchmarks of simple charts on the server: preparing a
//! 10,000,000-point series for a chart (a rerun that draws new data), and
//! answering the page's points requests for it — the whole range at 1,600
//! pixel columns (per-pixel first/min/max/last: the M4 method), and a
//! zoomed range of 1,000 points (the points themselves).
//!
//! `cargo bench -p brooklet-bench --bench charts`

use brooklet::data::Frame;
use brooklet::prelude::*;
use brooklet::testing::AppTest;

fn main() {
    divan::main();
}

const POINTS: usize = 10_000_000;

/// A random walk of `POINTS` steps, built once.
fn walk() -> Frame {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut y = 0.0f64;
    let values: Vec<f64> = (0..POINTS)
        .map(|_| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            y +=
                (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            y
        })
        .collect();
    Frame::from_columns([("value", values)]).expect("one column")
}

fn drawn() -> AppTest {
    let frame = walk();
    let mut at = AppTest::new(move |ui: &Ui| {
        ui.line_chart(&frame);
    });
    at.run().expect("run");
    at
}

#[divan::bench(sample_count = 10)]
fn points_whole_range_1600px(bencher: divan::Bencher<'_, '_>) {
    let mut at = drawn();
    bencher.bench_local(|| at.chart(0).points(1600).x.len());
}

#[divan::bench(sample_count = 10)]
fn points_zoomed_to_1000_rows(bencher: divan::Bencher<'_, '_>) {
    let mut at = drawn();
    bencher.bench_local(|| {
        at.chart(0)
            .points_in(5_000_000.0, 5_000_999.0, 1600)
            .x
            .len()
    });
}

/// A first draw of new data: the frame's identity, the NaN check and the
/// axes' ranges over 10,000,000 values (the column is shared, not copied).
#[divan::bench(sample_count = 5)]
fn first_draw_of_new_data(bencher: divan::Bencher<'_, '_>) {
    bencher.with_inputs(walk).bench_local_values(|frame| {
        let mut at = AppTest::new(move |ui: &Ui| {
            ui.line_chart(&frame);
        });
        at.run().expect("run");
        at.chart(0).rows()
    });
}
