//! One benchmark session: a WebSocket client that speaks the Brooklet
//! protocol, presses a button and times each rerun.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One click's measurements.
#[derive(Debug, Clone, Copy)]
pub struct Rerun {
    /// From sending the click to receiving `run_finished`.
    pub latency: Duration,
    /// Server messages received for it.
    pub messages: u64,
    /// Frames received for it.
    pub frames: u64,
    /// Bytes of text received for it.
    pub bytes: u64,
}

/// A connected session that has finished its first run.
pub struct Session {
    socket: Socket,
    /// The id of the button to press.
    button: String,
}

/// What was received until a `run_finished`.
struct Received {
    messages: u64,
    frames: u64,
    bytes: u64,
    /// Every `set` element seen (for finding widgets).
    elements: Vec<Value>,
}

async fn until_run_finished(socket: &mut Socket, deadline: Instant) -> Result<Received, String> {
    let mut received = Received {
        messages: 0,
        frames: 0,
        bytes: 0,
        elements: Vec::new(),
    };
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let frame = tokio::time::timeout(left, socket.next())
            .await
            .map_err(|_| "timed out waiting for run_finished".to_string())?
            .ok_or("the server closed the connection")?
            .map_err(|e| e.to_string())?;
        let Message::Text(text) = frame else { continue };
        received.frames += 1;
        received.bytes += text.len() as u64;
        let messages: Vec<Value> =
            serde_json::from_str(text.as_str()).map_err(|e| e.to_string())?;
        let mut finished = false;
        for message in messages {
            received.messages += 1;
            match message["type"].as_str() {
                Some("run_finished") => finished = true,
                Some("delta") => {
                    if let Some(ops) = message["ops"].as_array() {
                        received.elements.extend(
                            ops.iter()
                                .filter(|op| op["op"] == "set")
                                .map(|op| op["el"].clone()),
                        );
                    }
                }
                Some("error") => return Err(format!("server error: {message}")),
                _ => {}
            }
        }
        if finished {
            return Ok(received);
        }
    }
}

impl Session {
    /// Connect, say hello, wait for the first run, find the button.
    pub async fn open(
        addr: &str,
        button_label: &str,
        deadline: Instant,
    ) -> Result<Session, String> {
        let url = format!("ws://{addr}/_brooklet/ws");
        let (mut socket, _) = tokio::time::timeout(
            deadline.saturating_duration_since(Instant::now()),
            // Like the server, turn Nagle's algorithm off: a benchmark must not
            // measure delayed ACKs.
            tokio_tungstenite::connect_async_with_config(url, None, true),
        )
        .await
        .map_err(|_| "timed out connecting".to_string())?
        .map_err(|e| e.to_string())?;
        socket
            .send(Message::text(
                json!({"type": "hello", "protocol": 1}).to_string(),
            ))
            .await
            .map_err(|e| e.to_string())?;
        let first = until_run_finished(&mut socket, deadline).await?;
        let button = first
            .elements
            .iter()
            .find(|el| el["kind"] == "button" && el["label"] == button_label)
            .and_then(|el| el["id"].as_str())
            .ok_or_else(|| format!("no button {button_label:?} in the first run"))?
            .to_string();
        Ok(Session { socket, button })
    }

    /// Press the button and wait for the rerun to finish.
    pub async fn click(&mut self, deadline: Instant) -> Result<Rerun, String> {
        let message = json!({"type": "rerun", "widgets": {}, "trigger": self.button}).to_string();
        let sent = Instant::now();
        self.socket
            .send(Message::text(message))
            .await
            .map_err(|e| e.to_string())?;
        let received = until_run_finished(&mut self.socket, deadline).await?;
        Ok(Rerun {
            latency: sent.elapsed(),
            messages: received.messages,
            frames: received.frames,
            bytes: received.bytes,
        })
    }

    /// Close politely.
    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}
