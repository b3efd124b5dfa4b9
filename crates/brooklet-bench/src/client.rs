//! One benchmark session: a WebSocket client that speaks the Brooklet
//! protocol, presses a button and times each rerun; and the lighter
//! sockets of the soak (idle, connect/close cycles, flood, slow reader).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_util::{FutureExt, SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Open a WebSocket to `addr` (`127.0.0.1:port`) and say `hello`.
pub(crate) async fn connect_hello(addr: &str, deadline: Instant) -> Result<Socket, String> {
    let url = format!("ws://{addr}/_brooklet/ws");
    let (mut socket, _) = tokio::time::timeout(
        deadline.saturating_duration_since(Instant::now()),
        // Like the server, turn Nagle's algorithm off: a benchmark must not
        // measure delayed ACKs.
        tokio_tungstenite::connect_async_with_config(url, None, true),
    )
    .await
    .map_err(|_| "timed out connecting".to_owned())?
    .map_err(|e| e.to_string())?;
    socket
        .send(Message::text(
            json!({"type": "hello", "protocol": 1}).to_string(),
        ))
        .await
        .map_err(|e| e.to_string())?;
    Ok(socket)
}

/// A WebSocket over a TCP stream this client set up itself (small buffers:
/// the soak holds thousands).
pub(crate) type LightSocket = WebSocketStream<TcpStream>;

/// One click's measurements.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rerun {
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
pub(crate) struct Session {
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

/// The next text frame: the messages it carries and its size in bytes.
pub(crate) async fn next_messages<S>(
    socket: &mut WebSocketStream<S>,
    deadline: Instant,
) -> Result<(Vec<Value>, u64), String>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let frame = tokio::time::timeout(left, socket.next())
            .await
            .map_err(|_| "timed out".to_owned())?
            .ok_or("the server closed the connection")?
            .map_err(|e| e.to_string())?;
        if let Message::Text(text) = frame {
            let messages: Vec<Value> =
                serde_json::from_str(text.as_str()).map_err(|e| e.to_string())?;
            return Ok((messages, text.len() as u64));
        }
    }
}

