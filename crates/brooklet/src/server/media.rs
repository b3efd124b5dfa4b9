//! `GET /_brooklet/media/{owner}/{id}`: bytes from the app-wide payload store.
//!
//! The owner token in the path is the requesting tab's (a random per-session
//! token, never the session id); a tab can fetch only what its own page
//! references, so knowing another tab's id is not enough. Entries are
//! content-addressed, so a response never changes: it may be cached privately
//! for as long as the browser likes.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::ServerState;

pub(crate) async fn media(
    Path((owner, id)): Path<(String, String)>,
    State(state): State<Arc<ServerState>>,
) -> Response {
    let Ok(payload) = state.app.payloads.get(&owner, &id) else {
        return (StatusCode::NOT_FOUND, "no such media for this page\n").into_response();
    };
    let length = payload.bytes.len();
    let mut response = Response::new(Body::from(axum::body::Bytes::from_owner(payload.bytes)));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(payload.content_type),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    response
}
