//! Threads that draw their results as they finish: five containers under
//! headers "Thread 0" … "Thread 4"; a worker per container sleeps 5, 4, 3, 2
//! or 1 seconds and writes its result into its container the moment it
//! finishes — Thread 4 first, after about a second — while the script thread
//! is still waiting.
//!
//! No context to attach by hand, no polling loop: `container.spawn` starts a
//! worker bound to this run. Clicking "Rerun" while workers sleep cancels the
//! run; the old workers' late writes are refused, so nothing of the
//! cancelled run appears afterwards.
//!
//! `cargo run --example threads_live`

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
    let containers: Vec<Ui> = (0..DELAYS.len())
        .map(|i| {
            ui.header(format!("Thread {i}"));
            ui.container()
        })
        .collect();
    let workers: Vec<Worker<()>> = containers
        .iter()
        .zip(DELAYS)
        .map(|(container, delay)| {
            container.spawn(move |ui| {
                let start = now();
                std::thread::sleep(Duration::from_secs(delay));
                let end = now();
                ui.write(format!("start: {start:.3}, end: {end:.3}"));
            })
        })
        .collect();
    for worker in workers {
        // Joining is a checkpoint: a click on "Rerun" ends the wait.
        let _ = worker.join();
    }
    let _ = ui.button("Rerun");
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
