//! The Brooklet benchmark apps; see `src/main.rs` for the load generator and
//! `benches/rerun.rs` for the micro-benchmarks.

pub mod apps;
