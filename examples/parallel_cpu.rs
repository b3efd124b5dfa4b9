//! CPU-bound work on every core from one run: there is no GIL. The range is
//! split into chunks that scoped threads (one per core) take from a shared
//! counter; each finished chunk advances one progress bar that all the
//! workers share.
//!
//! `cargo run --example parallel_cpu`

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use brooklet::prelude::*;

/// Whether `n` is prime (deliberately plain trial division: CPU work).
fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    let mut d = 2;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

/// Count the primes below `limit` on `threads` threads, advancing `bar`.
pub fn count_primes(
    ui: &Ui,
    limit: u64,
    threads: usize,
    bar: &brooklet::ui::elements::Progress,
) -> u64 {
    const CHUNKS: u64 = 100;
    let next = AtomicU64::new(0);
    let done = AtomicUsize::new(0);
    let total = AtomicU64::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let chunk = next.fetch_add(1, Ordering::Relaxed);
                if chunk >= CHUNKS || !ui.is_running() {
                    break;
                }
                let (from, to) = (chunk * limit / CHUNKS, (chunk + 1) * limit / CHUNKS);
                let found = (from..to).filter(|&n| is_prime(n)).count() as u64;
                total.fetch_add(found, Ordering::Relaxed);
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                bar.set_text(
                    finished as f64 / CHUNKS as f64,
                    format!("{finished} of {CHUNKS} chunks"),
                );
            });
        }
    });
    total.load(Ordering::Relaxed)
}

/// The app.
pub fn app(ui: &Ui) {
    ui.title("Parallel CPU work");
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let limit = ui.add(Slider::new("Count primes below (millions)", 1..=20).value(1));
    let threads = ui.add(Slider::new("Threads", 1..=16).value(cores));
    ui.caption(format!("This machine has {cores} cores."));
    let bar = ui.progress(0.0);
    let started = Instant::now();
    let primes = count_primes(ui, limit as u64 * 1_000_000, threads, &bar);
    let elapsed = started.elapsed();
    ui.add(Metric::new("Primes found", primes));
    ui.add(Metric::new(
        "Time",
        format!(
            "{:.0} ms on {threads} threads",
            elapsed.as_secs_f64() * 1000.0
        ),
    ));
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
