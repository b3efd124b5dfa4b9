//! Threads without Brooklet calls (plain threads that compute while the script
//! joins them): five worker threads sleep 5, 4, 3, 2 and 1 seconds; once all
//! have joined, the app shows each result under a header.
//!
//! Nothing special is needed: a worker that does not draw is just a thread.
//! Compare `threads_live`, where each worker draws its own result at once.
//!
//! `cargo run --example threads_batched`

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use brooklet::prelude::*;

/// Seconds since the Unix epoch, like Python's `time.time()`.
pub fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default()
}

/// How long each worker works, in order.
pub const DELAYS: [u64; 5] = [5, 4, 3, 2, 1];

/// The app.
pub fn app(ui: &Ui) {
    let workers: Vec<std::thread::JoinHandle<String>> = DELAYS
        .iter()
        .map(|&delay| {
            std::thread::spawn(move || {
                let start = now();
                std::thread::sleep(Duration::from_secs(delay));
                let end = now();
                format!("start: {start:.3}, end: {end:.3}")
            })
        })
        .collect();
    let results: Vec<String> = workers
        .into_iter()
        .map(|worker| {
            worker
                .join()
                .unwrap_or_else(|_| "the worker panicked".to_string())
        })
        .collect();
    for (i, result) in results.iter().enumerate() {
        ui.header(format!("Thread {i}"));
        ui.write(result);
    }
    let _ = ui.button("Rerun");
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
