//! One WebSocket connection: handshake, then a loop that reads client
//! messages and flushes the session's queue.
//!
//! Flushing: a run that draws an element wakes this task, but the task does
//! not send at once unless something *urgent* is queued (run finished, an
//! error, the session message). Otherwise it waits until the run pauses — no
//! new element for [`QUIET`] — or until [`MAX_DELAY`] has passed, and then
//! sends everything queued as one frame. A trivial rerun is therefore one
//! frame, a run that prints a line every 100 ms shows each line within a
//! millisecond or two, and a tight loop is sent every [`MAX_DELAY`], coalesced.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::ServerState;
use crate::protocol::{ClientConfig, ClientMessage, ErrorCode, ServerMessage, PROTOCOL_VERSION};
use crate::session::widgets::MAX_VALUES_PER_MESSAGE;
use crate::session::Session;

/// A run that draws nothing new for this long is considered paused.
const QUIET: Duration = Duration::from_millis(1);
/// The longest a drawn element waits in the queue while the run keeps drawing.
const MAX_DELAY: Duration = Duration::from_millis(16);
/// How long a new connection may take to say `hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often clients are asked to send a heartbeat.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// A client silent for this long (no heartbeat, nothing) is gone: a tab that
/// vanished without closing its socket must not hold its session forever.
const SILENCE_LIMIT: Duration = Duration::from_secs(60);

type Sink = futures_util::stream::SplitSink<WebSocket, Message>;

/// A client error that ends the connection.
struct Fatal {
    code: ErrorCode,
    message: String,
}

pub(crate) async fn serve_connection(socket: WebSocket, state: Arc<ServerState>) {
    let _alive = state.alive.clone();
    let (mut sink, mut stream) = socket.split();

    let (session, connection, waker) = match handshake(&mut stream, &state).await {
        Ok(bound) => bound,
        Err(fatal) => {
            close_with_error(&mut sink, fatal).await;
            return;
        }
    };
    tracing::debug!(session = %session.id(), "connected");

    let result =
        connection_loop(&session, connection, &waker, &state, &mut sink, &mut stream).await;
    session.detach(connection);
    match result {
        Ok(()) => {}
        Err(Some(fatal)) => close_with_error(&mut sink, fatal).await,
        Err(None) => {}
    }
    tracing::debug!(session = %session.id(), "disconnected");
}

/// Wait for `hello` and bind the connection to a session.
async fn handshake(
    stream: &mut futures_util::stream::SplitStream<WebSocket>,
    state: &Arc<ServerState>,
) -> Result<(Arc<Session>, u64, Arc<Notify>), Fatal> {
    let first = tokio::time::timeout(HELLO_TIMEOUT, next_message(stream, state))
        .await
        .map_err(|_| Fatal {
            code: ErrorCode::Handshake,
            message: "no hello within 10 seconds".into(),
        })?;
    let message = match first {
        Some(Ok(message)) => message,
        Some(Err(fatal)) => return Err(fatal),
        None => {
            return Err(Fatal {
                code: ErrorCode::Handshake,
                message: "closed before hello".into(),
            })
        }
    };
    let ClientMessage::Hello {
        protocol,
        session_id,
        query,
    } = message
    else {
        return Err(Fatal {
            code: ErrorCode::Handshake,
            message: "the first message must be `hello`".into(),
        });
    };
    if protocol != PROTOCOL_VERSION {
        return Err(Fatal {
            code: ErrorCode::Handshake,
            message: format!(
                "protocol {protocol} is not supported; this server speaks {PROTOCOL_VERSION}"
            ),
        });
    }
    let (session, resumed) = state.sessions.open(session_id.as_deref(), &state.app);
    // The address bar is the truth about query parameters, also on resume.
    session.set_query(&query);
    let config = &state.config.server;
    let (connection, waker) = session.attach(
        resumed,
        ServerMessage::Session {
            protocol: PROTOCOL_VERSION,
            session_id: session.id().to_string(),
            resumed,
            config: ClientConfig {
                max_message_bytes: config.max_message_bytes,
                heartbeat_ms: HEARTBEAT.as_millis() as u64,
                page_title: config.page_title.clone(),
            },
        },
    );
    session.request_rerun(HashMap::new(), None, None);
    Ok((session, connection, waker))
}

/// Read the next client message: `None` when the socket closed, an error for
/// anything malformed.
async fn next_message(
    stream: &mut futures_util::stream::SplitStream<WebSocket>,
    state: &ServerState,
) -> Option<Result<ClientMessage, Fatal>> {
    loop {
        let frame = match stream.next().await? {
            Ok(frame) => frame,
            Err(error) => {
                // tungstenite reports frames over its hard limit this way.
                let message = error.to_string();
                let code =
                    if message.to_lowercase().contains("too long") || message.contains("size") {
                        ErrorCode::TooLarge
                    } else {
                        return None;
                    };
                return Some(Err(Fatal { code, message }));
            }
        };
        let text = match frame {
            Message::Text(text) => text,
            Message::Binary(_) => {
                return Some(Err(Fatal {
                    code: ErrorCode::Unsupported,
                    message: "binary frames are not accepted; send JSON text".into(),
                }))
            }
            Message::Ping(_) | Message::Pong(_) => continue,
            Message::Close(_) => return None,
        };
        let limit = state.config.server.max_message_bytes;
        if text.len() > limit {
            return Some(Err(Fatal {
                code: ErrorCode::TooLarge,
                message: format!(
                    "message of {} bytes is over the limit of {limit} bytes",
                    text.len()
                ),
            }));
        }
        return Some(serde_json::from_str(text.as_str()).map_err(|error| Fatal {
            code: ErrorCode::Malformed,
            message: format!("invalid client message: {error}"),
        }));
    }
}

