//! `brooklet-bench`: a load generator that speaks the Brooklet protocol to
//! an app on 127.0.0.1 and reports what a rerun costs.
//!
//! ```text
//! brooklet-bench load  --app target/release/bench-counter --sessions 50 --clicks 100
//! brooklet-bench idle  --app target/release/bench-counter --sessions 1000
//! brooklet-bench suite [--bin-dir target/release] [--json results.json]
//! brooklet-bench soak  [--app target/release/bench-counter] [--idle 5000] [--cycles 10000] [--timeout-s 180]
//! brooklet-bench frames [--app target/release/examples/dataframe] [--rows 10000000] [--sessions 10]
//! brooklet-bench files [--app target/release/bench-files] [--upload-mb 100] [--export-mb 1000]
//! ```
//!
//! `load`: N sessions connect, then each presses the button K times, one
//! press after the previous rerun finished; reported: click → `run_finished`
//! latency (p50/p90/p99), reruns per second, messages/frames/bytes per
//! rerun, server CPU ms per rerun and RSS, start-up time.
//! `idle`: N sessions connect and sit; reported: RSS per idle session.
//! `suite`: every scenario of `docs/performance.md`, as a Markdown table.
//! `frames`: the dataframe example at scale (see `src/frames.rs`): first
//! screen bytes and time, sort time (first and cached), scrolling window
//! latency, search, and memory with many sessions showing one frame.
//! `files`: upload throughput and memory, a streamed 1 GB export's memory,
//! and an unchanged 5 MB image over 100 reruns (see `src/files.rs`).
//! `soak`: against one app process at once: idle sockets that said `hello`
//! and are never read (plus raw TCP sockets that send nothing and upgraded
//! ones that never say `hello`), connect/disconnect cycles (32 in flight), a
//! press flood on one session (at the default 100 messages/s limit), a
//! session that presses but never reads, and a bystander clicking every
//! 100 ms; reported: the app's RSS, threads and open fds before, during
//! (peak, sampled every 250 ms) and after, what became of each kind of
//! socket, and the bystander's click → `run_finished` latency (see
//! `src/soak.rs`).
//!
//! The app is started with its abuse caps (`server.max_sessions`,
//! `server.max_sessions_per_ip`, `server.max_messages_per_sec`,
//! `server.max_connections`) raised far above any scenario, so that `load`,
//! `idle` and `suite` measure reruns, not the caps; `soak` puts the default
//! message rate back and sets `server.session_ttl_secs` to 2.
//!
//! Everything is bounded: counts are fixed and `--timeout-s` (default 120;
//! 180 for `soak`) ends any scenario.

#![forbid(unsafe_code)]

mod client;
mod files;
mod frames;
mod server;
mod soak;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::sync::{Barrier, Semaphore};

use client::{Rerun, Session};
use server::Server;

