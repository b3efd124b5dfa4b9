//! `brooklet-bench soak`: many kinds of load against one app process at
//! once, and what the process holds before, during and after.
//!
//! At the same time: idle WebSocket sockets that said `hello` and are never
//! read again (plus raw TCP sockets that send nothing and upgraded sockets
//! that never say `hello`), connect/disconnect cycles, a press flood on one
//! session (at the default message rate limit), a session that presses but
//! never reads, and a bystander that clicks every 100 ms and records its
//! click → `run_finished` latency. The app's RSS, threads and open files
//! are read from `/proc` before, every 250 ms during, and a few seconds
//! after the load (`--server.session_ttl_secs 2`, so detached sessions are
//! gone by then).
//!
//! Every loop is bounded in count and by the phase deadline.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

use crate::client::{self, LightSocket, Looked, Session};
use crate::percentile;
use crate::server::{Server, Usage};

/// Options of the soak.
#[derive(Debug, Clone)]
pub(crate) struct Soak {
    pub app: PathBuf,
    /// Idle WebSocket sockets (handshake + `hello`, then never read).
    pub idle: usize,
    /// Raw TCP sockets that send nothing (the header-read timeout ends them).
    pub raw: usize,
    /// Upgraded sockets that never say `hello` (the hello timeout ends them).
    pub no_hello: usize,
    /// Connect / `hello` / first `run_finished` / close cycles.
    pub cycles: usize,
    /// Cycles in flight at once.
    pub in_flight: usize,
    /// Most `rerun` messages the flood sends.
    pub flood_messages: usize,
    /// Longest the flood sends.
    pub flood_time: Duration,
    /// The load lasts at least this long (the bystander, the slow reader
    /// and the idle sockets carry on after the bounded loads are done).
    pub hold: Duration,
    /// The whole soak, start-up to "after".
    pub timeout: Duration,
}

/// Sockets opened at once while setting up idle ones.
const OPENERS: usize = 64;
/// How long after the load stops "after" is measured.
const SETTLE: Duration = Duration::from_secs(5);
/// The slow reader presses this often (above the default 100 messages/s).
const SLOW_PRESS_EVERY: Duration = Duration::from_millis(2);
/// At most this many presses from the slow reader.
const SLOW_MAX_PRESSES: usize = 100_000;
/// The bystander clicks this often.
const BYSTANDER_EVERY: Duration = Duration::from_millis(100);

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn usage_json(usage: Usage) -> Value {
    json!({"rss_mib": mib(usage.rss), "threads": usage.threads, "fds": usage.fds})
}

/// Errors by kind: a count and the first message.
#[derive(Debug, Default)]
struct Failures {
    count: usize,
    first: Option<String>,
}

impl Failures {
    fn add(&mut self, error: String) {
        self.count += 1;
        self.first.get_or_insert(error);
    }
    fn merge(&mut self, other: Failures) {
        self.count += other.count;
        if self.first.is_none() {
            self.first = other.first;
        }
    }
    fn json(&self) -> Value {
        json!({"count": self.count, "first": self.first})
    }
}

/// Open `count` sockets with `open`, `OPENERS` at a time, until `deadline`.
async fn open_many<T, F, Fut>(
    count: usize,
    deadline: Instant,
    open: F,
) -> (Vec<T>, Failures, Failures, Duration)
where
    T: Send + 'static,
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<T, String>> + Send,
{
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let opened = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let mut workers = Vec::new();
    for _ in 0..OPENERS.min(count) {
        let (next, opened, open) = (next.clone(), opened.clone(), open.clone());
        workers.push(tokio::spawn(async move {
            // Refused at the connection cap (HTTP 503) vs anything else.
            let (mut refused, mut failed) = (Failures::default(), Failures::default());
            while next.fetch_add(1, Ordering::Relaxed) < count && Instant::now() < deadline {
                match open().await {
                    Ok(socket) => opened
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(socket),
                    Err(error) if error.contains("503") => refused.add(error),
                    Err(error) => failed.add(error),
                }
            }
            (refused, failed)
        }));
    }
    let (mut refused, mut failed) = (Failures::default(), Failures::default());
    for worker in workers {
        if let Ok((r, f)) = worker.await {
            refused.merge(r);
            failed.merge(f);
        }
    }
    let sockets = std::mem::take(&mut *opened.lock().unwrap_or_else(|e| e.into_inner()));
    (sockets, refused, failed, started.elapsed())
}

