//! A background job that outlives the run that started it.
//!
//! "Start job" hands a `SessionHandle` to a plain thread and the run ends at
//! once. Two seconds later the job stores its result in session state and
//! asks its own session to rerun, which shows it. The handle is weak: if the
//! tab has gone by then, the job's calls do nothing.
//!
//! `cargo run --example background_job`

use std::time::{Duration, Instant};

use brooklet::prelude::*;

/// How long the job takes.
pub const JOB_TIME: Duration = Duration::from_secs(2);

/// The job: sums the squares below ten million, slowly.
fn slow_sum() -> u64 {
    let started = Instant::now();
    let sum = (0..10_000_000u64).map(|i| i * i % 1_000_003).sum();
    if let Some(rest) = JOB_TIME.checked_sub(started.elapsed()) {
        std::thread::sleep(rest);
    }
    sum
}

/// The app.
pub fn app(ui: &Ui) {
    ui.title("Background job");
    let running = ui.state().get::<bool>("running").unwrap_or(false);
    if ui.add(Button::new("Start job").disabled(running)).clicked() {
        ui.state().set("running", true);
        ui.state().remove("result");
        let handle = ui.session_handle();
        std::thread::spawn(move || {
            let result = slow_sum();
            handle.update_state(|state| {
                state.set("result", result);
                state.set("running", false);
            });
            handle.rerun();
        });
    }
    if ui.state().get::<bool>("running").unwrap_or(false) {
        ui.info("Job running… the page updates by itself when it is done.");
    }
    match ui.state().get::<u64>("result") {
        Some(result) => ui.success(format!("Result: {result}")),
        None => ui.caption("No result yet."),
    };
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
