//! The web server: HTTP for the front end and health, one WebSocket per tab.
//!
//! tokio + axum. The async workers only move bytes: app code never runs on
//! them, it runs on script threads (see the runner). Shutdown follows the
//! mini-redis pattern: a `watch` channel tells every connection to say
//! goodbye, and each connection task holds a clone of an `mpsc::Sender` whose
//! last drop tells [`RunningServer::shutdown`] that all of them are gone.

mod assets;
mod sessions;
mod socket;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{State, WebSocketUpgrade};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use tokio::sync::{mpsc, watch};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::session::AppShared;
pub(crate) use sessions::Sessions;

/// What every request handler shares.
pub(crate) struct ServerState {
    pub(crate) config: Config,
    pub(crate) app: Arc<AppShared>,
    pub(crate) sessions: Sessions,
    /// Flips to `true` when the server shuts down.
    pub(crate) shutdown: watch::Receiver<bool>,
    /// Held by every connection task; see the module docs.
    pub(crate) alive: mpsc::Sender<()>,
}

/// A server started with [`App::spawn`](crate::App::spawn), running on its own
/// threads until [`RunningServer::shutdown`] or drop.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningServer {
    /// The address it listens on (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://address:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop gracefully: sessions are told, runs cancelled, and this returns
    /// when the server has stopped.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send_replace(true);
        }
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("the server thread panicked");
            }
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Bind, then serve on a new multi-threaded tokio runtime in a background
/// thread. Returns once the socket is listening.
pub(crate) fn spawn(config: Config, app: Arc<AppShared>) -> Result<RunningServer> {
    // Bind with std so that this works from any context, async or not; the
    // listener moves to the server thread's runtime.
    let addr = SocketAddr::new(config.server.address, config.server.port);
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| Error::Bind { addr, source })?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("brooklet-server")
        .build()?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let thread = std::thread::Builder::new()
        .name("brooklet-server-main".into())
        .spawn(move || {
            let mut stop_rx = stop_rx;
            let stopped = async move {
                while !*stop_rx.borrow_and_update() {
                    if stop_rx.changed().await.is_err() {
                        break;
                    }
                }
            };
            let served = runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                serve(listener, config, app, stopped).await
            });
            if let Err(error) = served {
                tracing::error!(%error, "server failed");
            }
            runtime.shutdown_timeout(Duration::from_secs(2));
        })?;
    Ok(RunningServer {
        addr,
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}

/// Serve on `listener` until `stop` completes, then shut down gracefully.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    app: Arc<AppShared>,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let (alive_tx, mut alive_rx) = mpsc::channel::<()>(1);
    let sessions = Sessions::new(config.server.session_ttl);
    let state = Arc::new(ServerState {
        config,
        app: app.clone(),
        sessions: sessions.clone(),
        shutdown: shutdown_rx.clone(),
        alive: alive_tx,
    });
    let sweeper = tokio::spawn(sessions.clone().sweep(shutdown_rx.clone()));

    let router = Router::new()
        .route("/_brooklet/health", get(health))
        .route("/_brooklet/ws", get(websocket))
        .route("/_brooklet/static/{file}", get(assets::static_file))
        .fallback(get(assets::index))
        .with_state(state.clone());

    // Nagle's algorithm holding back small frames until the peer's delayed
    // ACK costs ~40 ms per rerun; every accepted socket turns it off.
    let listener = listener.tap_io(|tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY");
        }
    });
    let shutdown_signal = {
        let shutdown_tx = shutdown_tx.clone();
        async move {
            stop.await;
            tracing::info!("shutting down: telling sessions and cancelling runs");
            shutdown_tx.send_replace(true);
        }
    };
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal)
        .await?;

    // Upgraded WebSockets are not tracked by the HTTP server: wait for the
    // connection tasks ourselves, for a bounded time.
    drop(state);
    let _ = tokio::time::timeout(Duration::from_secs(3), alive_rx.recv()).await;
    sessions.close_all();
    app.pool.shutdown();
    sweeper.abort();
    Ok(())
}

async fn health() -> &'static str {
    "ok"
}

/// The WebSocket endpoint, after checking where the page came from.
async fn websocket(
    ws: WebSocketUpgrade,
    headers: HeaderMap,
    State(state): State<Arc<ServerState>>,
) -> Response {
    if let Err(origin) = check_origin(&headers, &state.config.server.allowed_origins) {
        tracing::warn!(%origin, "refused a WebSocket from a foreign origin");
        return (
            StatusCode::FORBIDDEN,
            format!("origin {origin} is not allowed; add it to server.allowed_origins"),
        )
            .into_response();
    }
    // Frames up to the limit plus slack are read whole, so that a message just
    // over the limit gets a clear `too_large` reply instead of a torn socket.
    let hard_limit = state
        .config
        .server
        .max_message_bytes
        .saturating_add(1 << 20);
    // tungstenite reads through a 128 KiB buffer per connection by default,
    // which would make an idle tab cost ~140 KiB of server memory. Client
    // messages are small (a click is ~80 bytes); a larger one simply takes a
    // few more reads.
    ws.max_message_size(hard_limit)
        .max_frame_size(hard_limit)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(8 * 1024)
        .on_upgrade(move |socket| socket::serve_connection(socket, state))
}

/// A browser page may open a WebSocket to any host; only pages served by this
/// server (same host) or explicitly allowed origins may talk to sessions.
/// Clients that send no `Origin` (not browsers) are allowed.
fn check_origin(headers: &HeaderMap, allowed: &[String]) -> std::result::Result<(), String> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().map_err(|_| "<not text>".to_string())?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    let origin_host = origin_host.trim_end_matches('/');
    if !host.is_empty() && origin_host.eq_ignore_ascii_case(host) {
        return Ok(());
    }
    let origin_trimmed = origin.trim_end_matches('/');
    if allowed
        .iter()
        .any(|a| a == "*" || a.eq_ignore_ascii_case(origin_trimmed))
    {
        return Ok(());
    }
    Err(origin.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).expect("host"));
        if let Some(origin) = origin {
            h.insert(
                header::ORIGIN,
                HeaderValue::from_str(origin).expect("origin"),
            );
        }
        h
    }

    #[test]
    fn origin_must_match_host_or_be_allowed() {
        assert!(check_origin(&headers(None, "127.0.0.1:8501"), &[]).is_ok());
        assert!(check_origin(
            &headers(Some("http://127.0.0.1:8501"), "127.0.0.1:8501"),
            &[]
        )
        .is_ok());
        assert!(
            check_origin(&headers(Some("http://evil.example"), "127.0.0.1:8501"), &[]).is_err()
        );
        assert!(check_origin(
            &headers(Some("http://127.0.0.1:9999"), "127.0.0.1:8501"),
            &[]
        )
        .is_err());
        let allowed = vec!["https://app.example".to_string()];
        assert!(check_origin(
            &headers(Some("https://app.example"), "127.0.0.1:8501"),
            &allowed
        )
        .is_ok());
    }
}
