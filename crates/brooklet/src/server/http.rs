//! Accepting and serving HTTP connections, with the limits that keep one
//! client from holding the server: a connection cap, a header-read timeout,
//! an idle timeout, and a bounded drain at shutdown.
//!
//! `axum::serve` has none of these knobs, so connections are served here with
//! hyper directly:
//!
//! - **Connection cap.** Every connection (HTTP or upgraded WebSocket) holds
//!   a permit of one semaphore; the permit lives inside the connection's IO
//!   object, so it is returned exactly when the socket is dropped, whoever
//!   holds it then. Over the cap a connection gets a `503` and is closed, so
//!   health checks keep answering instead of timing out in the backlog.
//! - **Timeouts per phase.** hyper's header-read timeout bounds how long a
//!   request's headers may take (slowloris); an idle timeout closes a
//!   connection on which no byte has moved for a while. Only the browser's
//!   silence counts: a large transfer in progress is never cut, nor is a
//!   connection waiting on the server's own work (a download whose closure
//!   takes minutes to make its file; see [`ServerWork`]). Once a connection is
//!   upgraded to a WebSocket, the socket layer's own ping and send timeouts
//!   take over.
//! - **File descriptors.** At start-up the open-file soft limit is raised to
//!   the hard limit, and the connection cap is kept below it. Accept errors
//!   (such as running out of descriptors anyway) are logged, at most once a
//!   second, and back off briefly instead of spinning.
//! - **Drain.** At shutdown the listener closes, idle keep-alive connections
//!   close at once, and requests in progress get a bounded time to finish.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

use super::guard::{HostPolicy, SecurityHeaders};

/// How long requests in progress may take to finish at shutdown.
pub(crate) const DRAIN_TIMEOUT: Duration = Duration::from_secs(3);

/// The limits [`serve_http`] enforces.
#[derive(Debug, Clone)]
pub(crate) struct HttpLimits {
    pub(crate) max_connections: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) idle_timeout: Duration,
}

/// What every request is checked against and every response carries.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    pub(crate) hosts: HostPolicy,
    pub(crate) headers: SecurityHeaders,
}

/// Raise the open-file soft limit to the hard limit; returns the soft limit
/// now in force (`None` where unknown).
pub(crate) fn raise_open_file_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(error) => {
            tracing::warn!(%error, "could not raise the open-file limit");
            None
        }
    }
}

/// The connection cap in force: the configured one, kept below the
/// open-file limit with room for the files the app itself opens.
pub(crate) fn effective_connection_cap(configured: usize, open_files: Option<u64>) -> usize {
    match open_files {
        Some(limit) => {
            let room = usize::try_from(limit.saturating_sub(128)).unwrap_or(usize::MAX);
            configured.min(room.max(16))
        }
        None => configured,
    }
}

/// Serve `router` on `listener` until `stop` completes, then drain.
pub(crate) async fn serve_http(
    listener: TcpListener,
    router: Router,
    limits: HttpLimits,
    guard: Arc<Guard>,
    stop: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (drain_tx, drain_rx) = watch::channel(false);
    let mut last_accept_log: Option<Instant> = None;
    let mut last_cap_log: Option<Instant> = None;
    tokio::pin!(stop);
    loop {
        let (tcp, peer) = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // EMFILE and friends: say so (not on every attempt) and
                    // give connections a moment to close.
                    if log_due(&mut last_accept_log) {
                        tracing::warn!(%error, "accepting a connection failed");
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            if log_due(&mut last_cap_log) {
                tracing::warn!(
                    max = limits.max_connections,
                    "refusing connections: at the connection limit (server.max_connections)"
                );
            }
            refuse(tcp);
            continue;
        };
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY");
        }
        tokio::spawn(serve_connection(
            tcp,
            peer,
            permit,
            router.clone(),
            limits.clone(),
            guard.clone(),
            drain_rx.clone(),
        ));
    }
    drop(listener);
    drain_tx.send_replace(true);
    // Every connection returns its permit when its socket is dropped.
    let everyone = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let drained = tokio::time::timeout(DRAIN_TIMEOUT, permits.acquire_many(everyone)).await;
    if drained.is_err() {
        tracing::info!(
            "{} connection(s) still open after {DRAIN_TIMEOUT:?}; closing them",
            limits.max_connections - permits.available_permits()
        );
    }
}

fn log_due(last: &mut Option<Instant>) -> bool {
    let due = last.is_none_or(|at| at.elapsed() >= Duration::from_secs(1));
    if due {
        *last = Some(Instant::now());
    }
    due
}

/// Over the cap: a short `503` (if the socket takes it at once) and close.
fn refuse(tcp: TcpStream) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 39\r\nconnection: close\r\n\r\nThe server is at its connection limit.\n";
    let _ = tcp.try_write(BUSY);
}