/// Options of one scenario.
#[derive(Debug, Clone)]
struct Load {
    name: String,
    app: PathBuf,
    sessions: usize,
    clicks: usize,
    button: String,
    timeout: Duration,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

async fn run_load(load: &Load) -> Result<Value, String> {
    let server = Server::start(&load.app).await?;
    let deadline = Instant::now() + load.timeout;
    let addr = Arc::new(server.addr.clone());
    let connect_gate = Arc::new(Semaphore::new(64));
    let ready = Arc::new(Barrier::new(load.sessions + 1));
    let mut tasks = Vec::with_capacity(load.sessions);
    for _ in 0..load.sessions {
        let (addr, gate, ready) = (addr.clone(), connect_gate.clone(), ready.clone());
        let (button, clicks) = (load.button.clone(), load.clicks);
        tasks.push(tokio::spawn(async move {
            let opened = {
                let _permit = gate.acquire().await.map_err(|e| e.to_string());
                Session::open(&addr, &button, deadline).await
            };
            let mut session = match opened {
                Ok(mut session) => {
                    // One warm-up press, not counted.
                    let warm = session.click(deadline).await;
                    ready.wait().await;
                    match warm {
                        Ok(_) => session,
                        Err(error) => return (Vec::new(), vec![error]),
                    }
                }
                Err(error) => {
                    ready.wait().await;
                    return (Vec::new(), vec![error]);
                }
            };
            let mut reruns = Vec::with_capacity(clicks);
            let mut errors = Vec::new();
            for _ in 0..clicks {
                if Instant::now() >= deadline {
                    errors.push("deadline".to_owned());
                    break;
                }
                match session.click(deadline).await {
                    Ok(rerun) => reruns.push(rerun),
                    Err(error) => {
                        errors.push(error);
                        break;
                    }
                }
            }
            session.close().await;
            (reruns, errors)
        }));
    }
    ready.wait().await;
    let cpu_before = server.cpu_time();
    let started = Instant::now();
    let mut reruns: Vec<Rerun> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for task in tasks {
        let (r, e) = task.await.map_err(|e| e.to_string())?;
        reruns.extend(r);
        errors.extend(e);
    }
    let elapsed = started.elapsed();
    let cpu = server.cpu_time().saturating_sub(cpu_before);
    let rss = server.rss();
    let startup = server.startup;
    server.stop().await;

    let mut latencies: Vec<Duration> = reruns.iter().map(|r| r.latency).collect();
    latencies.sort();
    let n = reruns.len().max(1) as f64;
    let expected = load.sessions * load.clicks;
    Ok(json!({
        "scenario": load.name,
        "sessions": load.sessions,
        "clicks_per_session": load.clicks,
        "reruns": reruns.len(),
        "errors": errors.len() + expected.saturating_sub(reruns.len()).saturating_sub(errors.len()),
        "first_error": errors.first(),
        "p50_ms": percentile(&latencies, 50.0),
        "p90_ms": percentile(&latencies, 90.0),
        "p99_ms": percentile(&latencies, 99.0),
        "reruns_per_s": reruns.len() as f64 / elapsed.as_secs_f64(),
        "messages_per_rerun": reruns.iter().map(|r| r.messages).sum::<u64>() as f64 / n,
        "frames_per_rerun": reruns.iter().map(|r| r.frames).sum::<u64>() as f64 / n,
        "bytes_per_rerun": reruns.iter().map(|r| r.bytes).sum::<u64>() as f64 / n,
        "server_cpu_ms_per_rerun": cpu.as_secs_f64() * 1000.0 / n,
        "server_rss_mib": rss as f64 / (1024.0 * 1024.0),
        "startup_ms": startup.as_secs_f64() * 1000.0,
    }))
}

async fn run_idle(app: &Path, sessions: usize, timeout: Duration) -> Result<Value, String> {
    let server = Server::start(app).await?;
    let deadline = Instant::now() + timeout;
    // Settle the allocator with one session, then measure the rest.
    let first = Session::open(&server.addr, "Increment", deadline).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = server.rss();
    let gate = Arc::new(Semaphore::new(64));
    let mut tasks = Vec::new();
    for _ in 1..sessions {
        let (addr, gate) = (server.addr.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await;
            Session::open(&addr, "Increment", deadline).await
        }));
    }
    let mut open = vec![first];
    let mut errors = 0;
    for task in tasks {
        match task.await {
            Ok(Ok(session)) => open.push(session),
            _ => errors += 1,
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = server.rss();
    let measured = open.len().saturating_sub(1).max(1);
    let result = json!({
        "scenario": "idle",
        "sessions": open.len(),
        "errors": errors,
        "rss_before_mib": before as f64 / (1024.0 * 1024.0),
        "rss_after_mib": after as f64 / (1024.0 * 1024.0),
        "rss_per_idle_session_kib": after.saturating_sub(before) as f64 / 1024.0 / measured as f64,
        "startup_ms": server.startup.as_secs_f64() * 1000.0,
    });
    for session in open {
        session.close().await;
    }
    server.stop().await;
    Ok(result)
}

fn row(result: &Value) -> String {
    let f = |key: &str, digits: usize| match result[key].as_f64() {
        Some(v) if v.is_finite() => format!("{v:.digits$}"),
        _ => "–".into(),
    };
    format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        result["scenario"].as_str().unwrap_or("?"),
        result["sessions"],
        result["reruns"],
        result["errors"],
        f("p50_ms", 3),
        f("p90_ms", 3),
        f("p99_ms", 3),
        f("reruns_per_s", 0),
        f("messages_per_rerun", 1),
        f("bytes_per_rerun", 0),
        f("server_cpu_ms_per_rerun", 3),
        f("server_rss_mib", 1),
    )
}

