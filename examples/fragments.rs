//! Fragments: parts of the page that rerun on their own.
//!
//! "Full runs: N" counts runs of the whole app. The clock fragment reruns
//! every second by itself (a server-side timer), and the button fragment
//! reruns when its button is clicked — neither runs the rest of the app, so
//! the full-run count stays put.
//!
//! `cargo run --example fragments`

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use brooklet::prelude::*;

/// The time of day (UTC) as `HH:MM:SS`.
pub fn clock() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        % 86_400;
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The app.
pub fn app(ui: &Ui) {
    ui.title("Fragments");
    let full_runs = ui.state().update(
        "full_runs",
        || 0_u64,
        |n| {
            *n += 1;
            *n
        },
    );
    ui.text(format!("Full runs: {full_runs}"));

    ui.subheader("A clock that ticks on its own");
    ui.add(
        Fragment::new(|ui| ui.text(format!("Time: {}", clock()))).run_every(Duration::from_secs(1)),
    );

    ui.subheader("A button that reruns only its fragment");
    ui.fragment(|ui| {
        if ui.button("Fragment click").clicked() {
            ui.state().update("fragment_clicks", || 0_u64, |n| *n += 1);
        }
        let clicks: u64 = ui.state().get("fragment_clicks").unwrap_or(0);
        ui.text(format!("Fragment clicks: {clicks}"));
    });
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
