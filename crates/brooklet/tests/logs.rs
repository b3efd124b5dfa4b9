//! Logs never carry a secret: whoever holds a session id can take the
//! session over, so sessions are logged by a short tag (`s17`) instead.
//! (Its own test binary, because it installs the global log subscriber.)

use std::sync::{Arc, Mutex};

use brooklet::prelude::*;
use serde_json::json;

mod common;
use common::{serve, Client};

/// Collects everything logged.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything logged by this test binary (one global subscriber for all
/// its tests).
fn captured() -> &'static Captured {
    static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        tracing::subscriber::set_global_default(
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::DEBUG)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish(),
        )
        .expect("the only subscriber in this binary");
        captured
    })
}

fn logs() -> String {
    String::from_utf8_lossy(&captured().0.lock().expect("logs")).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_ids_never_reach_the_logs() {
    let captured = captured();

    let server = serve(|ui: &Ui| {
        if ui.button("Fail").clicked() {
            panic!("boom");
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    let session = client.until(|m| m["type"] == "session").await;
    let id = session["session_id"].as_str().expect("id").to_owned();
    client.until_finished().await;
    let fail = client.widget_id("button", "Fail");
    client.send(json!({"type": "rerun", "trigger": fail})).await;
    assert_eq!(client.until_finished().await["status"], "error");
    drop(client);
    server.shutdown();

    let logs = String::from_utf8_lossy(&captured.0.lock().expect("logs")).to_string();
    assert!(logs.contains("boom"), "the panic was logged: {logs}");
    assert!(
        logs.contains("session=s"),
        "sessions are named by tag: {logs}"
    );
    assert!(
        !logs.contains(&id),
        "the session id leaked into the logs: {logs}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_ignores_its_cancellation_is_logged() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static RELEASE: AtomicBool = AtomicBool::new(false);
    captured();
    let mut config = common::test_config();
    config.runner.stuck_run_warning = std::time::Duration::from_secs(1);
    let server = common::serve_with(config, |ui: &Ui| {
        ui.text("looping without a Ui call");
        while !RELEASE.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    });
    let mut client = Client::connect(&server).await;
    client.hello().await;
    client.until(|m| m["type"] == "delta").await;
    client.send(json!({"type": "stop"})).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !logs().contains("is still running") {
        assert!(
            std::time::Instant::now() < deadline,
            "never logged: {}",
            logs()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    RELEASE.store(true, Ordering::SeqCst);
    assert_eq!(client.until_finished().await["status"], "stopped");
    let line = logs()
        .lines()
        .find(|line| line.contains("is still running"))
        .unwrap_or_default()
        .to_owned();
    assert!(
        line.contains("session=s") && line.contains("run=1"),
        "{line}"
    );
}
