//! No single client can take the server down: each test here makes one
//! client misbehave against a real server on 127.0.0.1 and checks that the
//! server holds its limits and keeps serving everyone else.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use brooklet::prelude::*;
use futures_util::SinkExt;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

mod common;
use common::{serve, serve_with, test_config, Client};

/// Send raw bytes, then read what the server answers until it closes the
/// connection (or `limit` passes); returns the answer and whether it closed.
async fn raw_exchange(addr: std::net::SocketAddr, send: &[u8], limit: Duration) -> (String, bool) {
    let mut tcp = TcpStream::connect(addr).await.expect("connect");
    tcp.write_all(send).await.expect("write");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return (String::from_utf8_lossy(&answer).into(), true),
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&answer).into(), false),
        }
    }
}

fn get(path: &str, host: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes()
}

// ----- 1. presses -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presses_of_buttons_the_page_does_not_have_are_ignored() {
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let server = serve(move |ui: &Ui| {
        counted.fetch_add(1, Ordering::SeqCst);
        ui.text("slow page");
        for _ in 0..20 {
            ui.checkpoint();
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    // Thirty presses of made-up buttons, each with a long id. Were they
    // queued, each would be replayed as a run of its own after the last
    // message; ignored, each message only supersedes the run in progress.
    let made_up = "z".repeat(10_000);
    for i in 0..30 {
        client
            .send(json!({"type": "rerun", "trigger": format!("{made_up}{i}")}))
            .await;
    }
    // Messages are handled in order: once the heartbeat is answered, all
    // thirty have been seen.
    client.send(json!({"type": "heartbeat"})).await;
    client.until(|m| m["type"] == "heartbeat").await;
    let seen = runs.load(Ordering::SeqCst);
    client
        .until(|m| m["type"] == "run_finished" && m["status"] == "complete")
        .await;
    let after = runs.load(Ordering::SeqCst) - seen;
    assert!(
        after <= 1,
        "{after} runs started after the presses were handled: they were queued, not ignored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_clicks_on_rerun_during_a_slow_run_give_one_new_run() {
    let clicked_runs = Arc::new(AtomicUsize::new(0));
    let seen = clicked_runs.clone();
    let server = serve(move |ui: &Ui| {
        ui.text("slow page");
        for _ in 0..60 {
            ui.checkpoint();
            std::thread::sleep(Duration::from_millis(5));
        }
        if ui.button("Rerun").clicked() {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let rerun = client.widget_id("button", "Rerun");
    for _ in 0..4 {
        client
            .send(json!({"type": "rerun", "trigger": rerun}))
            .await;
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    // Wait for a complete run, then long enough for any replayed run.
    loop {
        if client.until_finished().await["status"] == "complete" {
            break;
        }
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    client.send(json!({"type": "heartbeat"})).await;
    client.until(|m| m["type"] == "heartbeat").await;
    assert_eq!(clicked_runs.load(Ordering::SeqCst), 1, "one new run");
    let completes = client
        .seen
        .iter()
        .filter(|m| m["type"] == "run_finished" && m["status"] == "complete")
        .count();
    assert_eq!(completes, 2, "the first run and exactly one more");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presses_of_different_buttons_during_a_slow_run_give_one_run_each() {
    // Presses of one button merge (above); presses of different buttons do
    // not: each reaches a run of its own, in order. A per-button "pressed"
    // flag would hand both to one run; a single "last press" slot would
    // lose "Add".
    let clicked: Arc<std::sync::Mutex<Vec<(bool, bool)>>> = Arc::default();
    let record = clicked.clone();
    let server = serve(move |ui: &Ui| {
        ui.text("slow page");
        for _ in 0..60 {
            ui.checkpoint();
            std::thread::sleep(Duration::from_millis(5));
        }
        let add = ui.button("Add").clicked();
        let save = ui.button("Save").clicked();
        if add || save {
            record.lock().expect("lock").push((add, save));
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let add = client.widget_id("button", "Add");
    let save = client.widget_id("button", "Save");
    client.send(json!({"type": "rerun", "trigger": add})).await;
    tokio::time::sleep(Duration::from_millis(40)).await;
    client.send(json!({"type": "rerun", "trigger": save})).await;
    // Whatever the timing, two complete runs follow: one per press.
    let mut completes = 0;
    while completes < 2 {
        if client.until_finished().await["status"] == "complete" {
            completes += 1;
        }
    }
    assert_eq!(
        *clicked.lock().expect("lock"),
        vec![(true, false), (false, true)],
        "one run per button, in the order pressed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_and_presses_of_disabled_widgets_are_ignored() {
    let server = serve(|ui: &Ui| {
        let on = ui.add(Checkbox::new("Locked").disabled(true));
        // `clicked()` of a disabled button is false whatever the session did
        // with the press, so it cannot show that the press was refused. Its
        // `on_click` can: it runs for every press the session accepts.
        let pressed = ui
            .add(
                Button::new("Nope")
                    .disabled(true)
                    .on_click(|ui| ui.state().set("callback", true)),
            )
            .clicked();
        let callback: bool = ui.state().get("callback").unwrap_or(false);
        ui.text(format!("locked={on} pressed={pressed} callback={callback}"));
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let locked = client.widget_id("checkbox", "Locked");
    let nope = client.widget_id("button", "Nope");
    client
        .send(json!({"type": "rerun", "widgets": {locked: true}, "trigger": nope}))
        .await;
    client.until_finished().await;
    let texts: Vec<String> = client
        .sets()
        .iter()
        .filter_map(|op| op["el"]["text"].as_str().map(String::from))
        .collect();
    assert!(
        texts
            .iter()
            .all(|t| t == "locked=false pressed=false callback=false"),
        "{texts:?}"
    );
}

// ----- 2. the query string -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_query_string_is_refused_with_a_clear_error() {
    let server = serve(|ui: &Ui| {
        let pairs = ui.query_params().to_vec().len();
        ui.text(format!("pairs={pairs}"));
    });
    let mut client = Client::connect(&server).await;
    let query = vec!["a"; 20_000].join("&");
    client
        .send(json!({"type": "hello", "protocol": 1, "query": query}))
        .await;
    let error = client.until(|m| m["type"] == "error").await;
    assert_eq!(error["fatal"], false, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("query"),
        "{error}"
    );
    client.until_finished().await;
    assert!(client.sets().iter().any(|op| op["el"]["text"] == "pairs=0"));
}

// ----- 3. workers -----

#[test]
fn workers_beyond_the_session_cap_wait_for_a_slot() {
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (r, p) = (running.clone(), peak.clone());
    let mut config = brooklet::Config::default();
    config.runner.max_workers_per_session = 2;
    let mut at = brooklet::testing::AppTest::with_config(
        move |ui: &Ui| {
            let workers: Vec<_> = (0..6)
                .map(|i| {
                    let (r, p) = (r.clone(), p.clone());
                    ui.spawn(move |_ui| {
                        let now = r.fetch_add(1, Ordering::SeqCst) + 1;
                        p.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(40));
                        r.fetch_sub(1, Ordering::SeqCst);
                        i
                    })
                })
                .collect();
            let sum: i32 = workers.into_iter().filter_map(|w| w.join().ok()).sum();
            ui.text(format!("sum={sum}"));
        },
        config,
    )
    .timeout(Duration::from_secs(10));
    at.run().expect("run");
    assert_eq!(at.text(), vec!["sum=15"], "every worker ran");
    assert_eq!(peak.load(Ordering::SeqCst), 2, "never more than the cap");
}

// ----- 4. sessions and the payload store -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_over_the_per_address_cap_are_refused_and_others_go_on() {
    let mut config = test_config();
    config.server.max_sessions_per_ip = 2;
    config.server.session_ttl = Duration::from_secs(60);
    let server = serve_with(config, |ui: &Ui| {
        ui.text("hi");
    });
    let mut first = Client::connect(&server).await;
    first.hello().await;
    first.until_finished().await;
    let mut second = Client::connect(&server).await;
    second.hello().await;
    second.until_finished().await;
    let mut third = Client::connect(&server).await;
    third.hello().await;
    let error = third.until(|m| m["type"] == "error").await;
    assert_eq!(error["code"], "overloaded", "{error}");
    assert_eq!(error["fatal"], true);
    // The first two keep working.
    first.send(json!({"type": "rerun"})).await;
    assert_eq!(first.until_finished().await["status"], "complete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dataframe_rows_stay_on_the_server_and_each_page_reaches_only_its_own() {
    #[derive(serde::Serialize)]
    struct Row {
        n: u32,
        tags: Vec<String>,
    }
    let server = serve(|ui: &Ui| {
        let rows: Vec<Row> = (0..1000)
            .map(|n| Row {
                n,
                tags: vec![format!("t{n}")],
            })
            .collect();
        ui.dataframe(&rows);
    });
    let mut a = Client::first_run(&server).await;
    let b = Client::first_run(&server).await;
    let grid_of = |client: &Client| -> Value {
        client
            .sets()
            .into_iter()
            .map(|op| op["el"].clone())
            .find(|el| el["kind"] == "dataframe")
            .expect("a dataframe")
    };
    let (grid_a, grid_b) = (grid_of(&a), grid_of(&b));
    assert_eq!(grid_a["row_count"], 1000);
    assert_eq!(
        grid_a["head"]["rows"].as_array().map(Vec::len),
        Some(50),
        "only the first rows"
    );
    assert_eq!(
        grid_a["frame"], grid_b["frame"],
        "equal data, equal identity"
    );
    let frame = grid_a["frame"].as_str().expect("frame").to_owned();
    let (csv_a, csv_b) = (
        grid_a["download"].as_str().expect("download").to_owned(),
        grid_b["download"].as_str().expect("download").to_owned(),
    );
    assert_ne!(csv_a, csv_b, "each page has its own owner token");

    // A window, sorted descending: the last rows first, formatted.
    a.send(
        json!({"type": "window", "view": "v1", "frame": frame, "start": 0, "count": 3,
        "sort": {"column": "n", "descending": true}, "search": ""}),
    )
    .await;
    let window = a.until(|m| m["type"] == "window").await;
    assert_eq!(window["error"], Value::Null, "{window}");
    assert_eq!(window["index"], json!([999, 998, 997]));
    assert_eq!(window["rows"][0], json!(["999", ["t999"]]));
    assert_eq!(window["total"], 1000);

    // Bad requests: a clear error for that grid; the connection stays.
    for (request, expect) in [
        (json!({"start": 5000, "count": 10}), "past the end"),
        (json!({"start": 0, "count": 5000}), "1 to 1000 rows"),
        (
            json!({"start": 0, "count": 1, "sort": {"column": "nope"}}),
            "no column `nope`",
        ),
        (
            json!({"start": 0, "count": 1, "sort": {"column": "tags"}}),
            "cannot be sorted",
        ),
    ] {
        let mut message = json!({"type": "window", "view": "bad", "frame": frame, "search": ""});
        for (k, v) in request.as_object().expect("object") {
            message[k] = v.clone();
        }
        a.send(message).await;
        let answer = a.until(|m| m["type"] == "window").await;
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(expect), "{expect}: {answer}");
        assert_eq!(answer["rows"], json!([]));
    }
    a.send(
        json!({"type": "window", "view": "v", "frame": "0123456789abcdef0123456789abcdef",
        "start": 0, "count": 1}),
    )
    .await;
    let answer = a.until(|m| m["type"] == "window").await;
    assert!(answer["error"]
        .as_str()
        .unwrap_or_default()
        .contains("no longer on the page"));
    a.send(json!({"type": "heartbeat"})).await;
    a.until(|m| m["type"] == "heartbeat").await;

    // The CSV of a view: sorted and searched, to its own page only.
    let host = server.addr().to_string();
    let (answer, _) = raw_exchange(
        server.addr(),
        &get(&format!("{csv_a}?sort=n&desc=1&search=99&columns=n"), &host),
        Duration::from_secs(5),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert!(
        answer.to_lowercase().contains("content-type: text/csv"),
        "{answer:.300}"
    );
    assert!(answer.contains("\r\n\r\n"), "headers end");
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    assert!(
        body.contains("n\n999\n"),
        "header line, then the largest match: {body:.200}"
    );
    assert!(!body.contains("t999"), "only the asked columns");
    let owner_b = csv_b.split('/').nth(3).unwrap_or_default();
    for path in [
        format!("/_brooklet/frame/{owner_b}/0123456789abcdef0123456789abcdef.csv"),
        format!(
            "/_brooklet/frame/not-an-owner/{}",
            csv_a.rsplit('/').next().unwrap_or_default()
        ),
    ] {
        let (answer, _) =
            raw_exchange(server.addr(), &get(&path, &host), Duration::from_secs(5)).await;
        assert!(answer.starts_with("HTTP/1.1 404"), "{path}: {answer:.200}");
    }
    for query in ["sort=nope", "columns=n,nope"] {
        let (answer, _) = raw_exchange(
            server.addr(),
            &get(&format!("{csv_a}?{query}"), &host),
            Duration::from_secs(5),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{query}: {answer:.300}");
        assert!(
            answer.contains("no column `nope`"),
            "{query}: {answer:.300}"
        );
    }
}

// ----- 5, 6. slow and idle clients, the connection cap, shutdown -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drip_fed_and_idle_connections_are_closed() {
    let mut config = test_config();
    config.server.header_read_timeout = Duration::from_secs(1);
    config.server.idle_timeout = Duration::from_secs(1);
    let server = serve_with(config, |ui: &Ui| {
        ui.text("hi");
    });
    // Half a request, then nothing: the header-read timeout closes it.
    let (_, closed) = raw_exchange(
        server.addr(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        Duration::from_secs(8),
    )
    .await;
    assert!(closed, "a partial request is not held forever");
    // Nothing at all: the idle timeout closes it.
    let (_, closed) = raw_exchange(server.addr(), b"", Duration::from_secs(8)).await;
    assert!(closed, "an idle connection is not held forever");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_connection_cap_new_connections_get_503_and_health_recovers() {
    let mut config = test_config();
    config.server.max_connections = 16;
    let server = serve_with(config, |ui: &Ui| {
        ui.text("hi");
    });
    let mut idle = Vec::new();
    for _ in 0..16 {
        idle.push(TcpStream::connect(server.addr()).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let host = server.addr().to_string();
    let (answer, closed) = raw_exchange(
        server.addr(),
        &get("/_brooklet/health", &host),
        Duration::from_secs(5),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer:.200}");
    assert!(closed);
    drop(idle);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (answer, _) = raw_exchange(
        server.addr(),
        &get("/_brooklet/health", &host),
        Duration::from_secs(5),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.200}");
}

#[test]
fn shutdown_is_not_held_up_by_a_half_sent_request() {
    let mut config = test_config();
    config.server.header_read_timeout = Duration::from_secs(600);
    config.server.idle_timeout = Duration::from_secs(600);
    let server = serve_with(config, |ui: &Ui| {
        ui.text("hi");
    });
    let mut partial = std::net::TcpStream::connect(server.addr()).expect("connect");
    std::io::Write::write_all(
        &mut partial,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
    )
    .expect("write");
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        server.shutdown();
        done_tx.send(()).ok();
    });
    assert!(
        done_rx.recv_timeout(Duration::from_secs(30)).is_ok(),
        "shutdown still waiting after {:?}",
        started.elapsed()
    );
    drop(partial);
}

// ----- 7. DNS rebinding, 12. security headers -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_host_names_are_refused_and_responses_carry_security_headers() {
    let server = serve(|ui: &Ui| {
        ui.text("hi");
    });
    let (answer, _) = raw_exchange(
        server.addr(),
        &get("/", "rebind.example:8501"),
        Duration::from_secs(5),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer:.200}");
    // The WebSocket too.
    let ws =
        "GET /_brooklet/ws HTTP/1.1\r\nHost: rebind.example\r\nOrigin: http://rebind.example\r\n\
         Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    let (answer, _) = raw_exchange(server.addr(), ws.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer:.200}");
    // A page of this server: allowed, with the headers.
    let (answer, _) = raw_exchange(
        server.addr(),
        &get("/", &format!("localhost:{}", server.addr().port())),
        Duration::from_secs(5),
    )
    .await;
    let lower = answer.to_lowercase();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.200}");
    assert!(
        lower.contains("content-security-policy: default-src 'self'; script-src 'self'"),
        "{answer:.600}"
    );
    assert!(lower.contains("frame-ancestors 'self'"));
    assert!(lower.contains("x-content-type-options: nosniff"));
    assert!(lower.contains("x-frame-options: sameorigin"));
    assert!(lower.contains("referrer-policy: same-origin"));
    // A `null` origin (a sandboxed frame or a file) cannot open a socket.
    assert!(Client::connect_with(&server, Some("null")).await.is_err());
}

// ----- 8. a client that stops reading -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_dropped() {
    static LEFT: AtomicBool = AtomicBool::new(false);
    let mut config = test_config();
    config.server.ws_timeout = Duration::from_secs(1);
    /// Records that the run ended, however it ends: the cancellation may be
    /// seen by `is_cancelled` or by a draw, which unwinds.
    struct Leaving;
    impl Drop for Leaving {
        fn drop(&mut self) {
            LEFT.store(true, Ordering::SeqCst);
        }
    }
    let server = serve_with(config, |ui: &Ui| {
        let _leaving = Leaving;
        let line = "x".repeat(64 * 1024);
        // Draw until the run is cancelled (the connection went away).
        for i in 0..100_000 {
            if ui.is_cancelled() {
                break;
            }
            let slot = ui.empty();
            slot.text(format!("{i} {line}"));
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    // Never read again. The server's sends block once the socket buffers
    // fill; after the send timeout it drops the connection, which cancels
    // the run.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !LEFT.load(Ordering::SeqCst) {
        assert!(
            Instant::now() < deadline,
            "the stalled connection was never dropped"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(client);
    let mut fine = Client::connect(&server).await;
    fine.hello().await;
    fine.until(|m| m["type"] == "delta").await;
}

// ----- 9. stack -----

#[test]
fn deep_recursion_in_app_code_fits_in_the_script_threads_stack() {
    // Recurse until about 5 MiB of stack is in use (measured by address):
    // more than a default spawned thread's 2 MiB, less than the 8 MiB that
    // script threads get.
    fn depth(top: usize, target: usize) -> u64 {
        let frame = std::hint::black_box([1u8; 512]);
        let here = std::hint::black_box(&frame) as *const _ as usize;
        if top.abs_diff(here) >= target {
            return 1;
        }
        depth(top, target) + u64::from(frame[7] % 2)
    }
    let mut at = brooklet::testing::AppTest::new(|ui: &Ui| {
        let base = 0u8;
        let top = std::hint::black_box(&base) as *const u8 as usize;
        ui.text(format!("depth {}", depth(top, 5 << 20)));
    });
    at.run().expect("run");
    assert_eq!(at.exceptions().len(), 0);
    assert_eq!(at.text().len(), 1);
}

// ----- 10. error details -----

#[test]
fn error_details_follow_the_setting() {
    let app = |ui: &Ui| {
        ui.text("before");
        panic!("secret connection string postgres://u:p@db");
    };
    let shown = |details: brooklet::ErrorDetails| {
        let mut config = brooklet::Config::default();
        config.client.show_error_details = details;
        let mut at = brooklet::testing::AppTest::with_config(app, config);
        at.run().expect("run");
        let exceptions = at.exceptions();
        assert_eq!(exceptions.len(), 1);
        match exceptions[0] {
            brooklet::protocol::Element::Exception {
                message, location, ..
            } => (message.clone(), location.clone()),
            other => panic!("not an exception: {other:?}"),
        }
    };
    let (message, location) = shown(brooklet::ErrorDetails::Full);
    assert!(message.contains("secret connection string"));
    assert!(location.is_some());
    let (message, location) = shown(brooklet::ErrorDetails::Message);
    assert!(message.contains("secret connection string"));
    assert_eq!(location, None);
    let (message, location) = shown(brooklet::ErrorDetails::None);
    assert!(!message.contains("secret"), "{message}");
    assert!(message.contains("server's log"), "{message}");
    assert_eq!(location, None);
}

// ----- 14. WebSocket protocol errors and heartbeat floods -----

/// Open a WebSocket by hand and say hello, so raw frames can follow.
async fn raw_websocket(addr: std::net::SocketAddr) -> TcpStream {
    let mut tcp = TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "GET /_brooklet/ws HTTP/1.1\r\nHost: {addr}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    );
    tcp.write_all(request.as_bytes()).await.expect("write");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        tcp.read_exact(&mut byte).await.expect("handshake");
        head.push(byte[0]);
    }
    assert!(
        head.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    tcp.write_all(&masked_frame(0x1, br#"{"type":"hello","protocol":1}"#))
        .await
        .expect("hello");
    tcp
}

/// A client frame (final, masked with a zero mask) of `opcode`.
fn masked_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    assert!(payload.len() < 126);
    let mut frame = vec![0x80 | opcode, 0x80 | payload.len() as u8, 0, 0, 0, 0];
    frame.extend_from_slice(payload);
    frame
}

/// Read server frames until a close frame; its status code.
async fn close_code(tcp: &mut TcpStream) -> Option<u16> {
    let read = async {
        loop {
            let mut head = [0u8; 2];
            tcp.read_exact(&mut head).await.ok()?;
            let mut len = u64::from(head[1] & 0x7f);
            if len == 126 {
                let mut ext = [0u8; 2];
                tcp.read_exact(&mut ext).await.ok()?;
                len = u64::from(u16::from_be_bytes(ext));
            } else if len == 127 {
                let mut ext = [0u8; 8];
                tcp.read_exact(&mut ext).await.ok()?;
                len = u64::from_be_bytes(ext);
            }
            let mut payload = vec![0u8; len as usize];
            tcp.read_exact(&mut payload).await.ok()?;
            if head[0] & 0x0f == 0x8 {
                return payload
                    .get(..2)
                    .map(|code| u16::from_be_bytes([code[0], code[1]]));
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .ok()
        .flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_protocol_errors_are_closed_with_a_reason() {
    let server = serve(|ui: &Ui| {
        ui.text("hi");
    });
    let mut reserved = raw_websocket(server.addr()).await;
    reserved
        .write_all(&masked_frame(0x3, b"?"))
        .await
        .expect("write");
    assert_eq!(close_code(&mut reserved).await, Some(1002));

    let mut bad_utf8 = raw_websocket(server.addr()).await;
    bad_utf8
        .write_all(&masked_frame(0x1, &[0xff, 0xfe, 0xfd]))
        .await
        .expect("write");
    assert_eq!(close_code(&mut bad_utf8).await, Some(1007));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heartbeat_flood_gets_few_answers_and_a_bystander_is_served() {
    let server = serve(|ui: &Ui| {
        ui.text("hi");
    });
    let mut flood = Client::connect(&server).await;
    flood.hello().await;
    flood.until_finished().await;
    let frame = json!({"type": "heartbeat"}).to_string();
    let started = Instant::now();
    for _ in 0..2_000 {
        flood
            .ws
            .feed(Message::text(frame.clone()))
            .await
            .expect("send");
    }
    flood.ws.flush().await.expect("flush");
    let mut bystander = Client::connect(&server).await;
    bystander.hello().await;
    assert_eq!(bystander.until_finished().await["status"], "complete");
    // Collect the flood's answers for a moment.
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        loop {
            if flood.frame().await.is_none() {
                break;
            }
        }
    })
    .await;
    let answers = flood
        .seen
        .iter()
        .filter(|m| m["type"] == "heartbeat")
        .count();
    let allowed = (started.elapsed().as_millis() / 500 + 2) as usize;
    assert!(
        answers <= allowed,
        "{answers} heartbeat answers in {:?}",
        started.elapsed()
    );
}

// ----- chart points: binary, per page, checked -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chart_points_are_binary_reach_only_their_page_and_bad_queries_get_400() {
    let server = serve(|ui: &Ui| {
        let walk: Vec<f64> = (0..100_000).map(|i| f64::from(i % 1000)).collect();
        ui.line_chart(&walk);
    });
    let a = Client::first_run(&server).await;
    let b = Client::first_run(&server).await;
    let url_of = |client: &Client| -> String {
        client
            .sets()
            .into_iter()
            .map(|op| op["el"].clone())
            .find(|el| el["kind"] == "chart")
            .and_then(|el| el["data"].as_str().map(str::to_owned))
            .expect("a chart")
    };
    let (url_a, url_b) = (url_of(&a), url_of(&b));
    assert_ne!(url_a, url_b, "each page has its own owner token");
    let host = server.addr().to_string();
    let fetch = |path: String| {
        let host = host.clone();
        let addr = server.addr();
        async move {
            raw_exchange(addr, &get(&path, &host), Duration::from_secs(5))
                .await
                .0
        }
    };

    // 400 pixel columns of 100,000 points: at most 4 per column, binary.
    let answer = fetch(format!("{url_a}?px=400")).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    let lower = answer.to_lowercase();
    assert!(
        lower.contains("content-type: application/octet-stream"),
        "{answer:.300}"
    );
    assert!(
        lower.contains("x-content-type-options: nosniff"),
        "{answer:.300}"
    );
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    assert!(body.starts_with("BKC1"), "the binary layout's magic");
    let length: usize = lower
        .split("content-length: ")
        .nth(1)
        .and_then(|rest| rest.split("\r\n").next())
        .and_then(|n| n.parse().ok())
        .expect("a length");
    assert!(length <= 48 + 2 * 8 * 4 * 402, "{length} bytes");

    // Another page's chart, or no page's, is not found.
    let file_a = url_a.rsplit('/').next().unwrap_or_default();
    let owner_b = url_b.split('/').nth(3).unwrap_or_default();
    for path in [
        format!("/_brooklet/chart/{owner_b}/0123456789abcdef0123456789abcdef.bin?px=10"),
        format!("/_brooklet/chart/not-an-owner/{file_a}?px=10"),
    ] {
        let answer = fetch(path.clone()).await;
        assert!(answer.starts_with("HTTP/1.1 404"), "{path}: {answer:.200}");
    }
    for (query, reason) in [
        ("", "`px`"),
        ("?px=0", "`px` must be"),
        ("?px=100000", "`px` must be"),
        ("?px=10&x0=NaN", "`x0` must be a finite number"),
        ("?px=10&after=x", "`after` must be"),
    ] {
        let answer = fetch(format!("{url_a}{query}")).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{query}: {answer:.300}");
        assert!(answer.contains(reason), "{query}: {answer:.300}");
    }
}
