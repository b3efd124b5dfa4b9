//! Caching: a slow load, computed once and shared by every session.
//!
//! The first session to ask waits two seconds (the run indicator names the
//! function meanwhile); every other session, and every rerun, gets the rows
//! from the cache at once. "Clear cache" forgets them.
//!
//! `cargo run --example cache`

use std::time::{Duration, Instant};

use brooklet::prelude::*;
use serde::Serialize;

/// How long the load takes.
pub const LOAD_TIME: Duration = Duration::from_secs(2);

/// One row of the data set.
#[derive(Clone, Serialize)]
pub struct Row {
    id: u32,
    city: &'static str,
    temperature: f64,
}

/// The cache of the slow load (one place, so that loading and clearing use
/// the same cache).
pub fn rows_cache() -> CacheData {
    CacheData::new("load_rows").ttl(Duration::from_secs(3600))
}

/// The slow load itself.
fn load_rows() -> Vec<Row> {
    std::thread::sleep(LOAD_TIME);
    let cities = ["Oslo", "Lima", "Perth", "Quito", "Accra"];
    (0..10_000)
        .map(|id| Row {
            id,
            city: cities[id as usize % cities.len()],
            temperature: ((id * 37) % 400) as f64 / 10.0 - 5.0,
        })
        .collect()
}

/// The app.
pub fn app(ui: &Ui) {
    ui.title("Cache");
    if ui.button("Clear cache").clicked() {
        rows_cache().clear();
    }
    let started = Instant::now();
    let rows = rows_cache().get(ui, &(), load_rows);
    ui.text(format!(
        "Loaded {} rows in {} ms",
        rows.len(),
        started.elapsed().as_millis()
    ));
    ui.dataframe(&rows);
    // Below the cached call: a cache miss must leave these where a hit does
    // (the chosen tab, the open expander and the table's sort survive).
    let tabs = ui.tabs(&["Summary", "Notes"]);
    tabs[0].text(format!("{} cities", 5));
    tabs[1].text("The rows are made up.");
    ui.expander("How the cache works")
        .show(|ui| ui.text("The first session computes; the others wait and share."));
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
