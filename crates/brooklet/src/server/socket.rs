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
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use serde_json::value::RawValue;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::ServerState;
use crate::protocol::{ClientConfig, ClientMessage, ErrorCode, ServerMessage, PROTOCOL_VERSION};
use crate::session::Session;
use crate::store::widgets::MAX_VALUES_PER_MESSAGE;

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
/// A connection may send a burst of this many seconds' worth of messages at
/// once (see `server.max_messages_per_sec`).
const BURST_SECONDS: f64 = 4.0;
/// Heartbeats are answered at most this often.
const HEARTBEAT_REPLY_EVERY: Duration = Duration::from_millis(500);

type Sink = futures_util::stream::SplitSink<WebSocket, Message>;
type Stream = futures_util::stream::SplitStream<WebSocket>;

/// The largest message read whole: twice the configured limit, so that a
/// message somewhat over it gets a clear answer.
pub(crate) fn hard_message_limit(max_message_bytes: usize) -> usize {
    max_message_bytes.saturating_mul(2)
}

/// A client error that ends the connection.
struct Fatal {
    code: ErrorCode,
    message: String,
}

/// What the client sent next.
enum Incoming {
    /// A client message (with non-fatal errors to report first, if parts of
    /// it were refused).
    Message(ClientMessage, Vec<ServerMessage>),
    /// An answer to our ping.
    Pong,
    /// The socket closed.
    Closed,
}

pub(crate) async fn serve_connection(socket: WebSocket, state: Arc<ServerState>, address: IpAddr) {
    let _alive = state.alive.clone();
    let (mut sink, mut stream) = socket.split();

    let (session, connection, waker) = match handshake(&mut stream, &state, address).await {
        Ok(bound) => bound,
        Err(fatal) => {
            close_with_error(&mut sink, fatal).await;
            return;
        }
    };
    tracing::debug!(session = %session.tag(), "connected");

    let result =
        connection_loop(&session, connection, &waker, &state, &mut sink, &mut stream).await;
    session.detach(connection);
    match result {
        Ok(()) => {}
        Err(Some(fatal)) => close_with_error(&mut sink, fatal).await,
        Err(None) => {}
    }
    tracing::debug!(session = %session.tag(), "disconnected");
}