const HEADER: &str = "| scenario | sessions | reruns | errors | p50 ms | p90 ms | p99 ms | reruns/s | msgs/rerun | bytes/rerun | server CPU ms/rerun | server RSS MiB |\n|---|---|---|---|---|---|---|---|---|---|---|---|";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn number(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    match flag(args, name) {
        Some(v) => v
            .parse()
            .map_err(|_| format!("{name} takes a number, not {v:?}")),
        None => Ok(default),
    }
}

const USAGE: &str = "usage:
  brooklet-bench load  --app PATH [--sessions N] [--clicks K] [--button LABEL] [--timeout-s T]
  brooklet-bench idle  --app PATH [--sessions N] [--timeout-s T]
  brooklet-bench suite [--bin-dir target/release] [--json FILE] [--quick]
  brooklet-bench soak  [--app target/release/bench-counter] [--idle 5000] [--raw 100] [--no-hello 100]
                       [--cycles 10000] [--in-flight 32] [--flood-messages 200000] [--flood-s 20]
                       [--hold-s 0] [--timeout-s 180] [--json FILE]
  brooklet-bench frames [--app target/release/examples/dataframe] [--rows 10000000] [--sessions 10]";

async fn main_async(args: Vec<String>) -> Result<(), String> {
    let command = args.first().map(String::as_str).unwrap_or("");
    let default_timeout = if command == "soak" { 180 } else { 120 };
    let timeout = Duration::from_secs(number(&args, "--timeout-s", default_timeout)? as u64);
    match command {
        "load" => {
            let app = PathBuf::from(flag(&args, "--app").ok_or(USAGE)?);
            let load = Load {
                name: app
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                app,
                sessions: number(&args, "--sessions", 1)?,
                clicks: number(&args, "--clicks", 100)?,
                button: flag(&args, "--button").unwrap_or_else(|| "Increment".into()),
                timeout,
            };
            let result = run_load(&load).await?;
            println!("{HEADER}\n{}", row(&result));
            println!(
                "{}",
                serde_json::to_string_pretty(&result).unwrap_or_default()
            );
        }
        "idle" => {
            let app = PathBuf::from(flag(&args, "--app").ok_or(USAGE)?);
            let result = run_idle(&app, number(&args, "--sessions", 1000)?, timeout).await?;
            println!(
                "{}",
                serde_json::to_string_pretty(&result).unwrap_or_default()
            );
        }
        "suite" => suite(&args, timeout).await?,
        "files" => {
            let app = PathBuf::from(
                flag(&args, "--app").unwrap_or_else(|| "target/release/bench-files".into()),
            );
            let result = files::run(
                &app,
                number(&args, "--upload-mb", 100)?,
                number(&args, "--export-mb", 1000)?,
                timeout,
            )
            .await?;
            println!(
                "{}",
                serde_json::to_string_pretty(&result).unwrap_or_default()
            );
        }
        "frames" => {
            let app = PathBuf::from(
                flag(&args, "--app").unwrap_or_else(|| "target/release/examples/dataframe".into()),
            );
            let result = frames::run(
                &app,
                number(&args, "--rows", 10_000_000)?,
                number(&args, "--sessions", 10)?,
                timeout,
            )
            .await?;
            println!(
                "{}",
                serde_json::to_string_pretty(&result).unwrap_or_default()
            );
        }
        "soak" => {
            let options = soak::Soak {
                app: PathBuf::from(
                    flag(&args, "--app").unwrap_or_else(|| "target/release/bench-counter".into()),
                ),
                idle: number(&args, "--idle", 5000)?,
                raw: number(&args, "--raw", 100)?,
                no_hello: number(&args, "--no-hello", 100)?,
                cycles: number(&args, "--cycles", 10_000)?,
                in_flight: number(&args, "--in-flight", 32)?,
                flood_messages: number(&args, "--flood-messages", 200_000)?,
                flood_time: Duration::from_secs(number(&args, "--flood-s", 20)? as u64),
                hold: Duration::from_secs(number(&args, "--hold-s", 0)? as u64),
                timeout,
            };
            let result = soak::run(&options).await?;
            println!("{}", soak::table(&result));
            if let Some(file) = flag(&args, "--json") {
                std::fs::write(
                    &file,
                    serde_json::to_string_pretty(&result).unwrap_or_default(),
                )
                .map_err(|e| format!("cannot write {file}: {e}"))?;
            }
        }
        _ => return Err(USAGE.into()),
    }
    Ok(())
}