/// The connect/disconnect cycles: `in_flight` workers share `count` cycles.
async fn run_cycles(addr: Arc<String>, count: usize, in_flight: usize, deadline: Instant) -> Value {
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..in_flight.clamp(1, count.max(1)) {
        let (next, addr) = (next.clone(), addr.clone());
        workers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut failed = Failures::default();
            while next.fetch_add(1, Ordering::Relaxed) < count && Instant::now() < deadline {
                let began = Instant::now();
                match client::cycle(&addr, deadline).await {
                    Ok(()) => times.push(began.elapsed()),
                    Err(error) => failed.add(error),
                }
            }
            (times, failed)
        }));
    }
    let mut times = Vec::with_capacity(count);
    let mut failed = Failures::default();
    for worker in workers {
        if let Ok((t, f)) = worker.await {
            times.extend(t);
            failed.merge(f);
        }
    }
    let elapsed = started.elapsed();
    times.sort();
    json!({
        "requested": count,
        "in_flight": in_flight,
        "ok": times.len(),
        "errors": failed.json(),
        "not_run": count.saturating_sub(times.len() + failed.count),
        "seconds": elapsed.as_secs_f64(),
        "per_s": times.len() as f64 / elapsed.as_secs_f64(),
        "p50_ms": percentile(&times, 50.0),
        "p99_ms": percentile(&times, 99.0),
        "max_ms": percentile(&times, 100.0),
    })
}

