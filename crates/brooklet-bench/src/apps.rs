//! The benchmark apps, shared by the binaries and the micro-benchmarks.

use brooklet::prelude::*;

/// *counter*: ten static text lines, a button, and a counter kept in
/// session state.
pub fn counter(ui: &Ui) {
    for i in 1..=10 {
        ui.text(format!("line {i}"));
    }
    if ui.button("Increment").clicked() {
        ui.state().update("count", || 0_u64, |n| *n += 1);
    }
    let count: u64 = ui.state().get("count").unwrap_or(0);
    ui.text(format!("Count: {count}"));
}

/// *big*: a thousand text elements, a button, and a counter.
pub fn big(ui: &Ui) {
    for i in 0..1000 {
        ui.text(format!("row {i}"));
    }
    if ui.button("Increment").clicked() {
        ui.state().update("count", || 0_u64, |n| *n += 1);
    }
    let count: u64 = ui.state().get("count").unwrap_or(0);
    ui.text(format!("Count: {count}"));
}
