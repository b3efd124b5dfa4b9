//! `GET /app/static/{path}`: the app's static folder, when
//! `server.enable_static_serving` is on (as Streamlit's `./static/`).
//!
//! A request reaches only regular files under the folder: each path segment
//! must be a plain name (no `..`, `.`, empty segments, backslashes, drive
//! letters or dot-files, whether written plainly or percent-encoded, which
//! the router decodes before this sees them), and the resolved file must
//! still lie under the folder once symbolic links are followed. Types come
//! from a fixed list of extensions; anything else is served as
//! `text/plain`, and every response is sandboxed, so a file in the folder
//! cannot run script in the app's origin.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::media::{insert_policy, ranged};
use super::ServerState;

/// The largest file the static folder serves (it is for assets, not
/// datasets).
pub(crate) const MAX_STATIC_BYTES: u64 = 64 << 20;

pub(crate) async fn serve(
    Path(path): Path<String>,
    headers: HeaderMap,
    State(state): State<Arc<ServerState>>,
) -> Response {
    let server = &state.config.server;
    if !server.enable_static_serving {
        return (
            StatusCode::NOT_FOUND,
            "static serving is off (set server.enable_static_serving = true)\n",
        )
            .into_response();
    }
    let Some(relative) = clean_path(&path) else {
        return (
            StatusCode::BAD_REQUEST,
            "not a file path under the static folder\n",
        )
            .into_response();
    };
    let root = server.static_dir.clone();
    let found = tokio::task::spawn_blocking(move || read_under(&root, &relative)).await;
    let (bytes, content_type) = match found {
        Ok(Ok(found)) => found,
        Ok(Err(StaticError::TooLarge)) => {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("static files are served up to {MAX_STATIC_BYTES} bytes\n"),
            )
                .into_response()
        }
        _ => return (StatusCode::NOT_FOUND, "no such static file\n").into_response(),
    };
    let mut response = ranged(Bytes::from(bytes), headers.get(header::RANGE));
    if !response.status().is_success() {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    insert_policy(headers, content_type, &server.frame_ancestors);
    response
}

enum StaticError {
    NotFound,
    TooLarge,
}

/// The segments of a request path, if every one is a plain name.
fn clean_path(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for segment in path.split('/') {
        let plain = !segment.is_empty()
            && !segment.starts_with('.')
            && !segment
                .chars()
                .any(|c| c == '\\' || c == ':' || c.is_control());
        if !plain {
            return None;
        }
        out.push(segment);
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// The file at `relative` under `root`, if it is a regular file there
/// (after following links), with its type.
fn read_under(root: &FsPath, relative: &FsPath) -> Result<(Vec<u8>, &'static str), StaticError> {
    let root = root.canonicalize().map_err(|_| StaticError::NotFound)?;
    let file = root
        .join(relative)
        .canonicalize()
        .map_err(|_| StaticError::NotFound)?;
    // Under the folder once links are followed, and no part of the real
    // path a dot-file (a link to `.git`, a Windows short name of `.env`).
    let Ok(inside) = file.strip_prefix(&root) else {
        return Err(StaticError::NotFound);
    };
    let hidden = inside
        .components()
        .any(|part| part.as_os_str().to_string_lossy().starts_with('.'));
    if hidden {
        return Err(StaticError::NotFound);
    }
    let meta = std::fs::metadata(&file).map_err(|_| StaticError::NotFound)?;
    if !meta.is_file() {
        return Err(StaticError::NotFound);
    }
    if meta.len() > MAX_STATIC_BYTES {
        return Err(StaticError::TooLarge);
    }
    let bytes = std::fs::read(&file).map_err(|_| StaticError::NotFound)?;
    Ok((bytes, static_type(&file)))
}

/// The type a static file is served as: known asset types by extension,
/// anything else as plain text.
fn static_type(path: &FsPath) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "csv" => "text/csv",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt",
        _ => "text/plain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_segments_pass() {
        assert_eq!(clean_path("a/b.png"), Some(PathBuf::from("a/b.png")));
        for bad in [
            "../x",
            "a/../../x",
            "./x",
            "a//b",
            "",
            ".env",
            "a\\..\\b",
            "C:x",
            "a/\0",
        ] {
            assert_eq!(clean_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn types_are_from_a_fixed_list() {
        assert_eq!(static_type(FsPath::new("a.PNG")), "image/png");
        assert_eq!(static_type(FsPath::new("a.html")), "text/plain");
        assert_eq!(static_type(FsPath::new("a.js")), "text/plain");
    }
}
