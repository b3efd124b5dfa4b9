//! Session state: a counter that survives reruns, one per browser tab.
//!
//! `cargo run --example counter`

use brooklet::prelude::*;

/// The app: a button that increments a counter kept in session state.
pub fn app(ui: &Ui) {
    if ui.button("Increment").clicked() {
        ui.state().update("count", || 0_i64, |count| *count += 1);
    }
    let count: i64 = ui.state().get("count").unwrap_or(0);
    ui.text(format!("Count: {count}"));
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