async fn serve_connection(
    tcp: TcpStream,
    peer: SocketAddr,
    permit: OwnedSemaphorePermit,
    router: Router,
    limits: HttpLimits,
    guard: Arc<Guard>,
    mut drain: watch::Receiver<bool>,
) {
    let activity = Arc::new(AtomicU64::new(now_ms()));
    let work = ServerWork::default();
    let handlers_work = work.clone();
    let io = CountedIo {
        inner: tcp,
        _permit: permit,
        activity: activity.clone(),
    };
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        let mut router = router.clone();
        let guard = guard.clone();
        let work = handlers_work.clone();
        async move {
            let host = request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok());
            let mut response = if guard.hosts.allows(host) {
                request.extensions_mut().insert(ConnectInfo(peer));
                request.extensions_mut().insert(work);
                match tower_service::Service::call(&mut router, request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            } else {
                tracing::warn!(
                    host = host.unwrap_or("-"),
                    "refused a request for a host name this server does not answer \
                     (add it to server.allowed_hosts)"
                );
                (
                    StatusCode::FORBIDDEN,
                    "This host name is not allowed; add it to server.allowed_hosts.\n",
                )
                    .into_response()
            };
            guard.headers.apply(response.headers_mut());
            Ok::<_, Infallible>(response)
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let connection = builder
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    tokio::pin!(connection);
    let idle_limit = limits.idle_timeout;
    let check_every = (idle_limit / 4).clamp(Duration::from_millis(50), Duration::from_secs(5));
    let mut draining = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, %peer, "connection ended with an error");
                }
                // Upgraded (a WebSocket) or done: either way this task is.
                return;
            }
            _ = drain.changed(), if !draining => {
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
            _ = tokio::time::sleep(check_every) => {
                if work.busy() {
                    // The silence is the server's: it starts counting when
                    // the work ends.
                    activity.store(now_ms(), Ordering::Relaxed);
                    continue;
                }
                let idle = Duration::from_millis(now_ms().saturating_sub(activity.load(Ordering::Relaxed)));
                if idle >= idle_limit {
                    tracing::debug!(%peer, "closing a connection idle for {idle:?}");
                    return;
                }
            }
        }
    }
}

/// Work a connection's handler is doing that the browser waits for (a
/// download's closure making its file): while any is under way the
/// connection is not idle, however long no byte moves. Handlers find it in
/// the request's extensions and hold a [`WorkGuard`] only while they wait
/// on their own work, never while they wait on the browser (reading a body
/// or writing to a browser that does not read), so a silent client is
/// still cut.
#[derive(Clone, Debug, Default)]
pub(crate) struct ServerWork(Arc<AtomicUsize>);

impl ServerWork {
    /// Work begins; it ends when the guard is dropped.
    pub(crate) fn begin(&self) -> WorkGuard {
        self.0.fetch_add(1, Ordering::AcqRel);
        WorkGuard(self.0.clone())
    }

    fn busy(&self) -> bool {
        self.0.load(Ordering::Acquire) > 0
    }
}

/// Awaits `future`, the server's own work, with the connection counted busy
/// meanwhile (when the request came through the accept loop; tests that
/// call the router directly have no [`ServerWork`]).
pub(crate) async fn server_work<T>(
    work: Option<&ServerWork>,
    future: impl Future<Output = T>,
) -> T {
    let _busy = work.map(ServerWork::begin);
    future.await
}

/// A response body read from `chunks`, made on a blocking thread. While the
/// body waits for the next chunk the connection is busy; while hyper waits
/// for the browser to take the last one the body is not polled, so a
/// browser that stops reading is still cut by the idle timeout.
pub(crate) fn made_body<T: Send + 'static>(
    mut chunks: tokio::sync::mpsc::Receiver<T>,
    work: Option<ServerWork>,
) -> impl futures_util::Stream<Item = T> + Send + 'static {
    let mut waiting: Option<WorkGuard> = None;
    futures_util::stream::poll_fn(move |cx| {
        let polled = chunks.poll_recv(cx);
        waiting = match polled {
            Poll::Pending => waiting
                .take()
                .or_else(|| work.as_ref().map(ServerWork::begin)),
            Poll::Ready(_) => None,
        };
        polled
    })
}

/// Server work under way on a connection, until dropped.
#[derive(Debug)]
pub(crate) struct WorkGuard(Arc<AtomicUsize>);

impl Drop for WorkGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Milliseconds since the first call (a cheap clock for activity stamps).
fn now_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = START.get_or_init(Instant::now);
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A TCP stream that holds its connection permit and stamps every byte
/// moved, for the idle timeout.
struct CountedIo {
    inner: TcpStream,
    _permit: OwnedSemaphorePermit,
    activity: Arc<AtomicU64>,
}

impl CountedIo {
    fn touch(&self) {
        self.activity.store(now_ms(), Ordering::Relaxed);
    }
}

impl AsyncRead for CountedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.touch();
        }
        polled
    }
}

impl AsyncWrite for CountedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_cap_stays_below_the_open_file_limit() {
        assert_eq!(effective_connection_cap(8192, Some(1024)), 896);
        assert_eq!(effective_connection_cap(8192, Some(1 << 20)), 8192);
        assert_eq!(effective_connection_cap(8192, Some(10)), 16);
        assert_eq!(effective_connection_cap(100, None), 100);
    }
}
