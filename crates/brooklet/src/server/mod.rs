//! The web server: HTTP for the front end and health, one WebSocket per tab.
//!
//! tokio + axum. The async workers only move bytes: app code never runs on
//! them, it runs on script threads (see `session/drive.rs`). Shutdown follows the
//! mini-redis pattern: a `watch` channel tells every connection to say
//! goodbye, and each connection task holds a clone of an `mpsc::Sender` whose
//! last drop tells [`RunningServer::shutdown`] that all of them are gone.

mod assets;
mod charts;
mod downloads;
mod frames;
mod guard;
mod http;
mod media;
mod sessions;
mod socket;
mod static_files;
mod uploads;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use axum::Router;
use tokio::sync::{mpsc, watch};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ui::AppShared;
pub(crate) use sessions::Sessions;

#[doc(hidden)]
pub use socket::decode_client_message;

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
    let sessions = Sessions::new(&config.server);
    let open_files = http::raise_open_file_limit();
    let limits = http::HttpLimits {
        max_connections: http::effective_connection_cap(config.server.max_connections, open_files),
        header_read_timeout: config.server.header_read_timeout,
        idle_timeout: config.server.idle_timeout,
    };
    let guard = Arc::new(http::Guard {
        hosts: guard::HostPolicy::new(&config.server),
        headers: guard::SecurityHeaders::new(&config.server),
    });
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
        .route("/_brooklet/media/{owner}/{id}", get(media::media))
        .route("/_brooklet/download/{owner}/{id}", get(downloads::download))
        .route("/_brooklet/upload/{token}/{widget}", put(uploads::upload))
        .route(
            "/_brooklet/upload/{token}/{widget}/{file}",
            delete(uploads::remove),
        )
        .route("/app/static/{*path}", get(static_files::serve))
        .route("/_brooklet/frame/{owner}/{file}", get(frames::csv))
        .route("/_brooklet/chart/{owner}/{file}", get(charts::chart_points))
        .fallback(get(assets::index))
        .with_state(state.clone());

    let shutdown_signal = {
        let shutdown_tx = shutdown_tx.clone();
        async move {
            stop.await;
            tracing::info!("shutting down: telling sessions and cancelling runs");
            // WebSocket tasks say goodbye to their tabs and end.
            shutdown_tx.send_replace(true);
        }
    };
    // Returns once the listener is closed and connections have drained
    // (bounded by `DRAIN_TIMEOUT`), WebSockets included.
    http::serve_http(listener, router, limits, guard, shutdown_signal).await;

    // Connection tasks that are still finishing hold `alive`: give them a
    // moment more, then close every session regardless.
    drop(state);
    let _ = tokio::time::timeout(Duration::from_secs(1), alive_rx.recv()).await;
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    State(state): State<Arc<ServerState>>,
) -> Response {
    if let Err(origin) = guard::check_origin(&headers, &state.config.server.allowed_origins) {
        tracing::warn!(%origin, "refused a WebSocket from a foreign origin");
        return (
            StatusCode::FORBIDDEN,
            format!("origin {origin} is not allowed; add it to server.allowed_origins"),
        )
            .into_response();
    }
    // Messages up to twice the limit are read whole, so that a message over
    // the limit gets a clear reply (and a widget value over it a non-fatal
    // one) instead of a torn socket; anything larger is cut off by
    // tungstenite before it is buffered.
    let hard_limit = socket::hard_message_limit(state.config.server.max_message_bytes);
    // tungstenite reads through a 128 KiB buffer per connection by default,
    // which would make an idle tab cost ~140 KiB of server memory. Client
    // messages are small (a click is ~80 bytes); a larger one simply takes a
    // few more reads.
    ws.max_message_size(hard_limit)
        .max_frame_size(hard_limit)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(8 * 1024)
        .on_upgrade(move |socket| socket::serve_connection(socket, state, peer.ip()))
}
