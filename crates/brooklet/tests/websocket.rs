//! The wire protocol against a real server on 127.0.0.1: handshake, runs,
//! clicks, cancellation, panics, and every kind of bad input.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use brooklet::prelude::*;
use brooklet::{App, Config};
use futures_util::SinkExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

mod common;
use common::{serve, Client, WAIT};

fn counter(ui: &Ui) {
    ui.text("static line");
    if ui.button("Increment").clicked() {
        ui.state().update("count", || 0_i64, |c| *c += 1);
    }
    let count: i64 = ui.state().get("count").unwrap_or(0);
    ui.text(format!("Count: {count}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_first_run_click_and_delta() {
    let server = serve(counter);
    let mut client = Client::connect(&server).await;
    client.hello().await;
    let session = client.until(|m| m["type"] == "session").await;
    assert_eq!(session["protocol"], 1);
    assert_eq!(session["resumed"], false);
    assert_eq!(session["session_id"].as_str().map(str::len), Some(32));
    let finished = client.until_finished().await;
    assert_eq!(finished["status"], "complete");
    assert_eq!(client.sets().len(), 3, "title line, button, count");

    let button = client.widget_id("button", "Increment");
    let before = client.seen.len();
    client
        .send(json!({"type": "rerun", "widgets": {}, "trigger": button}))
        .await;
    // A trivial rerun travels as one frame: started, the one change, finished.
    let frame = client.frame().await.expect("frame");
    let types: Vec<&str> = frame.iter().filter_map(|m| m["type"].as_str()).collect();
    assert_eq!(
        types,
        vec!["run_started", "delta", "run_finished"],
        "{frame:?}"
    );
    let ops = frame[1]["ops"].as_array().expect("ops");
    assert_eq!(ops.len(), 1, "only the changed element is sent: {ops:?}");
    assert_eq!(ops[0]["el"]["text"], "Count: 1");
    assert_eq!(ops[0]["path"], json!([0, 2]));
    assert!(client.seen.len() > before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeat_is_answered() {
    let server = serve(counter);
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    client.send(json!({"type": "heartbeat"})).await;
    client.until(|m| m["type"] == "heartbeat").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fields_the_server_does_not_know_are_ignored() {
    // docs/protocol.md, "Versioning": fields may be added in a minor release.
    let server = serve(counter);
    let mut client = Client::connect(&server).await;
    client
        .send(json!({"type": "hello", "protocol": 1, "added_later": {"x": 1}}))
        .await;
    assert_eq!(client.until_finished().await["status"], "complete");
    client
        .send(json!({"type": "heartbeat", "sent_at_ms": 12345}))
        .await;
    client.until(|m| m["type"] == "heartbeat").await;
    assert!(
        !client.seen.iter().any(|m| m["type"] == "error"),
        "{:?}",
        client.seen
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_mid_run_cancels_it_and_no_press_is_lost() {
    let clicked_runs = Arc::new(AtomicUsize::new(0));
    let counted = clicked_runs.clone();
    let server = serve(move |ui: &Ui| {
        if ui.button("Add").clicked() {
            counted.fetch_add(1, Ordering::SeqCst);
            ui.state().update("n", || 0_i64, |n| *n += 1);
        }
        let n: i64 = ui.state().get("n").unwrap_or(0);
        ui.text(format!("n = {n}"));
        for i in 0..20 {
            ui.text(format!("step {i}"));
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let add = client.widget_id("button", "Add");

    // Three presses in quick succession, each arriving while a run is busy.
    // Each run reads the button at its top, before the next press arrives,
    // so every press is read once and then its run is cancelled. A press
    // whose run is cancelled *before* reading it is the subject of
    // `four_clicks_on_rerun_during_a_slow_run_give_one_new_run` and
    // `presses_of_different_buttons_during_a_slow_run_give_one_run_each`.
    for _ in 0..3 {
        client.send(json!({"type": "rerun", "trigger": add})).await;
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    // Wait for the runs to settle: statuses until a complete run with n = 3.
    let mut statuses = Vec::new();
    loop {
        let finished = client.until_finished().await;
        statuses.push(finished["status"].as_str().unwrap_or_default().to_owned());
        let shown = client
            .sets()
            .iter()
            .filter_map(|op| op["el"]["text"].as_str().map(str::to_owned))
            .rfind(|t| t.starts_with("n = "));
        if finished["status"] == "complete" && shown.as_deref() == Some("n = 3") {
            break;
        }
        assert!(
            statuses.len() < 20,
            "never reached n = 3: {statuses:?}, shown {shown:?}"
        );
    }
    assert!(
        statuses.iter().any(|s| s == "cancelled"),
        "a run was cancelled mid-way: {statuses:?}"
    );
    assert_eq!(
        clicked_runs.load(Ordering::SeqCst),
        3,
        "each press read as clicked by exactly one run"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_ends_the_run_in_progress() {
    let server = serve(|ui: &Ui| {
        for i in 0..500 {
            ui.text(format!("line {i}"));
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until(|m| m["type"] == "delta").await;
    client.send(json!({"type": "stop"})).await;
    let finished = client.until_finished().await;
    assert_eq!(finished["status"], "stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_becomes_an_exception_and_the_session_keeps_working() {
    let server = serve(|ui: &Ui| {
        let boom = ui.checkbox("Boom");
        ui.text("before");
        if boom {
            let empty: Vec<i32> = Vec::new();
            let _ = empty[3];
        }
        ui.text("after");
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let boom = client.widget_id("checkbox", "Boom");

    // A second session, to show it is not disturbed.
    let mut other = Client::connect(&server).await;
    other.hello().await;
    other.until_finished().await;

    client
        .send(json!({"type": "rerun", "widgets": {boom.clone(): true}}))
        .await;
    let finished = client.until_finished().await;
    assert_eq!(finished["status"], "error");
    let exception = client
        .sets()
        .into_iter()
        .map(|op| op["el"].clone())
        .find(|el| el["kind"] == "exception")
        .expect("an exception element");
    assert!(
        exception["message"]
            .as_str()
            .unwrap_or_default()
            .contains("index out of bounds"),
        "{exception}"
    );
    assert!(
        exception["location"]
            .as_str()
            .unwrap_or_default()
            .contains("websocket.rs"),
        "{exception}"
    );

    // The same session runs again.
    client
        .send(json!({"type": "rerun", "widgets": {boom: false}}))
        .await;
    assert_eq!(client.until_finished().await["status"], "complete");
    // And the other session still answers.
    other.send(json!({"type": "heartbeat"})).await;
    other.until(|m| m["type"] == "heartbeat").await;
}

async fn expect_fatal(client: &mut Client, code: &str) {
    let error = client.until(|m| m["type"] == "error").await;
    assert_eq!(error["code"], code, "{error}");
    assert_eq!(error["fatal"], true);
    assert!(!error["message"].as_str().unwrap_or_default().is_empty());
    assert!(
        client.frame().await.is_none(),
        "the connection is closed after a fatal error"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_get_an_error_and_the_server_goes_on() {
    let server = serve(counter);
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    client
        .ws
        .send(Message::text("{not json"))
        .await
        .expect("send");
    expect_fatal(&mut client, "malformed").await;

    let mut unknown = Client::connect(&server).await;
    unknown.hello().await;
    unknown.until_finished().await;
    unknown.send(json!({"type": "explode"})).await;
    expect_fatal(&mut unknown, "malformed").await;

    let mut binary = Client::connect(&server).await;
    binary.hello().await;
    binary.until_finished().await;
    binary
        .ws
        .send(Message::binary(vec![1u8, 2, 3]))
        .await
        .expect("send");
    expect_fatal(&mut binary, "unsupported").await;

    let mut no_hello = Client::connect(&server).await;
    no_hello.send(json!({"type": "heartbeat"})).await;
    expect_fatal(&mut no_hello, "handshake").await;

    let mut wrong_version = Client::connect(&server).await;
    wrong_version
        .send(json!({"type": "hello", "protocol": 99}))
        .await;
    expect_fatal(&mut wrong_version, "handshake").await;

    // The server still serves new sessions.
    let mut fine = Client::connect(&server).await;
    fine.hello().await;
    assert_eq!(fine.until_finished().await["status"], "complete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_messages_are_refused_with_too_large() {
    // A widget value over the limit (64 KiB here) is refused on its widget;
    // the socket stays open and the rest of the message is applied.
    let server = serve(|ui: &Ui| {
        let text = ui.text_input("Text");
        if ui.button("Go").clicked() {
            ui.text(format!("went with {} bytes", text.len()));
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let text = client.widget_id("text_input", "Text");
    let go = client.widget_id("button", "Go");
    let big = "x".repeat(64 * 1024 + 1);
    client
        .send(json!({"type": "rerun", "widgets": {text.clone(): big}, "trigger": go}))
        .await;
    let error = client.until(|m| m["type"] == "error").await;
    assert_eq!(error["code"], "too_large", "{error}");
    assert_eq!(error["fatal"], false, "{error}");
    assert_eq!(error["widget"], text.as_str(), "{error}");
    assert_eq!(client.until_finished().await["status"], "complete");
    assert!(
        client
            .sets()
            .iter()
            .any(|op| op["el"]["text"] == "went with 0 bytes"),
        "the press was applied without the refused value"
    );

    // Over twice the limit, or not a widget value: fatal.
    let mut over = Client::connect(&server).await;
    over.hello().await;
    over.until_finished().await;
    over.send(json!({"type": "rerun", "widgets": {text.clone(): "y".repeat(130 * 1024)}}))
        .await;
    expect_fatal(&mut over, "too_large").await;
    let mut not_values = Client::connect(&server).await;
    not_values.hello().await;
    not_values.until_finished().await;
    not_values
        .send(json!({"type": "heartbeat", "padding": "z".repeat(70 * 1024)}))
        .await;
    expect_fatal(&mut not_values, "too_large").await;

    // Far over the hard limit too.
    let mut huge = Client::connect(&server).await;
    huge.hello().await;
    huge.until_finished().await;
    let payload = "y".repeat(3 * 1024 * 1024);
    let _ = huge.ws.send(Message::text(payload)).await;
    // The server closes the connection, with a `too_large` error when the
    // socket still lets it say so.
    while huge.frame().await.is_some() {}
    for error in huge.seen.iter().filter(|m| m["type"] == "error") {
        assert_eq!(error["code"], "too_large", "{error}");
    }

    let mut fine = Client::connect(&server).await;
    fine.hello().await;
    assert_eq!(fine.until_finished().await["status"], "complete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_origin_is_refused_with_403() {
    let server = serve(counter);
    let refused = Client::connect_with(&server, Some("http://evil.example")).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        Err(other) => panic!("expected HTTP 403, got {other}"),
        Ok(_) => panic!("a foreign origin was accepted"),
    }
    let own = format!("http://{}", server.addr());
    let mut client = Client::connect_with(&server, Some(&own))
        .await
        .expect("own origin is fine");
    client.hello().await;
    client.until_finished().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allowed_origins_are_accepted() {
    let mut config = Config::default();
    config.server.port = 0;
    config
        .set("server.allowed_origins", "https://app.example")
        .expect("setting");
    let server = App::new(counter).config(config).spawn().expect("server");
    let client = Client::connect_with(&server, Some("https://app.example")).await;
    assert!(client.is_ok(), "an allowed origin connects");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_resumes_its_session() {
    let server = serve(counter);
    let mut client = Client::connect(&server).await;
    client.hello().await;
    let session = client.until(|m| m["type"] == "session").await;
    client.until_finished().await;
    let button = client.widget_id("button", "Increment");
    client
        .send(json!({"type": "rerun", "trigger": button}))
        .await;
    client.until_finished().await;
    drop(client);

    let id = session["session_id"].clone();
    let mut again = Client::connect(&server).await;
    again
        .send(json!({"type": "hello", "protocol": 1, "session_id": id}))
        .await;
    let resumed = again.until(|m| m["type"] == "session").await;
    assert_eq!(resumed["resumed"], true);
    assert_eq!(resumed["session_id"], id);
    again.until_finished().await;
    let texts: Vec<String> = again
        .sets()
        .iter()
        .filter_map(|op| op["el"]["text"].as_str().map(String::from))
        .collect();
    assert!(
        texts.contains(&"Count: 1".to_owned()),
        "state survived the reconnect: {texts:?}"
    );
    let truncates = again
        .seen
        .iter()
        .filter(|m| m["type"] == "delta")
        .flat_map(|m| m["ops"].as_array().cloned().unwrap_or_default())
        .filter(|op| op["op"] == "truncate")
        .count();
    assert!(
        truncates >= 1,
        "a resumed page is reconciled with truncates"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_tells_connected_sessions() {
    let server = serve(counter);
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let stopper = std::thread::spawn(move || server.shutdown());
    let shutdown = client.until(|m| m["type"] == "shutdown").await;
    assert!(shutdown["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("shutting down"));
    stopper.join().expect("shutdown returns");
}

#[test]
fn health_and_assets_over_http() {
    let server = serve(counter);
    let get = |path: &str, accept: &str| -> (String, Vec<u8>) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(server.addr()).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept-Encoding: {accept}\r\nConnection: close\r\n\r\n",
            server.addr()
        )
        .expect("request");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("response");
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("headers end");
        (
            String::from_utf8_lossy(&response[..split]).to_lowercase(),
            response[split + 4..].to_vec(),
        )
    };
    let (head, body) = get("/_brooklet/health", "");
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body, b"ok");

    let (head, body) = get("/", "gzip, br");
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-encoding: br"), "{head}");
    assert!(head.contains("cache-control: no-cache"), "{head}");
    assert!(!body.is_empty());

    let (head, _) = get("/_brooklet/static/app.js", "gzip");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert!(head.contains("immutable"), "{head}");
    let (head, body) = get("/_brooklet/static/app.js", "identity");
    assert!(!head.contains("content-encoding"), "{head}");
    assert!(!body.is_empty());
    let (head, _) = get("/_brooklet/static/nope.js", "");
    assert!(head.starts_with("http/1.1 404"), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workers_write_reaches_the_browser_while_the_script_thread_waits() {
    static RELEASE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let server = serve(|ui: &Ui| {
        let slot = ui.container();
        slot.spawn(|ui| {
            ui.text("from worker");
        });
        // The script thread waits until the test has seen the worker's text.
        while !RELEASE.load(Ordering::SeqCst) {
            ui.checkpoint();
            std::thread::sleep(Duration::from_millis(1));
        }
        ui.text("script done");
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client
        .until(|m| {
            m["type"] == "delta"
                && m["ops"]
                    .as_array()
                    .is_some_and(|ops| ops.iter().any(|op| op["el"]["text"] == "from worker"))
        })
        .await;
    assert!(
        !client.seen.iter().any(|m| m["type"] == "run_finished"),
        "the worker's text arrived while the run was still going"
    );
    RELEASE.store(true, Ordering::SeqCst);
    assert_eq!(client.until_finished().await["status"], "complete");
    assert!(client
        .sets()
        .iter()
        .any(|op| op["el"]["text"] == "script done"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_runs_worker_reaches_no_later_run_and_no_other_session() {
    static RELEASE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    static ATTEMPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    static STOPPED_AT_WRITE: std::sync::atomic::AtomicBool =
        std::sync::atomic::AtomicBool::new(true);
    static SPAWNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let server = serve(|ui: &Ui| {
        // Only the very first run (of the first session) starts the worker.
        let first = !SPAWNED.swap(true, Ordering::SeqCst);
        if !ui.checkbox("Skip") && first {
            ui.container().spawn(|ui| {
                while !RELEASE.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(1));
                }
                ATTEMPTED.store(true, Ordering::SeqCst);
                // The run was cancelled: this call stops the worker.
                ui.text("late result");
                STOPPED_AT_WRITE.store(false, Ordering::SeqCst);
                unreachable!("a cancelled run's worker is stopped at its Ui call");
            });
        }
        ui.text("run body");
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until(|m| m["type"] == "delta").await;
    let skip = client.widget_id("checkbox", "Skip");
    // Rerun while the first run's worker waits: that run is cancelled.
    client
        .send(json!({"type": "rerun", "widgets": {skip: true}}))
        .await;
    let mut statuses = Vec::new();
    loop {
        let finished = client.until_finished().await;
        statuses.push(finished["status"].clone());
        if finished["status"] == "complete" {
            break;
        }
    }
    assert_eq!(statuses.first(), Some(&json!("cancelled")), "{statuses:?}");
    let mut other = Client::connect(&server).await;
    other.hello().await;
    other.until_finished().await;

    RELEASE.store(true, Ordering::SeqCst);
    let waited = tokio::time::timeout(WAIT, async {
        while !ATTEMPTED.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "the old worker ran its write");
    assert!(
        STOPPED_AT_WRITE.load(Ordering::SeqCst),
        "the old worker's write was refused"
    );
    // A heartbeat round trip: anything queued before it would have arrived.
    for c in [&mut client, &mut other] {
        c.send(json!({"type": "heartbeat"})).await;
        c.until(|m| m["type"] == "heartbeat").await;
        assert!(!c.sets().iter().any(|op| op["el"]["text"] == "late result"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fragment_event_reruns_only_the_fragment() {
    let server = serve(|ui: &Ui| {
        let runs = ui.state().update(
            "runs",
            || 0_u32,
            |n| {
                *n += 1;
                *n
            },
        );
        ui.text(format!("full runs {runs}"));
        ui.fragment(|ui| {
            let n = ui.number_input("n", 0_i32);
            ui.text(format!("fragment sees {n}"));
        });
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let fragment = client
        .sets()
        .iter()
        .find(|op| op["el"]["kind"] == "fragment")
        .map(|op| (op["el"]["id"].clone(), op["path"].clone()))
        .expect("a fragment block");
    let n = client.widget_id("number_input", "n");
    client
        .send(json!({"type": "rerun", "widgets": {n: 5}, "fragment": fragment.0}))
        .await;
    let started = client.until(|m| m["type"] == "run_started").await;
    assert_eq!(
        started["scope"], fragment.1,
        "a fragment run names its block"
    );
    assert_eq!(client.until_finished().await["status"], "complete");
    let texts: Vec<String> = client
        .sets()
        .iter()
        .filter_map(|op| op["el"]["text"].as_str().map(String::from))
        .collect();
    assert!(texts.contains(&"fragment sees 5".to_owned()), "{texts:?}");
    assert!(
        !texts.contains(&"full runs 2".to_owned()),
        "the app did not run again: {texts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fragment_event_during_a_full_run_waits_for_it() {
    static RELEASE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);
    let server = serve(|ui: &Ui| {
        ui.fragment(|ui| {
            let _ = ui.button("In fragment").clicked();
        });
        // Full runs wait here until the test lets them go.
        while !RELEASE.load(Ordering::SeqCst) {
            ui.checkpoint();
            std::thread::sleep(Duration::from_millis(1));
        }
        ui.text("full run done");
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let (fragment, path) = client
        .sets()
        .iter()
        .find(|op| op["el"]["kind"] == "fragment")
        .map(|op| (op["el"]["id"].clone(), op["path"].clone()))
        .expect("a fragment block");
    let button = client.widget_id("button", "In fragment");

    RELEASE.store(false, Ordering::SeqCst);
    client.send(json!({"type": "rerun"})).await;
    let full = client.until(|m| m["type"] == "run_started").await;
    assert!(full.get("scope").is_none(), "a full run: {full}");
    client
        .send(json!({"type": "rerun", "trigger": button, "fragment": fragment}))
        .await;
    // The full run is still held; the fragment event must not cancel it.
    client.send(json!({"type": "heartbeat"})).await;
    client.until(|m| m["type"] == "heartbeat").await;
    RELEASE.store(true, Ordering::SeqCst);
    let finished = client.until_finished().await;
    assert_eq!(finished["run"], full["run"], "{finished}");
    assert_eq!(
        finished["status"], "complete",
        "the full run was not preempted"
    );
    let next = client.until(|m| m["type"] == "run_started").await;
    assert_eq!(next["scope"], path, "then the fragment ran on its own");
    assert_eq!(client.until_finished().await["status"], "complete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_submit_carries_its_values_and_query_params_reach_the_browser() {
    let server = serve(|ui: &Ui| {
        let city = ui.query_params().get("city").unwrap_or_default();
        ui.text(format!("from url: {city}"));
        ui.form("f", |form| {
            let name = form.text_input("Name");
            if form.form_submit_button("Send") {
                form.state().set("sent", name.clone());
                form.query_params().set("name", &name);
            }
        });
        let sent: String = ui.state().get("sent").unwrap_or_default();
        ui.text(format!("sent: {sent}"));
    });
    let mut client = Client::connect(&server).await;
    client
        .send(json!({"type": "hello", "protocol": 1, "query": "city=Oslo"}))
        .await;
    client.until_finished().await;
    assert!(client
        .sets()
        .iter()
        .any(|op| op["el"]["text"] == "from url: Oslo"));
    let form = client
        .sets()
        .iter()
        .find(|op| op["el"]["kind"] == "form")
        .cloned()
        .expect("a form block");
    assert!(form["el"]["id"].is_string());
    let name = client.widget_id("text_input", "Name");
    let send = client.widget_id("form_submit", "Send");
    client
        .send(json!({"type": "rerun", "widgets": {name: "Ada"}, "trigger": send}))
        .await;
    let query = client.until(|m| m["type"] == "query_params").await;
    assert_eq!(query["query"], "city=Oslo&name=Ada");
    client.until_finished().await;
    assert!(client
        .sets()
        .iter()
        .any(|op| op["el"]["text"] == "sent: Ada"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_on_click_runs_once_for_presses_merged_while_its_run_is_cancelled() {
    let server = serve(|ui: &Ui| {
        ui.text("top");
        // Slow enough that a second press cancels the run before the
        // button below is read.
        for _ in 0..40 {
            ui.checkpoint();
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ =
            ui.add(Button::new("Add").on_click(|ui| ui.state().update("n", || 0_u32, |n| *n += 1)));
        let n: u32 = ui.state().get("n").unwrap_or(0);
        ui.text(format!("n = {n}"));
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let add = client.widget_id("button", "Add");
    // The second press arrives while the first one's run has run `on_click`
    // but not yet reached the button: the presses merge into one, and the
    // callback, already run, does not run again.
    client.send(json!({"type": "rerun", "trigger": add})).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    client.send(json!({"type": "rerun", "trigger": add})).await;
    loop {
        if client.until_finished().await["status"] == "complete" {
            break;
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    client.send(json!({"type": "heartbeat"})).await;
    client.until(|m| m["type"] == "heartbeat").await;
    let shown: Vec<String> = client
        .sets()
        .iter()
        .filter_map(|op| op["el"]["text"].as_str().map(String::from))
        .filter(|t| t.starts_with("n = "))
        .collect();
    assert_eq!(shown.last().map(String::as_str), Some("n = 1"), "{shown:?}");
    assert!(!shown.iter().any(|t| t == "n = 2"), "{shown:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_for_unknown_widgets_are_ignored_and_huge_batches_refused() {
    let server = serve(|ui: &Ui| {
        if !ui.checkbox("Hide") {
            let inner = ui.checkbox("Inner");
            ui.text(format!("inner={inner}"));
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    let hide = client.widget_id("checkbox", "Hide");
    let inner = client.widget_id("checkbox", "Inner");
    let made_up: serde_json::Map<String, Value> =
        (0..100).map(|i| (format!("wnope{i}"), json!(i))).collect();
    client
        .send(json!({"type": "rerun", "widgets": made_up}))
        .await;
    assert_eq!(client.until_finished().await["status"], "complete");

    // "Inner" leaves the page: from now on the session does not know it, so
    // a value sent for it must not be kept for when it comes back.
    client
        .send(json!({"type": "rerun", "widgets": {hide.clone(): true}}))
        .await;
    client.until_finished().await;
    client
        .send(json!({"type": "rerun", "widgets": {inner: true}}))
        .await;
    client.until_finished().await;
    client
        .send(json!({"type": "rerun", "widgets": {hide: false}}))
        .await;
    assert_eq!(client.until_finished().await["status"], "complete");
    let shown = client
        .sets()
        .iter()
        .filter_map(|op| op["el"]["text"].as_str().map(String::from))
        .rfind(|t| t.starts_with("inner="));
    assert_eq!(
        shown.as_deref(),
        Some("inner=false"),
        "the value sent while the widget was gone was ignored"
    );

    let huge: serde_json::Map<String, Value> =
        (0..10_001).map(|i| (format!("w{i}"), json!(0))).collect();
    client.send(json!({"type": "rerun", "widgets": huge})).await;
    expect_fatal(&mut client, "too_large").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cache_miss_moves_no_element_and_resends_nothing() {
    // Before: the miss's spinner took a slot in the flow, so every element
    // below a cache call moved one place down on a miss and back on a hit,
    // and the browser redrew (and re-fetched) all of them.
    let server = serve(|ui: &Ui| {
        let cache = brooklet::cache::CacheData::new("slow_value");
        if ui.button("Clear").clicked() {
            cache.clear();
        }
        ui.text("above");
        let value = cache.get(ui, &(), || {
            std::thread::sleep(Duration::from_millis(20));
            7
        });
        ui.text(format!("value {value}"));
        ui.text("below");
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until_finished().await;
    // The first run missed; a rerun hits, then a cleared cache misses again.
    let clear = client.widget_id("button", "Clear");
    for (message, what) in [
        (json!({"type": "rerun"}), "a hit after a miss"),
        (
            json!({"type": "rerun", "trigger": clear}),
            "a miss after a hit",
        ),
    ] {
        let before = client.sets().len();
        client.send(message).await;
        assert_eq!(client.until_finished().await["status"], "complete");
        let resent: Vec<Value> = client.sets().into_iter().skip(before).collect();
        assert!(
            resent.is_empty(),
            "{what} with the same value must leave the page as it was: {resent:?}"
        );
    }
    assert!(
        client
            .seen
            .iter()
            .any(|m| m["type"] == "status" && m["message"] == "Running slow_value(…)"),
        "the miss was shown beside the run indicator"
    );
}
