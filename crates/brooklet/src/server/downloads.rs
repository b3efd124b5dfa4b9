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
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::media::{attachment, MediaQuery};
use super::ServerState;

/// Bytes read from the download's reader at a time.
pub(crate) const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks read ahead of the browser.
pub(crate) const CHUNKS_IN_FLIGHT: usize = 4;

pub(crate) async fn download(
    Path((owner, id)): Path<(String, String)>,
    Query(query): Query<MediaQuery>,
    State(state): State<Arc<ServerState>>,
) -> Response {
    let Some(lazy) = state.app.downloads.get(&owner, &id) else {
        return (StatusCode::NOT_FOUND, "no such download for this page\n").into_response();
    };
    let (tx, mut rx) = mpsc::channel::<std::io::Result<Bytes>>(CHUNKS_IN_FLIGHT);
    let (head_tx, head_rx) = tokio::sync::oneshot::channel::<Result<Option<u64>, String>>();
    let make = lazy.make.clone();
    let label = lazy.file_name.clone();
    tokio::task::spawn_blocking(move || {
        // A panic in the app's closure is the app's bug: it fails this
        // download, not the server.
        let made = std::panic::catch_unwind(AssertUnwindSafe(|| make()));
        let (mut reader, len) = match made {
            Ok(Ok(body)) => body,
            Ok(Err(error)) => {
                tracing::warn!(file = %label, %error, "a download failed");
                let _ = head_tx.send(Err(format!("the download failed: {error}")));
                return;
            }
            Err(panic) => {
                let message = crate::run::unwind::payload_message(&*panic);
                tracing::error!(file = %label, %message, "a download panicked");
                let _ = head_tx.send(Err(format!("the download failed: {message}")));
                return;
            }
        };
        if head_tx.send(Ok(len)).is_err() {
            return;
        }
        loop {
            let mut chunk = vec![0u8; CHUNK_BYTES];
            let read = std::panic::catch_unwind(AssertUnwindSafe(|| reader.read(&mut chunk)));
            let item = match read {
                Ok(Ok(0)) => return,
                Ok(Ok(n)) => {
                    chunk.truncate(n);
                    Ok(Bytes::from(chunk))
                }
                Ok(Err(error)) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Ok(Err(error)) => Err(error),
                Err(_) => Err(std::io::Error::other("the download's reader panicked")),
            };
            let failed = item.is_err();
            // The browser went away (or the server is stopping): stop reading.
            if tx.blocking_send(item).is_err() || failed {
                return;
            }
        }
    });
    let len = match head_rx.await {
        Ok(Ok(len)) => len,
        Ok(Err(message)) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, message + "\n").into_response();
        }
        Err(_) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "the download failed\n").into_response();
        }
    };
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&lazy.mime)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    if let Some(len) = len {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    let name = query.name.unwrap_or_else(|| lazy.file_name.clone());
    headers.insert(header::CONTENT_DISPOSITION, attachment(&name));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}
