//! `PUT /_brooklet/upload/{token}/{widget}?name=…`: a file into an upload
//! widget; `DELETE /_brooklet/upload/{token}/{widget}/{file}`: one out.
//!
//! The token is the tab's random upload token (never the session id), and
//! the widget must be an upload widget its page shows: a tab cannot upload
//! to another tab's widget. Requests from a browser page must come from the
//! app's origin (as the WebSocket). The body streams into the session's
//! uploads (`crate::uploads`), checked against the limits as it arrives:
//! a body over a limit is answered `413` at once and nothing of it is kept.
//!
//! Answers: `200` with the file's reference as JSON, or a plain-text
//! message the widget shows: `400` (a bad name, a cut-off body), `403`
//! (not this tab's widget, or a foreign origin), `413` (over the file's
//! limit or the session's quota), `415` (a type the widget does not take),
//! `507` (the server's quota is used up).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;

use super::{guard, ServerState};
use crate::uploads::UploadError;

/// The query of an upload.
#[derive(Debug, Deserialize)]
pub(crate) struct UploadQuery {
    /// The file's name.
    #[serde(default)]
    name: String,
}

fn refuse(error: &UploadError) -> Response {
    let status = match error {
        UploadError::NotAllowed => StatusCode::FORBIDDEN,
        UploadError::BadName(_) | UploadError::Truncated(_) => StatusCode::BAD_REQUEST,
        UploadError::WrongType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        UploadError::TooLarge { .. }
        | UploadError::SessionQuota { .. }
        | UploadError::OverSessionQuota { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        UploadError::ServerQuota { .. } => StatusCode::INSUFFICIENT_STORAGE,
        UploadError::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if matches!(error, UploadError::Io(_)) {
        tracing::error!(%error, "an upload could not be stored");
    }
    let mut response = (status, error.to_string()).into_response();
    // A refusal before the body was read: the browser should stop sending.
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}

pub(crate) async fn upload(
    Path((token, widget)): Path<(String, String)>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    State(state): State<Arc<ServerState>>,
    body: Body,
) -> Response {
    if let Err(origin) = guard::check_origin(&headers, &state.config.server.allowed_origins) {
        tracing::warn!(%origin, "refused an upload from a foreign origin");
        return (
            StatusCode::FORBIDDEN,
            format!("uploads from {origin} are not allowed"),
        )
            .into_response();
    }
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let uploads = &state.app.uploads;
    let mut upload = match uploads.start(&token, &widget, &query.name, mime, announced) {
        Ok(upload) => upload,
        Err(error) => return refuse(&error),
    };
    let mut stream = body.into_data_stream();
    let mut received: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            // The browser went away or the body broke off: `upload` drops,
            // giving back what it counted and deleting its temporary file.
            return refuse(&UploadError::Truncated(query.name.clone()));
        };
        received += chunk.len() as u64;
        if let Err(error) = upload.push(&chunk) {
            return refuse(&error);
        }
        // A megabyte for the temporary file: written off the async
        // workers' queue, so a slow disk holds up this upload only.
        if upload.wants_flush() {
            if let Err(error) = tokio::task::block_in_place(|| upload.flush()) {
                return refuse(&error);
            }
        }
    }
    if announced.is_some_and(|len| len != received) {
        return refuse(&UploadError::Truncated(query.name.clone()));
    }
    match upload.finish() {
        Ok(reference) => {
            let json = serde_json::to_string(&reference).unwrap_or_default();
            let mut response = json.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(error) => refuse(&error),
    }
}

pub(crate) async fn remove(
    Path((token, widget, file)): Path<(String, String, String)>,
    headers: HeaderMap,
    State(state): State<Arc<ServerState>>,
) -> Response {
    if guard::check_origin(&headers, &state.config.server.allowed_origins).is_err() {
        return (StatusCode::FORBIDDEN, "not from this app's pages").into_response();
    }
    if state.app.uploads.remove(&token, &widget, &file) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        (StatusCode::NOT_FOUND, "no such file for this widget").into_response()
    }
}