/// Wait for `hello` and bind the connection to a session.
async fn handshake(
    stream: &mut Stream,
    state: &Arc<ServerState>,
    address: IpAddr,
) -> Result<(Arc<Session>, u64, Arc<Notify>), Fatal> {
    let first = tokio::time::timeout(HELLO_TIMEOUT, next_message(stream, state))
        .await
        .map_err(|_| Fatal {
            code: ErrorCode::Handshake,
            message: "no hello within 10 seconds".into(),
        })?;
    let message = match first {
        Ok(Incoming::Message(message, _)) => message,
        Ok(Incoming::Pong | Incoming::Closed) => {
            return Err(Fatal {
                code: ErrorCode::Handshake,
                message: "closed before hello".into(),
            })
        }
        Err(fatal) => return Err(fatal),
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
    let (session, resumed) = state
        .sessions
        .open(session_id.as_deref(), &state.app, address)
        .map_err(|error| {
            tracing::warn!(%address, "refused a new session: {error}");
            Fatal {
                code: ErrorCode::Overloaded,
                message: error.to_string(),
            }
        })?;
    // The address bar is the truth about query parameters, also on resume.
    let query_error = session.set_query(&query).err();
    let config = &state.config.server;
    let (connection, waker) = session.attach(
        resumed,
        ServerMessage::Session {
            protocol: PROTOCOL_VERSION,
            session_id: session.id().to_owned(),
            resumed,
            config: ClientConfig {
                max_message_bytes: config.max_message_bytes,
                heartbeat_ms: HEARTBEAT.as_millis() as u64,
                page_title: config.page_title.clone(),
            },
        },
    );
    if let Some(error) = query_error {
        tracing::info!(session = %session.tag(), "{error}");
        session.send(ServerMessage::Error {
            code: ErrorCode::TooLarge,
            message: error.to_string(),
            fatal: false,
            widget: None,
        });
    }
    session.request_rerun(HashMap::new(), None, None);
    Ok((session, connection, waker))
}

/// Read the next client message; an error for anything malformed.
async fn next_message(stream: &mut Stream, state: &ServerState) -> Result<Incoming, Fatal> {
    loop {
        let frame = match stream.next().await {
            None => return Ok(Incoming::Closed),
            Some(Ok(frame)) => frame,
            Some(Err(error)) => return Err(read_error(error)),
        };
        let text = match frame {
            Message::Text(text) => text,
            Message::Binary(_) => {
                return Err(Fatal {
                    code: ErrorCode::Unsupported,
                    message: "binary frames are not accepted; send JSON text".into(),
                })
            }
            Message::Pong(_) => return Ok(Incoming::Pong),
            Message::Ping(_) => continue,
            Message::Close(_) => return Ok(Incoming::Closed),
        };
        let limit = state.config.server.max_message_bytes;
        if text.len() > limit {
            return over_limit(text.as_str(), limit);
        }
        return serde_json::from_str(text.as_str())
            .map(|message| Incoming::Message(message, Vec::new()))
            .map_err(|error| Fatal {
                code: ErrorCode::Malformed,
                message: format!("invalid client message: {error}"),
            });
    }
}

/// What a read error means: a message over the hard limit, or a WebSocket
/// protocol violation (invalid UTF-8, reserved opcodes, bad framing). Both
/// end the connection with a close frame saying why.
fn read_error(error: axum::Error) -> Fatal {
    let message = error.to_string();
    let lower = message.to_lowercase();
    if lower.contains("too long") || lower.contains("size") {
        return Fatal {
            code: ErrorCode::TooLarge,
            message,
        };
    }
    Fatal {
        code: ErrorCode::Protocol,
        message: format!("WebSocket protocol error: {message}"),
    }
}

/// A message over the limit (but within the hard limit). A `rerun` whose
/// widget values make it too big is not fatal: the oversized values are
/// refused with an error on their widgets, and the rest of the message (other
/// values, a press) is applied. Anything else over the limit is fatal.
fn over_limit(text: &str, limit: usize) -> Result<Incoming, Fatal> {
    let too_large = || Fatal {
        code: ErrorCode::TooLarge,
        message: format!(
            "message of {} bytes is over the limit of {limit} bytes",
            text.len()
        ),
    };
    // Borrowing the values as raw JSON finds their sizes without building
    // a tree of the whole message.
    #[derive(serde::Deserialize)]
    struct RawRerun<'a> {
        #[serde(rename = "type")]
        kind: &'a str,
        #[serde(borrow, default)]
        widgets: HashMap<String, &'a RawValue>,
        #[serde(default)]
        trigger: Option<String>,
        #[serde(default)]
        fragment: Option<String>,
    }
    let raw: RawRerun<'_> = serde_json::from_str(text).map_err(|_| too_large())?;
    if raw.kind != "rerun" || raw.widgets.len() > MAX_VALUES_PER_MESSAGE {
        return Err(too_large());
    }
    let mut values: Vec<(String, &RawValue)> = raw.widgets.into_iter().collect();
    values.sort_by_key(|(_, value)| std::cmp::Reverse(value.get().len()));
    let mut total: usize = values
        .iter()
        .map(|(id, v)| id.len() + v.get().len() + 8)
        .sum();
    let mut refused = Vec::new();
    let mut kept = serde_json::Map::new();
    for (id, value) in values {
        if total > limit / 2 {
            total -= id.len() + value.get().len() + 8;
            refused.push(ServerMessage::Error {
                code: ErrorCode::TooLarge,
                message: format!(
                    "this value is {} bytes, over the server's limit of {limit} bytes for a \
                     message (server.max_message_bytes); use a file upload for bulk data",
                    value.get().len()
                ),
                fatal: false,
                widget: Some(id),
            });
            continue;
        }
        let parsed = serde_json::from_str(value.get()).map_err(|_| too_large())?;
        kept.insert(id, parsed);
    }
    Ok(Incoming::Message(
        ClientMessage::Rerun {
            widgets: kept,
            trigger: raw.trigger,
            fragment: raw.fragment,
        },
        refused,
    ))
}

