//! `GET /_brooklet/download/{owner}/{widget}`: a download made when clicked.
//!
//! The download button's closure (or file) runs on a blocking thread, never
//! on the async workers and never on a script thread. Its bytes stream to
//! the browser through a channel of [`CHUNKS_IN_FLIGHT`] chunks of
//! [`CHUNK_BYTES`]: when the browser reads slowly, the reader waits, so a
//! gigabyte export holds well under a megabyte of it at any time.
//!
//! As with media, the owner token is the tab's own (never the session id),
//! and a tab reaches only the buttons its page shows.

use std::io::Read;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::http::{made_body, server_work, ServerWork};
use super::media::{attachment, MediaQuery};
use super::ServerState;

/// Bytes read from the download's reader at a time.
pub(crate) const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks read ahead of the browser.
pub(crate) const CHUNKS_IN_FLIGHT: usize = 4;
/// Downloads made at once over the whole app: each holds a thread of
/// tokio's blocking pool (shared with CSV exports and chart points) while
/// it runs, so a tab asking for an expensive export again and again cannot
/// take them all. Beyond it the answer is `503`.
pub(crate) const MAX_DOWNLOADS_AT_ONCE: usize = 16;

/// Downloads one page makes at once (a person clicks one button at a time;
/// a script hammering its own button gets `429`).
pub(crate) const MAX_DOWNLOADS_PER_PAGE: usize = 2;

/// Downloads running per page (owner token).
fn running() -> &'static std::sync::Mutex<std::collections::HashMap<String, usize>> {
    static RUNNING: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<String, usize>>,
    > = std::sync::OnceLock::new();
    RUNNING.get_or_init(Default::default)
}

/// One page's running download, counted until dropped.
struct PageSlot(String);

impl PageSlot {
    fn take(owner: &str) -> Option<PageSlot> {
        let mut running = crate::sync::lock(running());
        let count = running.entry(owner.to_owned()).or_insert(0);
        if *count >= MAX_DOWNLOADS_PER_PAGE {
            return None;
        }
        *count += 1;
        Some(PageSlot(owner.to_owned()))
    }
}

impl Drop for PageSlot {
    fn drop(&mut self) {
        let mut running = crate::sync::lock(running());
        if let Some(count) = running.get_mut(&self.0) {
            *count -= 1;
            if *count == 0 {
                running.remove(&self.0);
            }
        }
    }
}

/// The permits of [`MAX_DOWNLOADS_AT_ONCE`].
fn slots() -> &'static Arc<tokio::sync::Semaphore> {
    static SLOTS: std::sync::OnceLock<Arc<tokio::sync::Semaphore>> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| Arc::new(tokio::sync::Semaphore::new(MAX_DOWNLOADS_AT_ONCE)))
}

/// Up to [`CHUNK_BYTES`] from `reader`: fewer only at its end (a reader
/// that returns a line at a time still makes full chunks).
fn fill_chunk(reader: &mut dyn Read) -> std::io::Result<Vec<u8>> {
    let mut chunk = vec![0u8; CHUNK_BYTES];
    let mut filled = 0;
    while filled < CHUNK_BYTES {
        match reader.read(&mut chunk[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    chunk.truncate(filled);
    Ok(chunk)
}

/// The text of a failed download's answer.
fn failure(details: bool, error: &str) -> String {
    if details {
        format!("the download failed: {error}")
    } else {
        "the download failed; the details are in the server's log".to_owned()
    }
}

pub(crate) async fn download(
    Path((owner, id)): Path<(String, String)>,
    Query(query): Query<MediaQuery>,
    method: Method,
    work: Option<Extension<ServerWork>>,
    State(state): State<Arc<ServerState>>,
) -> Response {
    let work = work.map(|Extension(work)| work);
    let Some(lazy) = state.app.downloads.get(&owner, &id) else {
        return (StatusCode::NOT_FOUND, "no such download for this page\n").into_response();
    };
    let name = query.name.unwrap_or_else(|| lazy.file_name.clone());
    if method == Method::HEAD {
        // What it would be, without making it.
        return headed(Response::new(Body::empty()), &lazy.mime, None, &name);
    }
    let Some(page_slot) = PageSlot::take(&owner) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "this page is already making two downloads; wait for them to finish\n",
        )
            .into_response();
    };
    let Ok(slot) = slots().clone().try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "too many downloads are being made at once; try again in a moment\n",
        )
            .into_response();
    };
    // What the person sees of a failure: as much as `client.show_error_details`
    // allows (the whole error is in the server's log either way).
    let details = state.app.error_details == crate::config::ErrorDetails::Full;
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(CHUNKS_IN_FLIGHT);
    let (head_tx, head_rx) = tokio::sync::oneshot::channel::<Result<Option<u64>, String>>();
    let make = lazy.make.clone();
    let label = lazy.file_name.clone();
    tokio::task::spawn_blocking(move || {
        // Held until the reader is done (or the browser has gone).
        let _slots = (slot, page_slot);
        // A panic in the app's closure is the app's bug: it fails this
        // download, not the server.
        let made = std::panic::catch_unwind(AssertUnwindSafe(|| make()));
        let (mut reader, len) = match made {
            Ok(Ok(body)) => body,
            Ok(Err(error)) => {
                tracing::warn!(file = %label, %error, "a download failed");
                let _ = head_tx.send(Err(failure(details, &error.to_string())));
                return;
            }
            Err(panic) => {
                let message = crate::run::unwind::payload_message(&*panic);
                tracing::error!(file = %label, %message, "a download panicked");
                let _ = head_tx.send(Err(failure(details, &message)));
                return;
            }
        };
        if head_tx.send(Ok(len)).is_err() {
            return;
        }
        loop {
            let read = std::panic::catch_unwind(AssertUnwindSafe(|| fill_chunk(&mut reader)));
            let (item, last) = match read {
                Ok(Ok(chunk)) if chunk.is_empty() => return,
                Ok(Ok(chunk)) => {
                    let last = chunk.len() < CHUNK_BYTES;
                    (Ok(Bytes::from(chunk)), last)
                }
                Ok(Err(error)) => (Err(error), true),
                Err(_) => (
                    Err(std::io::Error::other("the download's reader panicked")),
                    true,
                ),
            };
            // The browser went away (or the server is stopping): stop reading.
            if tx.blocking_send(item).is_err() || last {
                return;
            }
        }
    });
    // While the closure makes the file, the browser waits on the server:
    // not idle (an export may think for minutes before its first byte).
    let head = server_work(work.as_ref(), head_rx).await;
    let len = match head {
        Ok(Ok(len)) => len,
        Ok(Err(message)) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, message + "\n").into_response();
        }
        Err(_) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "the download failed\n").into_response();
        }
    };
    // Likewise while the reader makes its next chunk.
    let stream = made_body(rx, work);
    headed(
        Response::new(Body::from_stream(stream)),
        &lazy.mime,
        len,
        &name,
    )
}

/// A download's headers on `response`.
fn headed(mut response: Response, mime: &str, len: Option<u64>, name: &str) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    if let Some(len) = len {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    headers.insert(header::CONTENT_DISPOSITION, attachment(name));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}