/// One session sends `rerun`s, alternately with a made-up trigger and the
/// real button, as fast as the socket takes them; replies are read and
/// counted on the side (so only the rate limit slows it, not a full
/// receive buffer). Ends with a reset, so the server does not work through
/// the backlog queued in the kernel for minutes.
async fn flood(
    addr: Arc<String>,
    button: String,
    most: usize,
    time: Duration,
    deadline: Instant,
) -> Value {
    let mut socket = match client::connect_light(&addr, None, deadline).await {
        Ok(socket) => socket,
        Err(error) => return json!({"error": error}),
    };
    if let Err(error) = client::hello(&mut socket).await {
        return json!({"error": error});
    }
    let _ = socket.get_ref().set_zero_linger();
    let (mut sink, mut stream) = socket.split();
    let frames = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let closed = Arc::new(Mutex::new(None::<String>));
    let reader = {
        let (frames, errors, closed) = (frames.clone(), errors.clone(), closed.clone());
        tokio::spawn(async move {
            loop {
                match stream.next().await {
                    Some(Ok(Message::Text(text))) => {
                        frames.fetch_add(1, Ordering::Relaxed);
                        if text.as_str().contains("\"type\":\"error\"") {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Some(Ok(Message::Close(frame))) => {
                        let why = format!("close {frame:?}");
                        *closed.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
                    }
                    Some(Ok(_)) => {}
                    Some(Err(error)) => {
                        *closed.lock().unwrap_or_else(|e| e.into_inner()) = Some(error.to_string());
                        break;
                    }
                    None => {
                        let mut closed = closed.lock().unwrap_or_else(|e| e.into_inner());
                        closed.get_or_insert_with(|| "end of stream".into());
                        break;
                    }
                }
            }
        })
    };
    let bogus = client::press("w00000000deadbeef");
    let real = client::press(&button);
    let started = Instant::now();
    let end = (started + time).min(deadline);
    let mut sent = 0_usize;
    let mut blocked = false;
    let mut send_error = None;
    while sent < most && Instant::now() < end {
        let text = if sent.is_multiple_of(2) {
            &bogus
        } else {
            &real
        };
        match tokio::time::timeout_at(end.into(), sink.send(Message::text(text.as_str()))).await {
            Ok(Ok(())) => sent += 1,
            Ok(Err(error)) => {
                send_error = Some(error.to_string());
                break;
            }
            Err(_) => {
                blocked = true;
                break;
            }
        }
    }
    let elapsed = started.elapsed();
    // Give the reader a moment to catch what is in flight, then reset.
    tokio::time::sleep(Duration::from_millis(200)).await;
    reader.abort();
    let _ = reader.await;
    drop(sink);
    let closed = closed.lock().unwrap_or_else(|e| e.into_inner()).clone();
    json!({
        "sent": sent,
        "seconds": elapsed.as_secs_f64(),
        "sent_per_s": sent as f64 / elapsed.as_secs_f64(),
        "send_blocked_at_end": blocked,
        "send_error": send_error,
        "frames_received": frames.load(Ordering::Relaxed),
        "error_messages_received": errors.load(Ordering::Relaxed),
        "closed_by_server": closed,
    })
}

/// A session that says `hello` and presses the button every 2 ms but never
/// reads; its kernel receive buffer is small, so the server's sends to it
/// back up. Runs until `stop`.
async fn slow_reader(
    addr: Arc<String>,
    button: String,
    mut stop: watch::Receiver<bool>,
    deadline: Instant,
) -> Value {
    let mut socket = match client::connect_light(&addr, Some(4096), deadline).await {
        Ok(socket) => socket,
        Err(error) => return json!({"error": error}),
    };
    if let Err(error) = client::hello(&mut socket).await {
        return json!({"error": error});
    }
    let _ = socket.get_ref().set_zero_linger();
    let press = client::press(&button);
    let started = Instant::now();
    let mut sent = 0_usize;
    let mut first_blocked: Option<f64> = None;
    let mut failed: Option<(f64, String)> = None;
    let mut tick = tokio::time::interval(SLOW_PRESS_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while sent < SLOW_MAX_PRESSES && Instant::now() < deadline && !*stop.borrow() {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tick.tick() => {}
        }
        tokio::select! {
            _ = stop.changed() => break,
            result = tokio::time::timeout(Duration::from_secs(1), socket.send(Message::text(press.as_str()))) => match result {
                Ok(Ok(())) => sent += 1,
                Ok(Err(error)) => {
                    failed = Some((started.elapsed().as_secs_f64(), error.to_string()));
                    break;
                }
                Err(_) => {
                    first_blocked.get_or_insert(started.elapsed().as_secs_f64());
                }
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    // What (if anything) the server said before closing it.
    let looked = client::look(&mut socket);
    drop(socket);
    json!({
        "presses_sent": sent,
        "seconds": seconds,
        "first_send_blocked_after_s": first_blocked,
        "send_failed_after_s": failed.as_ref().map(|f| f.0),
        "send_error": failed.map(|f| f.1),
        "at_end": format!("{looked:?}"),
    })
}

/// A normal session clicking every 100 ms until `stop`; click →
/// `run_finished` latencies.
async fn bystander(
    mut session: Session,
    mut stop: watch::Receiver<bool>,
    deadline: Instant,
) -> Value {
    let most = (deadline
        .saturating_duration_since(Instant::now())
        .as_millis()
        / BYSTANDER_EVERY.as_millis().max(1)) as usize
        + 1;
    let mut latencies = Vec::with_capacity(most);
    let mut failed = Failures::default();
    let mut tick = tokio::time::interval(BYSTANDER_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut alive = true;
    while latencies.len() + failed.count < most && Instant::now() < deadline {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tick.tick() => {}
        }
        if *stop.borrow() {
            break;
        }
        match session.click(deadline).await {
            Ok(rerun) => latencies.push(rerun.latency),
            Err(error) => {
                failed.add(error);
                alive = false;
                break;
            }
        }
    }
    if alive {
        session.close().await;
    }
    latencies.sort();
    json!({
        "clicks": latencies.len(),
        "errors": failed.json(),
        "p50_ms": percentile(&latencies, 50.0),
        "p99_ms": percentile(&latencies, 99.0),
        "max_ms": percentile(&latencies, 100.0),
    })
}

/// Peak usage of `pid`, sampled every 250 ms until `stop`.
fn sampler(
    pid: Option<u32>,
    mut stop: watch::Receiver<bool>,
    deadline: Instant,
) -> JoinHandle<(Usage, usize)> {
    tokio::spawn(async move {
        let mut peak = Usage::default();
        let mut samples = 0;
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        while Instant::now() < deadline && !*stop.borrow() {
            tokio::select! {
                changed = stop.changed() => if changed.is_err() { break },
                _ = tick.tick() => {}
            }
            if let Some(now) = pid.and_then(crate::server::usage) {
                peak = peak.max(now);
                samples += 1;
            }
        }
        (peak, samples)
    })
}

/// Count the idle sockets by what they say now.
fn look_all(sockets: &mut [LightSocket]) -> Value {
    let (mut open, mut refused, mut closed) = (0, Failures::default(), Failures::default());
    for socket in sockets.iter_mut() {
        match client::look(socket) {
            Looked::Open => open += 1,
            Looked::Refused(why) => refused.add(why),
            Looked::Closed(why) => closed.add(why),
        }
    }
    json!({"open": open, "refused": refused.json(), "closed": closed.json()})
}

/// Raise this process's open-file soft limit to the hard limit.
fn raise_open_files() -> Option<u64> {
    rlimit::increase_nofile_limit(u64::MAX).ok()
}

/// Run the soak.
pub(crate) async fn run(soak: &Soak) -> Result<Value, String> {
    let open_files = raise_open_files();
    let wanted = (soak.idle + soak.raw + soak.no_hello + soak.in_flight + 64) as u64;
    if open_files.is_some_and(|limit| limit < wanted) {
        eprintln!(
            "warning: the open-file limit ({}) is below the {wanted} sockets wanted; expect failures",
            open_files.unwrap_or(0)
        );
    }
    let started = Instant::now();
    // The default message rate (the flood must meet it); sessions and
    // connections stay raised (all sockets come from 127.0.0.1); detached
    // sessions go after 2 s so "after" measures a settled server.
    let server = Server::start_with(
        &soak.app,
        &[
            "--server.max_messages_per_sec",
            "100",
            "--server.session_ttl_secs",
            "2",
        ],
    )
    .await?;
    let end = started + soak.timeout;
    // The load stops in time to measure "after" within the timeout.
    let phase_deadline = end
        .checked_sub(SETTLE + Duration::from_secs(10))
        .filter(|at| *at > Instant::now())
        .ok_or("--timeout-s is too short for a soak (at least 20 s)")?;
    let addr = Arc::new(server.addr.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.usage();

    let watcher = Session::open(&addr, "Increment", phase_deadline).await?;
    let button = watcher.button().to_owned();
    let (stop_tx, stop_rx) = watch::channel(false);
    let phase_started = Instant::now();
    let samples = sampler(server.pid(), stop_rx.clone(), end);
    let bystander = tokio::spawn(bystander(watcher, stop_rx.clone(), phase_deadline));
    let slow = tokio::spawn(slow_reader(
        addr.clone(),
        button.clone(),
        stop_rx.clone(),
        phase_deadline,
    ));
    let flood = tokio::spawn(flood(
        addr.clone(),
        button.clone(),
        soak.flood_messages,
        soak.flood_time,
        phase_deadline,
    ));
    let cycles = tokio::spawn(run_cycles(
        addr.clone(),
        soak.cycles,
        soak.in_flight,
        phase_deadline,
    ));
    let idle = {
        let addr = addr.clone();
        tokio::spawn(open_many(soak.idle, phase_deadline, move || {
            let addr = addr.clone();
            async move {
                let mut socket = client::connect_light(&addr, None, phase_deadline).await?;
                client::hello(&mut socket).await?;
                Ok(socket)
            }
        }))
    };
    let raw = {
        let addr = addr.clone();
        tokio::spawn(open_many(soak.raw, phase_deadline, move || {
            let addr = addr.clone();
            async move {
                let left = phase_deadline.saturating_duration_since(Instant::now());
                tokio::time::timeout(left, TcpStream::connect(addr.as_str()))
                    .await
                    .map_err(|_| "timed out connecting".to_owned())?
                    .map_err(|e| format!("connect: {e}"))
            }
        }))
    };
    let no_hello = {
        let addr = addr.clone();
        tokio::spawn(open_many(soak.no_hello, phase_deadline, move || {
            let addr = addr.clone();
            async move { client::connect_light(&addr, None, phase_deadline).await }
        }))
    };

    let joined = |e: tokio::task::JoinError| e.to_string();
    let (mut idle_sockets, idle_refused, idle_failed, idle_took) = idle.await.map_err(joined)?;
    let (raw_sockets, raw_refused, raw_failed, _) = raw.await.map_err(joined)?;
    let (mut no_hello_sockets, nh_refused, nh_failed, _) = no_hello.await.map_err(joined)?;
    let cycles = cycles.await.map_err(joined)?;
    let flood = flood.await.map_err(joined)?;
    tokio::time::sleep_until((phase_started + soak.hold).min(phase_deadline).into()).await;
    // The load is done: what is still standing?
    let phase = phase_started.elapsed();
    let during_end = server.usage();
    let idle_end = look_all(&mut idle_sockets);
    let no_hello_end = look_all(&mut no_hello_sockets);
    let raw_open = raw_sockets
        .iter()
        .filter(|s| client::raw_is_open(s))
        .count();
    stop_tx.send_replace(true);
    let slow = slow.await.map_err(joined)?;
    let bystander = bystander.await.map_err(joined)?;
    let (peak, sample_count) = samples.await.map_err(joined)?;
    let peak = peak.max(during_end);
    drop(idle_sockets);
    drop(no_hello_sockets);
    drop(raw_sockets);
    tokio::time::sleep(SETTLE).await;
    let after = server.usage();
    let startup = server.startup;
    server.stop().await;

    Ok(json!({
        "scenario": "soak",
        "app": soak.app.display().to_string(),
        "startup_ms": startup.as_secs_f64() * 1000.0,
        "during_seconds": phase.as_secs_f64(),
        "samples": sample_count,
        "before": usage_json(before),
        "during_peak": usage_json(peak),
        "during_end": usage_json(during_end),
        "after": usage_json(after),
        "after_wait_s": SETTLE.as_secs_f64(),
        "idle": {
            "requested": soak.idle,
            "opened": soak.idle - idle_refused.count - idle_failed.count,
            "refused_503": idle_refused.json(),
            "failed": idle_failed.json(),
            "open_seconds": idle_took.as_secs_f64(),
            "at_end": idle_end,
        },
        "raw_tcp": {
            "requested": soak.raw,
            "opened": soak.raw - raw_refused.count - raw_failed.count,
            "failed": raw_failed.count + raw_refused.count,
            "open_at_end": raw_open,
        },
        "no_hello": {
            "requested": soak.no_hello,
            "opened": soak.no_hello - nh_refused.count - nh_failed.count,
            "failed": nh_failed.count + nh_refused.count,
            "at_end": no_hello_end,
        },
        "cycles": cycles,
        "flood": flood,
        "slow_reader": slow,
        "bystander": bystander,
    }))
}

fn count(value: &Value) -> String {
    match value {
        Value::Null => "0".into(),
        other => other.to_string(),
    }
}

fn ms(value: &Value) -> String {
    match value.as_f64() {
        Some(v) if v.is_finite() => format!("{v:.1}"),
        _ => "–".into(),
    }
}

/// The Markdown report.
pub(crate) fn table(r: &Value) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "soak of {} ({:.1} s of load, {} samples)\n\n",
        r["app"].as_str().unwrap_or("?"),
        r["during_seconds"].as_f64().unwrap_or(f64::NAN),
        r["samples"],
    ));
    out.push_str("| app process | RSS MiB | threads | open fds |\n|---|---|---|---|\n");
    for (label, key) in [
        ("before (after start-up)", "before"),
        ("during (peak, every 250 ms)", "during_peak"),
        ("during (end of load)", "during_end"),
        ("after (load stopped + 5 s)", "after"),
    ] {
        let u = &r[key];
        out.push_str(&format!(
            "| {label} | {:.1} | {} | {} |\n",
            u["rss_mib"].as_f64().unwrap_or(f64::NAN),
            u["threads"],
            u["fds"],
        ));
    }
    let idle = &r["idle"];
    let cycles = &r["cycles"];
    let flood = &r["flood"];
    let slow = &r["slow_reader"];
    let by = &r["bystander"];
    out.push_str("\n| load | result |\n|---|---|\n");
    out.push_str(&format!(
        "| idle sockets (`hello`, never read) | {} requested, {} opened in {:.1} s, {} refused (503), {} failed; at end of load {} open, {} closed by the server, {} sessions refused |\n",
        idle["requested"], idle["opened"], idle["open_seconds"].as_f64().unwrap_or(f64::NAN),
        idle["refused_503"]["count"], idle["failed"]["count"],
        idle["at_end"]["open"], idle["at_end"]["closed"]["count"], idle["at_end"]["refused"]["count"],
    ));
    out.push_str(&format!(
        "| raw TCP sockets (nothing sent) | {} opened, {} failed; {} open at end of load |\n",
        r["raw_tcp"]["opened"], r["raw_tcp"]["failed"], r["raw_tcp"]["open_at_end"],
    ));
    out.push_str(&format!(
        "| upgraded, no `hello` | {} opened, {} failed; {} open at end of load |\n",
        r["no_hello"]["opened"], r["no_hello"]["failed"], r["no_hello"]["at_end"]["open"],
    ));
    out.push_str(&format!(
        "| connect/close cycles ({} in flight) | {} of {} ok, {} errors, {:.0}/s; cycle (connect to close) p50 {} ms, p99 {} ms, max {} ms |\n",
        cycles["in_flight"], cycles["ok"], cycles["requested"], cycles["errors"]["count"],
        cycles["per_s"].as_f64().unwrap_or(f64::NAN),
        ms(&cycles["p50_ms"]), ms(&cycles["p99_ms"]), ms(&cycles["max_ms"]),
    ));
    out.push_str(&format!(
        "| press flood (default 100 msgs/s limit) | {} `rerun`s sent in {:.1} s ({:.0}/s){}; {} frames back, {} `error` messages; closed by server: {} |\n",
        count(&flood["sent"]), flood["seconds"].as_f64().unwrap_or(f64::NAN),
        flood["sent_per_s"].as_f64().unwrap_or(f64::NAN),
        if flood["send_blocked_at_end"] == true { ", send blocked at the end" } else { "" },
        count(&flood["frames_received"]), count(&flood["error_messages_received"]),
        flood["closed_by_server"].as_str().unwrap_or("no"),
    ));
    out.push_str(&format!(
        "| slow reader (presses every 2 ms, never reads) | {} presses in {:.1} s; first send blocked after {} s; send failed after {} s; at end: {} |\n",
        count(&slow["presses_sent"]), slow["seconds"].as_f64().unwrap_or(f64::NAN),
        ms(&slow["first_send_blocked_after_s"]), ms(&slow["send_failed_after_s"]),
        slow["at_end"].as_str().unwrap_or("?"),
    ));
    out.push_str(&format!(
        "| bystander (click every 100 ms) | {} clicks, {} errors; click → run_finished p50 {} ms, p99 {} ms, max {} ms |\n",
        by["clicks"], by["errors"]["count"], ms(&by["p50_ms"]), ms(&by["p99_ms"]), ms(&by["max_ms"]),
    ));
    out
}
