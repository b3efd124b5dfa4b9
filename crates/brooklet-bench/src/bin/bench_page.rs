//! The *page* benchmark app, for the browser benchmark
//! (`e2e/bench/bigpage.mjs`): a "Change" button and N text elements
//! (`BENCH_PAGE_N`, default 10,000); the button changes the text of one of
//! them (the middle one) and nothing else. With `BENCH_PAGE_PAUSE_MS` the
//! run pauses that long halfway (a run that takes a moment, as one that
//! queries something does): its changes then reach the browser in more
//! than one frame.
//!
//! `BENCH_PAGE_N=50000 bench-page --server.port 8501`

use std::sync::OnceLock;
use std::time::Duration;

use brooklet::prelude::*;

/// How many text elements the page has.
fn size() -> usize {
    static N: OnceLock<usize> = OnceLock::new();
    *N.get_or_init(|| {
        std::env::var("BENCH_PAGE_N")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(10_000)
    })
}

/// How long a run pauses halfway.
fn pause() -> Duration {
    static PAUSE: OnceLock<Duration> = OnceLock::new();
    *PAUSE.get_or_init(|| {
        let ms = std::env::var("BENCH_PAGE_PAUSE_MS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        Duration::from_millis(ms)
    })
}

fn app(ui: &Ui) {
    if ui.button("Change").clicked() {
        ui.state().update("changes", || 0_u64, |n| *n += 1);
    }
    let changes: u64 = ui.state().get("changes").unwrap_or(0);
    let n = size();
    let changed = n / 2;
    for i in 0..n {
        if i == n / 2 && !pause().is_zero() {
            std::thread::sleep(pause());
        }
        if i == changed && changes > 0 {
            ui.text(format!("row {i} (changed {changes} times)"));
        } else {
            ui.text(format!("row {i}"));
        }
    }
}

fn main() -> brooklet::Result<()> {
    brooklet::App::new(app).run()
}