/// Decode a client text frame as the server does, against a message limit:
/// `Ok` with the number of widget values refused for size, or the error that
/// would close the connection. For the fuzz target in `fuzz/`.
#[doc(hidden)]
pub fn decode_client_message(text: &str, limit: usize) -> Result<usize, String> {
    let decoded = if text.len() > limit {
        over_limit(text, limit)
    } else {
        serde_json::from_str(text)
            .map(|message| Incoming::Message(message, Vec::new()))
            .map_err(|error| Fatal {
                code: ErrorCode::Malformed,
                message: error.to_string(),
            })
    };
    match decoded {
        Ok(Incoming::Message(_, refused)) => Ok(refused.len()),
        Ok(_) => Ok(0),
        Err(fatal) => Err(fatal.message),
    }
}

/// A token bucket: how many messages a connection may send now. A person
/// clicking and typing sends a few a second; beyond the rate the connection
/// is simply read more slowly (TCP pushes back on the client), so nothing is
/// lost and no other session is slowed.
struct RateLimit {
    per_second: f64,
    burst: f64,
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    fn new(per_second: u32) -> RateLimit {
        let per_second = f64::from(per_second.max(1));
        RateLimit {
            per_second,
            burst: per_second * BURST_SECONDS,
            tokens: per_second * BURST_SECONDS,
            at: Instant::now(),
        }
    }