/// Serve the session until the client leaves (`Ok`), misbehaves
/// (`Err(Some)`), the socket breaks or the server shuts down (`Err(None)`).
async fn connection_loop(
    session: &Arc<Session>,
    connection: u64,
    waker: &Notify,
    state: &Arc<ServerState>,
    sink: &mut Sink,
    stream: &mut futures_util::stream::SplitStream<WebSocket>,
) -> Result<(), Option<Fatal>> {
    let mut shutdown = state.shutdown.clone();
    let mut taken_over = session.taken_over.subscribe();
    let mut last_heard = Instant::now();
    loop {
        // Fragment timers tick only while a connection serves the session,
        // so they pause by themselves while the tab is away.
        let next_timer = session.next_fragment_due();
        let timer = async move {
            match next_timer {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending().await,
            }
        };
        // Not `biased`: tokio picks among ready branches at random, so a run
        // that keeps drawing cannot starve reading (a Stop click), and a
        // chatty client cannot starve flushing.
        tokio::select! {
            _ = async { taken_over.wait_for(|current| *current != connection).await.map(|_| ()) } => {
                // The tab reconnected on another socket (which has its own
                // waker): leave quietly.
                let _ = sink.send(Message::Close(Some(CloseFrame { code: 1000, reason: "replaced by a newer connection".into() }))).await;
                return Err(None);
            }
            _ = shutdown.changed() => {
                send_frame(sink, &[ServerMessage::Shutdown { reason: "the server is shutting down".into() }]).await;
                let _ = sink.send(Message::Close(Some(CloseFrame { code: 1001, reason: "server shutting down".into() }))).await;
                return Err(None);
            }
            message = next_message(stream, state) => {
                last_heard = Instant::now();
                match message {
                    None => return Ok(()),
                    Some(Err(fatal)) => return Err(Some(fatal)),
                    Some(Ok(message)) => handle_message(session, message)?,
                }
            }
            _ = tokio::time::sleep_until(last_heard + SILENCE_LIMIT) => {
                tracing::info!(session = %session.id(), "closing a connection silent for {SILENCE_LIMIT:?}");
                return Err(None);
            }
            _ = timer => {
                session.fire_due_fragments();
            }
            _ = waker.notified() => {
                wait_for_pause(session, waker).await;
                if *taken_over.borrow() != connection {
                    // Replaced: the queue belongs to the new connection now.
                    continue;
                }
                let frame = session.page().take_frame();
                if let Some(frame) = frame {
                    if !send_frame(sink, &frame).await {
                        return Err(None);
                    }
                }
            }
        }
    }
}

fn handle_message(session: &Arc<Session>, message: ClientMessage) -> Result<(), Option<Fatal>> {
    match message {
        ClientMessage::Hello { .. } => {
            return Err(Some(Fatal {
                code: ErrorCode::Handshake,
                message: "`hello` was already received on this connection".into(),
            }))
        }
        ClientMessage::Rerun {
            widgets,
            trigger,
            fragment,
        } => {
            if widgets.len() > MAX_VALUES_PER_MESSAGE {
                return Err(Some(Fatal {
                    code: ErrorCode::TooLarge,
                    message: format!(
                        "{} widget values in one message; at most {MAX_VALUES_PER_MESSAGE} are accepted",
                        widgets.len()
                    ),
                }));
            }
            let values: HashMap<String, serde_json::Value> = widgets.into_iter().collect();
            session.request_rerun(values, trigger, fragment);
        }
        ClientMessage::Stop => session.stop(),
        ClientMessage::Heartbeat => {
            session.page().heartbeat();
            session.wake();
        }
    }
    Ok(())
}

/// Linger while the run keeps drawing; see the module docs.
async fn wait_for_pause(session: &Session, waker: &Notify) {
    let deadline = Instant::now() + MAX_DELAY;
    loop {
        let version = {
            // Nothing queued (a stale wake-up): do not linger, because the
            // connection reads no client message while it lingers.
            let page = session.page();
            if page.is_urgent() || !page.has_pending() {
                return;
            }
            page.version()
        };
        let quiet_until = (Instant::now() + QUIET).min(deadline);
        tokio::select! {
            _ = tokio::time::sleep_until(quiet_until) => {
                // Draws do not wake us one by one: the version tells whether
                // the run drew anything during the quiet period.
                if session.page().version() == version || Instant::now() >= deadline {
                    return;
                }
            }
            // Something urgent (the run finished): flush now.
            _ = waker.notified() => {}
        }
    }
}

/// Send messages as one frame; `false` when the socket is gone.
async fn send_frame(sink: &mut Sink, messages: &[ServerMessage]) -> bool {
    let text = match serde_json::to_string(messages) {
        Ok(text) => text,
        Err(error) => {
            tracing::error!(%error, "could not encode a frame");
            return true;
        }
    };
    sink.send(Message::Text(text.into())).await.is_ok()
}

async fn close_with_error(sink: &mut Sink, fatal: Fatal) {
    tracing::info!(code = ?fatal.code, "closing a connection: {}", fatal.message);
    let reason = fatal.message.chars().take(100).collect::<String>();
    send_frame(
        sink,
        &[ServerMessage::Error {
            code: fatal.code,
            message: fatal.message,
            fatal: true,
        }],
    )
    .await;
    let close_code = match fatal.code {
        ErrorCode::TooLarge => 1009,
        ErrorCode::Unsupported => 1003,
        _ => 1008,
    };
    let _ = sink
        .send(Message::Close(Some(CloseFrame {
            code: close_code,
            reason: reason.into(),
        })))
        .await;
}
