//! Cancellation: a run that takes five seconds, restartable at any time.
//!
//! Clicking "Restart" while lines are still appearing cancels the run at its
//! next `Ui` call and starts a new one; no line is ever shown twice.
//!
//! `cargo run --example slow`

use std::time::Duration;

use brooklet::prelude::*;

/// How long the app waits between lines.
pub const LINE_DELAY: Duration = Duration::from_millis(100);

/// The app: a "Restart" button, then fifty lines, one every 100 ms.
pub fn app(ui: &Ui) {
    let _ = ui.button("Restart").clicked();
    for i in 1..=50 {
        ui.text(format!("line {i}"));
        std::thread::sleep(LINE_DELAY);
    }
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
