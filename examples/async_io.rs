//! Async IO from app code: `ui.block_on` awaits futures on a runtime
//! Brooklet provides, and each result streams into its container as it
//! completes.
//!
//! To stay self-contained (and on 127.0.0.1), the example starts a tiny
//! "slow service" on a local port: a TCP server that answers each request
//! after the delay the request names. Five requests go out at once; their
//! answers arrive, and are shown, in order of latency, not of sending.
//!
//! `cargo run --example async_io`

use std::net::SocketAddr;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use brooklet::prelude::*;
use futures_util::future::join_all;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The local slow service, started on first use on Brooklet's async runtime.
static SERVICE: LazyLock<Result<SocketAddr, String>> = LazyLock::new(|| {
    brooklet::threads::async_runtime().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve_one(socket));
            }
        });
        Ok(addr)
    })
});

/// Answer one request line `<millis> <text>` with `<TEXT>` after `millis`.
async fn serve_one(socket: TcpStream) {
    let (read, mut write) = socket.into_split();
    let mut line = String::new();
    if BufReader::new(read).read_line(&mut line).await.is_err() {
        return;
    }
    let (millis, text) = line.trim().split_once(' ').unwrap_or(("0", ""));
    let millis: u64 = millis.parse().unwrap_or(0).min(10_000);
    tokio::time::sleep(Duration::from_millis(millis)).await;
    let _ = write
        .write_all(format!("{}\n", text.to_uppercase()).as_bytes())
        .await;
}

/// Ask the slow service to echo `text` after `millis`.
pub async fn request(addr: SocketAddr, millis: u64, text: &str) -> std::io::Result<String> {
    let socket = TcpStream::connect(addr).await?;
    let (read, mut write) = socket.into_split();
    write
        .write_all(format!("{millis} {text}\n").as_bytes())
        .await?;
    let mut answer = String::new();
    BufReader::new(read).read_line(&mut answer).await?;
    Ok(answer.trim().to_string())
}

/// The requests: (delay in ms, text).
pub const REQUESTS: [(u64, &str); 5] = [
    (1500, "alpha"),
    (300, "bravo"),
    (900, "charlie"),
    (100, "delta"),
    (600, "echo"),
];

/// The app.
pub fn app(ui: &Ui) {
    ui.title("Async IO");
    let addr = match SERVICE.as_ref() {
        Ok(addr) => *addr,
        Err(error) => {
            ui.error(format!("could not start the local service: {error}"));
            return;
        }
    };
    ui.caption(format!(
        "Five requests to a local service at {addr}, sent at once."
    ));
    let slots: Vec<(Ui, u64, &str)> = REQUESTS
        .iter()
        .map(|&(millis, text)| {
            ui.subheader(format!("{text} ({millis} ms)"));
            (ui.container(), millis, text)
        })
        .collect();
    let started = Instant::now();
    ui.block_on(join_all(slots.into_iter().map(
        |(slot, millis, text)| async move {
            match request(addr, millis, text).await {
                Ok(answer) => slot.success(format!(
                    "{answer} after {} ms",
                    started.elapsed().as_millis()
                )),
                Err(error) => slot.error(format!("request failed: {error}")),
            };
        },
    )));
    ui.write(format!(
        "All five answered in {} ms.",
        started.elapsed().as_millis()
    ));
    let _ = ui.button("Send again").clicked();
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