    /// Take a token; if none is left, how long until one is.
    fn take(&mut self) -> Option<Duration> {
        let now = Instant::now();
        let earned = now.duration_since(self.at).as_secs_f64() * self.per_second;
        self.tokens = (self.tokens + earned).min(self.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            None
        } else {
            Some(Duration::from_secs_f64(
                (1.0 - self.tokens) / self.per_second,
            ))
        }
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
    stream: &mut Stream,
) -> Result<(), Option<Fatal>> {
    let mut shutdown = state.shutdown.clone();
    let mut taken_over = session.taken_over.subscribe();
    let mut last_heard = Instant::now();
    let mut rate = RateLimit::new(state.config.server.max_messages_per_sec);
    let mut last_heartbeat_reply: Option<Instant> = None;
    // `server.ws_timeout`: how often to ping, how long a pong may take, and
    // how long one send may block.
    let liveness = state.config.server.ws_timeout;
    let mut next_ping = Instant::now() + liveness;
    // When the ping we sent must be answered by.
    let mut pong_due: Option<Instant> = None;
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
        let deadline = match pong_due {
            Some(due) => due.min(last_heard + SILENCE_LIMIT),
            None => next_ping.min(last_heard + SILENCE_LIMIT),
        };
        // Not `biased`: tokio picks among ready branches at random, so a run
        // that keeps drawing cannot starve reading (a Stop click), and a
        // chatty client cannot starve flushing.
        tokio::select! {
            _ = async { taken_over.wait_for(|current| *current != connection).await.map(|_| ()) } => {
                // The tab reconnected on another socket (which has its own
                // waker): leave quietly.
                let _ = send_with_timeout(sink, Message::Close(Some(CloseFrame { code: 1000, reason: "replaced by a newer connection".into() })), liveness).await;
                return Err(None);
            }
            _ = shutdown.changed() => {
                // Shutting down: do not wait on a client that does not read.
                let quick = Duration::from_secs(1);
                send_frame(sink, &[ServerMessage::Shutdown { reason: "the server is shutting down".into() }], quick).await;
                let _ = send_with_timeout(sink, Message::Close(Some(CloseFrame { code: 1001, reason: "server shutting down".into() })), quick).await;
                return Err(None);
            }
            incoming = next_message(stream, state) => {
                last_heard = Instant::now();
                pong_due = None;
                match incoming {
                    Ok(Incoming::Closed) => return Ok(()),
                    Ok(Incoming::Pong) => {}
                    Ok(Incoming::Message(message, refused)) => {
                        if !refused.is_empty() {
                            tracing::info!(session = %session.tag(), "refused {} widget value(s) over the message limit", refused.len());
                            if !send_frame(sink, &refused, liveness).await {
                                return Err(None);
                            }
                        }
                        let is_heartbeat = matches!(message, ClientMessage::Heartbeat);
                        if is_heartbeat {
                            // A flood of heartbeats gets one answer per
                            // interval; each costs the server nothing more.
                            let due = last_heartbeat_reply.is_none_or(|at| at.elapsed() >= HEARTBEAT_REPLY_EVERY);
                            if due {
                                last_heartbeat_reply = Some(Instant::now());
                                handle_message(session, message)?;
                            }
                        } else {
                            handle_message(session, message)?;
                        }
                    }
                    Err(fatal) => return Err(Some(fatal)),
                }
                // Over its rate, the connection is read more slowly.
                if let Some(wait) = rate.take() {
                    tokio::time::sleep(wait).await;
                }
            }
            _ = tokio::time::sleep_until(deadline) => {
                let now = Instant::now();
                if now >= last_heard + SILENCE_LIMIT {
                    tracing::info!(session = %session.tag(), "closing a connection silent for {SILENCE_LIMIT:?}");
                    return Err(None);
                }
                if pong_due.is_some_and(|due| now >= due) {
                    tracing::info!(session = %session.tag(), "closing a connection that did not answer a ping within {liveness:?}");
                    return Err(None);
                }
                if pong_due.is_none() && now >= next_ping {
                    if !send_with_timeout(sink, Message::Ping(Default::default()), liveness).await {
                        return Err(None);
                    }
                    pong_due = Some(now + liveness);
                    next_ping = now + liveness;
                }
            }
            _ = timer => {
                session.fire_due_fragments(std::time::Instant::now());
            }
            _ = waker.notified() => {
                wait_for_pause(session, waker).await;
                if *taken_over.borrow() != connection {
                    // Replaced: the queue belongs to the new connection now.
                    continue;
                }
                let frame = session.with_page(|page| page.take_frame());
                if let Some(frame) = frame {
                    if !send_frame(sink, &frame, liveness).await {
                        tracing::info!(session = %session.tag(), "dropping a connection that does not read (a send blocked for {liveness:?} or failed)");
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
        ClientMessage::Window(request) => session.request_window(request),
        ClientMessage::Heartbeat => {
            session.with_page(|page| page.heartbeat());
            session.wake();
        }
    }
    Ok(())
}

/// Linger while the run keeps drawing; see the module docs.
async fn wait_for_pause(session: &Session, waker: &Notify) {
    let deadline = Instant::now() + MAX_DELAY;
    loop {
        // Nothing queued (a stale wake-up): do not linger, because the
        // connection reads no client message while it lingers.
        let Some(version) = session
            .with_page(|page| (!page.is_urgent() && page.has_pending()).then(|| page.version()))
        else {
            return;
        };
        let quiet_until = (Instant::now() + QUIET).min(deadline);
        tokio::select! {
            _ = tokio::time::sleep_until(quiet_until) => {
                // Draws do not wake us one by one: the version tells whether
                // the run drew anything during the quiet period.
                if session.with_page(|page| page.version()) == version || Instant::now() >= deadline {
                    return;
                }
            }
            // Something urgent (the run finished): flush now.
            _ = waker.notified() => {}
        }
    }
}

/// Send one message, giving up after `timeout` (a client that does not read
/// would otherwise hold the connection forever); `false` when the socket is
/// gone or stalled.
async fn send_with_timeout(sink: &mut Sink, message: Message, timeout: Duration) -> bool {
    matches!(
        tokio::time::timeout(timeout, sink.send(message)).await,
        Ok(Ok(()))
    )
}

/// How long a closing connection waits to say why.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// Send messages as one frame; `false` when the socket is gone or stalled.
async fn send_frame(sink: &mut Sink, messages: &[ServerMessage], timeout: Duration) -> bool {
    let text = match serde_json::to_string(messages) {
        Ok(text) => text,
        Err(error) => {
            tracing::error!(%error, "could not encode a frame");
            return true;
        }
    };
    send_with_timeout(sink, Message::Text(text.into()), timeout).await
}

async fn close_with_error(sink: &mut Sink, fatal: Fatal) {
    tracing::info!(code = ?fatal.code, "closing a connection: {}", fatal.message);
    // A close reason must fit in a control frame (123 bytes).
    let reason = fatal.message.chars().take(100).collect::<String>();
    let close_code = match fatal.code {
        ErrorCode::TooLarge => 1009,
        ErrorCode::Unsupported => 1003,
        ErrorCode::Overloaded => 1013,
        ErrorCode::Protocol
            if fatal.message.contains("UTF-8") || fatal.message.contains("utf-8") =>
        {
            1007
        }
        ErrorCode::Protocol => 1002,
        _ => 1008,
    };
    send_frame(
        sink,
        &[ServerMessage::Error {
            code: fatal.code,
            message: fatal.message,
            fatal: true,
            widget: None,
        }],
        CLOSE_TIMEOUT,
    )
    .await;
    let _ = send_with_timeout(
        sink,
        Message::Close(Some(CloseFrame {
            code: close_code,
            reason: reason.into(),
        })),
        CLOSE_TIMEOUT,
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token bucket on tokio's clock, paused: no real waiting.
    #[tokio::test(start_paused = true)]
    async fn the_rate_limit_allows_a_burst_then_refills_with_time() {
        let mut limit = RateLimit::new(10);
        let burst = (10.0 * BURST_SECONDS) as usize;
        for _ in 0..burst {
            assert_eq!(limit.take(), None, "within the burst");
        }
        let wait = limit.take().expect("the burst is spent");
        assert!(wait <= Duration::from_millis(100), "{wait:?}");
        tokio::time::advance(wait).await;
        assert_eq!(limit.take(), None, "one token earned");
        assert!(limit.take().is_some());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// Any text at all: the decoder answers with a message or an error,
        /// never a panic.
        #[test]
        fn the_decoder_never_panics_on_any_text(text in "\\PC{0,300}") {
            let _ = serde_json::from_str::<ClientMessage>(&text);
            let _ = over_limit(&text, 16);
        }

        /// Rerun messages over the limit keep what fits and refuse the rest
        /// on their widgets; nothing is lost silently.
        #[test]
        fn oversized_reruns_refuse_exactly_the_big_values(
            sizes in proptest::collection::vec(0usize..400, 1..12),
            trigger in proptest::option::of("[a-z]{1,8}"),
        ) {
            let widgets: serde_json::Map<String, serde_json::Value> = sizes
                .iter()
                .enumerate()
                // Ids of one length, so that a value's cost depends on its size alone.
                .map(|(i, n)| (format!("w{i:02}"), serde_json::Value::from("x".repeat(*n))))
                .collect();
            let text = serde_json::json!({"type": "rerun", "widgets": widgets, "trigger": trigger}).to_string();
            let limit = 512;
            match over_limit(&text, limit) {
                Ok(Incoming::Message(ClientMessage::Rerun { widgets: kept, trigger: t, .. }, refused)) => {
                    proptest::prop_assert_eq!(t, trigger);
                    proptest::prop_assert_eq!(kept.len() + refused.len(), sizes.len());
                    // What each value costs against the limit (as `over_limit` counts it).
                    let cost = |id: &str| id.len() + sizes[id[1..].parse::<usize>().expect("w<i>")] + 2 + 8;
                    let kept_cost: usize = kept.keys().map(|id| cost(id)).sum();
                    proptest::prop_assert!(kept_cost <= limit / 2);
                    let mut refused_ids = Vec::new();
                    for error in &refused {
                        match error {
                            ServerMessage::Error { widget: Some(id), fatal: false, .. } => refused_ids.push(id.clone()),
                            other => proptest::prop_assert!(false, "not a widget error: {other:?}"),
                        }
                    }
                    // Exactly the big ones: nothing kept is bigger than anything refused...
                    let size = |id: &String| sizes[id[1..].parse::<usize>().expect("w<i>")];
                    if let (Some(smallest_refused), Some(largest_kept)) =
                        (refused_ids.iter().map(size).min(), kept.keys().map(size).max())
                    {
                        proptest::prop_assert!(smallest_refused >= largest_kept);
                    }
                    // ...and no more is refused than needed to fit: keeping the
                    // smallest refused one (the last refused) would not fit.
                    if let Some(last) = refused_ids.iter().min_by_key(|id| size(id)) {
                        proptest::prop_assert!(kept_cost + cost(last) > limit / 2);
                    }
                }
                Ok(_) => proptest::prop_assert!(false, "not a rerun"),
                Err(_) => proptest::prop_assert!(false, "a rerun within twice the limit is not fatal"),
            }
        }
    }
}