async fn until_run_finished<S>(
    socket: &mut WebSocketStream<S>,
    deadline: Instant,
) -> Result<Received, String>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut received = Received {
        messages: 0,
        frames: 0,
        bytes: 0,
        elements: Vec::new(),
    };
    loop {
        let (messages, bytes) = next_messages(socket, deadline)
            .await
            .map_err(|e| format!("{e} (waiting for run_finished)"))?;
        received.frames += 1;
        received.bytes += bytes;
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
    pub(crate) async fn open(
        addr: &str,
        button_label: &str,
        deadline: Instant,
    ) -> Result<Session, String> {
        let mut socket = connect_hello(addr, deadline).await?;
        let first = until_run_finished(&mut socket, deadline).await?;
        let button = first
            .elements
            .iter()
            .find(|el| el["kind"] == "button" && el["label"] == button_label)
            .and_then(|el| el["id"].as_str())
            .ok_or_else(|| format!("no button {button_label:?} in the first run"))?
            .to_owned();
        Ok(Session { socket, button })
    }

    /// Press the button and wait for the rerun to finish.
    pub(crate) async fn click(&mut self, deadline: Instant) -> Result<Rerun, String> {
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

    /// The id of the button it presses.
    pub(crate) fn button(&self) -> &str {
        &self.button
    }

    /// Close politely.
    pub(crate) async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}

/// The text of a `rerun` that presses `trigger`.
pub(crate) fn press(trigger: &str) -> String {
    json!({"type": "rerun", "widgets": {}, "trigger": trigger}).to_string()
}

/// Open a WebSocket to `addr` (`127.0.0.1:port`) with 4 KiB read buffers
/// and, if given, a small kernel receive buffer (a reader that falls
/// behind then blocks the server's sends sooner). No `hello` yet.
pub(crate) async fn connect_light(
    addr: &str,
    receive_buffer: Option<u32>,
    deadline: Instant,
) -> Result<LightSocket, String> {
    let target: SocketAddr = addr.parse().map_err(|e| format!("{addr}: {e}"))?;
    let tcp = TcpSocket::new_v4().map_err(|e| format!("socket: {e}"))?;
    if let Some(bytes) = receive_buffer {
        tcp.set_recv_buffer_size(bytes)
            .map_err(|e| format!("SO_RCVBUF: {e}"))?;
    }
    let work = async {
        let stream = tcp
            .connect(target)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let config = WebSocketConfig::default()
            .read_buffer_size(4096)
            .write_buffer_size(0);
        let url = format!("ws://{addr}/_brooklet/ws");
        tokio_tungstenite::client_async_with_config(url, stream, Some(config))
            .await
            .map(|(socket, _)| socket)
            .map_err(|e| format!("handshake: {e}"))
    };
    tokio::time::timeout(deadline.saturating_duration_since(Instant::now()), work)
        .await
        .map_err(|_| "timed out connecting".to_owned())?
}

/// Send `hello` for a new session.
pub(crate) async fn hello(socket: &mut LightSocket) -> Result<(), String> {
    socket
        .send(Message::text(
            json!({"type": "hello", "protocol": 1}).to_string(),
        ))
        .await
        .map_err(|e| format!("hello: {e}"))
}

/// One connect/disconnect cycle: connect, `hello`, wait for the first
/// `run_finished`, close (and wait up to a second for the server's close).
pub(crate) async fn cycle(addr: &str, deadline: Instant) -> Result<(), String> {
    let mut socket = connect_light(addr, None, deadline).await?;
    hello(&mut socket).await?;
    until_run_finished(&mut socket, deadline).await?;
    let _ = socket.close(None).await;
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
    Ok(())
}

/// What a socket that was never read says when finally looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Looked {
    /// Nothing says it is closed.
    Open,
    /// The server refused the session (`overloaded`, close code 1013).
    Refused(String),
    /// The server closed it (or it broke).
    Closed(String),
}

/// Without waiting, read whatever `socket` has buffered and say whether the
/// server has closed it. At most 10,000 frames.
///
/// Each read opts out of tokio's co-operative budget: looking at thousands
/// of sockets in one go would otherwise see "pending" on all but the first
/// hundred or so.
pub(crate) fn look(socket: &mut LightSocket) -> Looked {
    let mut refusal: Option<String> = None;
    for _ in 0..10_000 {
        match tokio::task::unconstrained(socket.next()).now_or_never() {
            None => break,
            Some(None) => {
                return refusal.map_or(Looked::Closed("end of stream".into()), Looked::Refused)
            }
            Some(Some(Err(error))) => {
                return refusal.map_or(Looked::Closed(error.to_string()), Looked::Refused)
            }
            Some(Some(Ok(Message::Close(frame)))) => {
                let (code, reason) = frame
                    .map(|f| (u16::from(f.code), f.reason.to_string()))
                    .unwrap_or((1005, String::new()));
                let said = format!("close {code} {reason}");
                return match refusal {
                    Some(refusal) => Looked::Refused(refusal),
                    None if code == 1013 => Looked::Refused(said),
                    None => Looked::Closed(said),
                };
            }
            Some(Some(Ok(Message::Text(text)))) => {
                if text.as_str().contains("\"overloaded\"") {
                    refusal = Some(text.as_str().chars().take(200).collect());
                }
            }
            Some(Some(Ok(_))) => {}
        }
    }
    refusal.map_or(Looked::Open, Looked::Refused)
}

/// Without waiting, whether the server has closed a raw TCP socket that
/// never sent anything (reads and drops up to 1 MiB it may have sent).
pub(crate) fn raw_is_open(stream: &TcpStream) -> bool {
    let mut buffer = [0_u8; 4096];
    for _ in 0..256 {
        match stream.try_read(&mut buffer) {
            Ok(0) => return false,
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => return true,
            Err(_) => return false,
        }
    }
    true
}