async fn suite(args: &[String], timeout: Duration) -> Result<(), String> {
    let dir = PathBuf::from(flag(args, "--bin-dir").unwrap_or_else(|| "target/release".into()));
    let quick = args.iter().any(|a| a == "--quick");
    let scale = |n: usize| if quick { (n / 10).max(2) } else { n };
    let counter = dir.join("bench-counter");
    let big = dir.join("bench-big");
    let threads_live = dir.join("examples").join("threads_live");
    let mut loads = vec![
        ("counter", &counter, 1, scale(2000), "Increment"),
        ("counter", &counter, 10, scale(500), "Increment"),
        ("counter", &counter, 50, scale(200), "Increment"),
        ("counter", &counter, 1000, scale(20), "Increment"),
        ("big", &big, 1, scale(200), "Increment"),
        ("big", &big, 10, scale(50), "Increment"),
    ];
    if threads_live.exists() {
        loads.push(("threads_live", &threads_live, 1, 2, "Rerun"));
        loads.push(("threads_live", &threads_live, 10, 2, "Rerun"));
    } else {
        eprintln!(
            "skipping threads_live: build it with `cargo build --release --example threads_live`"
        );
    }
    let mut results = Vec::new();
    println!("{HEADER}");
    for (name, app, sessions, clicks, button) in loads {
        let load = Load {
            name: name.to_owned(),
            app: app.to_path_buf(),
            sessions,
            clicks,
            button: button.to_owned(),
            timeout,
        };
        let result = run_load(&load).await?;
        println!("{}", row(&result));
        results.push(result);
    }
    let idle = run_idle(&counter, if quick { 100 } else { 1000 }, timeout).await?;
    println!(
        "\nidle: {} sessions, {:.1} KiB per idle session (RSS {:.1} → {:.1} MiB); start-up to healthy {:.2} ms",
        idle["sessions"],
        idle["rss_per_idle_session_kib"].as_f64().unwrap_or(f64::NAN),
        idle["rss_before_mib"].as_f64().unwrap_or(f64::NAN),
        idle["rss_after_mib"].as_f64().unwrap_or(f64::NAN),
        idle["startup_ms"].as_f64().unwrap_or(f64::NAN),
    );
    results.push(idle);
    if let Some(file) = flag(args, "--json") {
        std::fs::write(
            &file,
            serde_json::to_string_pretty(&results).unwrap_or_default(),
        )
        .map_err(|e| format!("cannot write {file}: {e}"))?;
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start tokio: {error}");
            std::process::exit(2);
        }
    };
    if let Err(error) = runtime.block_on(main_async(args)) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
