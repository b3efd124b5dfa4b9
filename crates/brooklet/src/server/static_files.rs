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
//!
//! Files are streamed a chunk at a time, with byte ranges, and carry an
//! `ETag` and `Last-Modified`, so that a browser revalidating its copy gets
//! `304 Not Modified` instead of the bytes again.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;

use super::media::{insert_policy, part_response, requested_part};
use super::ServerState;

/// How much of a file one read takes (and one body chunk carries).
const CHUNK_BYTES: u64 = 64 << 10;

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
    let found = tokio::task::spawn_blocking(move || open_under(&root, &relative)).await;
    let Ok(Some(found)) = found else {
        return (StatusCode::NOT_FOUND, "no such static file\n").into_response();
    };
    let validators = Validators::of(&found);
    // The browser's copy is current (it revalidates each time: no-cache):
    // nothing to send.
    if validators.unchanged_for(&headers) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        validators.insert(response.headers_mut());
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return response;
    }
    // A range is answered only for the version the browser has the rest
    // of (`If-Range`); for another, the whole file.
    let range = headers
        .get(header::RANGE)
        .filter(|_| validators.range_applies(&headers));
    let part = match requested_part(range, found.len) {
        Ok(part) => part,
        Err(past_end) => return past_end.into_response(),
    };
    let (start, count) = match part {
        Some((start, end)) => (start, end - start + 1),
        None => (0, found.len),
    };
    let body = Body::from_stream(read_from(found.file, start, count));
    let mut response = part_response(body, found.len, part);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(found.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    validators.insert(headers);
    insert_policy(headers, found.content_type, &server.frame_ancestors);
    response
}

/// A static file, open, with what its response needs.
struct Found {
    file: std::fs::File,
    len: u64,
    modified: Option<SystemTime>,
    content_type: &'static str,
}

/// `count` bytes of `file` from `start`, read a chunk at a time on tokio's
/// blocking pool as the connection takes them: a slow browser holds no
/// thread, and memory stays at a chunk or two per response however big
/// the file.
fn read_from(
    file: std::fs::File,
    start: u64,
    count: u64,
) -> impl Stream<Item = std::io::Result<Bytes>> {
    futures_util::stream::try_unfold((file, start, count), |(mut file, at, left)| async move {
        if left == 0 {
            return Ok(None);
        }
        let want = left.min(CHUNK_BYTES);
        let (file, chunk) = tokio::task::spawn_blocking(move || {
            file.seek(SeekFrom::Start(at))?;
            let mut chunk = vec![0; want as usize];
            // A file that shrank while it was sent ends the body with
            // an error: the connection closes short of its length.
            file.read_exact(&mut chunk)?;
            Ok::<_, std::io::Error>((file, chunk))
        })
        .await
        .map_err(std::io::Error::other)??;
        Ok(Some((Bytes::from(chunk), (file, at + want, left - want))))
    })
}

/// A static file's `ETag` and `Last-Modified`, from its size and
/// modification time (as most web servers make them), so that a browser
/// revalidating its copy gets `304` instead of the file again.
struct Validators {
    etag: String,
    /// Whole seconds, as HTTP dates carry them.
    modified: Option<SystemTime>,
}

impl Validators {
    fn of(found: &Found) -> Validators {
        let since_epoch = found
            .modified
            .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
            .unwrap_or_default();
        Validators {
            etag: format!(
                "\"{:x}-{:x}-{:x}\"",
                since_epoch.as_secs(),
                since_epoch.subsec_nanos(),
                found.len
            ),
            modified: found
                .modified
                .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
                .map(|d| UNIX_EPOCH + Duration::from_secs(d.as_secs())),
        }
    }

    fn insert(&self, headers: &mut HeaderMap) {
        if let Ok(etag) = HeaderValue::from_str(&self.etag) {
            headers.insert(header::ETAG, etag);
        }
        if let Some(modified) = self.modified {
            if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(modified)) {
                headers.insert(header::LAST_MODIFIED, date);
            }
        }
    }

    /// Whether a conditional `GET` names this version (RFC 9110 §13.2.2:
    /// `If-None-Match` wins over `If-Modified-Since`).
    fn unchanged_for(&self, request: &HeaderMap) -> bool {
        if let Some(tags) = request.get(header::IF_NONE_MATCH) {
            let tags = tags.to_str().unwrap_or("");
            return tags
                .split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == self.etag);
        }
        let since = request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok());
        matches!((since, self.modified), (Some(since), Some(modified)) if modified <= since)
    }

    /// Whether a `Range` applies: always without `If-Range`, else only when
    /// it names this version (strong tags only, or the exact date).
    fn range_applies(&self, request: &HeaderMap) -> bool {
        let Some(condition) = request.get(header::IF_RANGE) else {
            return true;
        };
        let condition = condition.to_str().unwrap_or("").trim();
        if condition.starts_with('"') {
            return condition == self.etag;
        }
        let date = httpdate::parse_http_date(condition).ok();
        date.is_some() && date == self.modified
    }
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

/// The file at `relative` under `root`, open, if it is a regular file
/// there (after following links).
fn open_under(root: &FsPath, relative: &FsPath) -> Option<Found> {
    let root = root.canonicalize().ok()?;
    let path = root.join(relative).canonicalize().ok()?;
    // Under the folder once links are followed, and no part of the real
    // path a dot-file (a link to `.git`, a Windows short name of `.env`).
    let inside = path.strip_prefix(&root).ok()?;
    let hidden = inside
        .components()
        .any(|part| part.as_os_str().to_string_lossy().starts_with('.'));
    if hidden {
        return None;
    }
    // A regular file before opening it (opening a named pipe would wait
    // for a writer), and still one once open.
    if !std::fs::metadata(&path).ok()?.is_file() {
        return None;
    }
    let file = std::fs::File::open(&path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    Some(Found {
        file,
        len: meta.len(),
        modified: meta.modified().ok(),
        content_type: static_type(&path),
    })
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
