//! `GET /_brooklet/media/{owner}/{id}`: bytes from the app-wide payload store.
//!
//! The owner token in the path is the requesting tab's (a random per-session
//! token, never the session id); a tab can fetch only what its own page
//! references, so knowing another tab's id is not enough. Entries are
//! content-addressed, so a response never changes: it may be cached privately
//! for as long as the browser likes.
//!
//! - **Ranges.** `Range: bytes=…` (one range) answers `206` with that part,
//!   so that audio and video seek without downloading everything first; a
//!   range past the end answers `416`.
//! - **Downloads.** `?name=file.csv` answers with `Content-Disposition:
//!   attachment` and that file name.
//! - **No script.** Every response is `nosniff` and sandboxed by its own
//!   Content-Security-Policy, and types that can hold script (SVG, HTML,
//!   XML) are only ever attachments: opened directly, they download instead
//!   of running in the app's origin. (`<img>` still shows an SVG: images
//!   ignore `Content-Disposition`, and an SVG in an image never runs script.)

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::ServerState;

/// The query of a media request.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MediaQuery {
    /// Download under this file name.
    #[serde(default)]
    pub(crate) name: Option<String>,
}

pub(crate) async fn media(
    Path((owner, id)): Path<(String, String)>,
    Query(query): Query<MediaQuery>,
    headers: HeaderMap,
    State(state): State<Arc<ServerState>>,
) -> Response {
    let Ok(payload) = state.app.payloads.get(&owner, &id) else {
        return (StatusCode::NOT_FOUND, "no such media for this page\n").into_response();
    };
    let bytes = Bytes::from_owner(payload.bytes);
    let mut response = ranged(bytes, headers.get(header::RANGE));
    if !response.status().is_success() {
        // A range past the end: the plain-text refusal, not cached.
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(payload.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    let scriptable = can_hold_script(payload.content_type);
    let disposition = match query.name.as_deref() {
        Some(name) => Some(attachment(name)),
        None if scriptable => Some(HeaderValue::from_static("attachment")),
        None => None,
    };
    if let Some(disposition) = disposition {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    insert_policy(
        headers,
        payload.content_type,
        &state.config.server.frame_ancestors,
    );
    response
}

/// Set a file response's own Content-Security-Policy (it wins over the
/// page's, which the security layer adds only where none is set).
pub(crate) fn insert_policy(headers: &mut HeaderMap, content_type: &str, frame_ancestors: &str) {
    let policy = match media_policy(content_type) {
        "" => format!("frame-ancestors {frame_ancestors}"),
        rest => format!("{rest}; frame-ancestors {frame_ancestors}"),
    };
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Whether a browser that opens this type runs script from it.
pub(crate) fn can_hold_script(content_type: &str) -> bool {
    let lower = content_type.to_ascii_lowercase();
    lower.contains("html") || lower.contains("svg") || lower.contains("xml")
}

/// The Content-Security-Policy of a media response, before its
/// `frame-ancestors` (the app's, `server.frame_ancestors`). Everything is
/// sandboxed (no script, no same origin) except PDFs: Chromium's viewer
/// is a plugin that neither a sandbox nor `object-src 'none'` lets run, and
/// it runs no script from the document.
fn media_policy(content_type: &str) -> &'static str {
    if content_type == "application/pdf" {
        ""
    } else {
        "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox"
    }
}

/// `Content-Disposition: attachment` with `name`, percent-encoded (RFC
/// 6266 / 8187) so that any name is a valid header; control characters
/// and path separators are dropped.
pub(crate) fn attachment(name: &str) -> HeaderValue {
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
        .collect();
    let clean = if clean.trim().is_empty() {
        "download".to_owned()
    } else {
        clean
    };
    let ascii: String = clean
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(clean.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// The response for `bytes` under an optional `Range` header.
pub(crate) fn ranged(bytes: Bytes, range: Option<&HeaderValue>) -> Response {
    let total = bytes.len() as u64;
    match requested_part(range, total) {
        Err(past_end) => past_end.into_response(),
        Ok(None) => part_response(Body::from(bytes), total, None),
        // `start <= end < total`: checked by `parse_range`.
        Ok(Some((start, end))) => part_response(
            Body::from(bytes.slice(start as usize..=end as usize)),
            total,
            Some((start, end)),
        ),
    }
}

/// The part of a body of `total` bytes an optional `Range` header asks
/// for: `None` for everything (no range, or one we do not serve, such as
/// several ranges), `Some((start, end))` for bytes `start..=end`, or
/// [`PastEnd`] for a range past the end.
pub(crate) fn requested_part(
    range: Option<&HeaderValue>,
    total: u64,
) -> Result<Option<(u64, u64)>, PastEnd> {
    let wanted = range
        .and_then(|v| v.to_str().ok())
        .map(|v| parse_range(v, total));
    match wanted {
        None | Some(Range::Ignore) => Ok(None),
        Some(Range::Part { start, end }) => Ok(Some((start, end))),
        Some(Range::Unsatisfiable) => Err(PastEnd { total }),
    }
}

/// A range request past the end of a body of `total` bytes: answered
/// `416` with the real length.
pub(crate) struct PastEnd {
    total: u64,
}

impl IntoResponse for PastEnd {
    fn into_response(self) -> Response {
        let total = self.total;
        let mut response = (
            StatusCode::RANGE_NOT_SATISFIABLE,
            format!("the range is past the end ({total} bytes)\n"),
        )
            .into_response();
        if let Ok(value) = HeaderValue::from_str(&format!("bytes */{total}")) {
            response.headers_mut().insert(header::CONTENT_RANGE, value);
        }
        response
    }
}

/// A `200` with `body` (all `total` bytes), or a `206` when `body` is the
/// part `start..=end` of them, with the length and range headers.
pub(crate) fn part_response(body: Body, total: u64, part: Option<(u64, u64)>) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    match part {
        None => {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(total));
        }
        Some((start, end)) => {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start + 1));
            if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{total}")) {
                headers.insert(header::CONTENT_RANGE, value);
            }
            *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        }
    }
    response
}

/// What a `Range` header asks of a body of `total` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// Bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// A range that starts past the end.
    Unsatisfiable,
    /// Not one byte range we serve: answer with everything (allowed by
    /// RFC 9110).
    Ignore,
}

fn parse_range(header: &str, total: u64) -> Range {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Range::Ignore;
    };
    if spec.contains(',') {
        return Range::Ignore;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Range::Ignore;
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // `bytes=-N`: the last N bytes.
        return match last.parse::<u64>() {
            Ok(0) => Range::Unsatisfiable,
            Ok(n) if total > 0 => Range::Part {
                start: total.saturating_sub(n),
                end: total - 1,
            },
            Ok(_) => Range::Unsatisfiable,
            Err(_) => Range::Ignore,
        };
    }
    let Ok(start) = first.parse::<u64>() else {
        return Range::Ignore;
    };
    let end = if last.is_empty() {
        total.saturating_sub(1)
    } else {
        match last.parse::<u64>() {
            Ok(end) if end >= start => end.min(total.saturating_sub(1)),
            _ => return Range::Ignore,
        }
    };
    if start >= total {
        return Range::Unsatisfiable;
    }
    Range::Part { start, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(
            parse_range("bytes=0-9", 100),
            Range::Part { start: 0, end: 9 }
        );
        assert_eq!(
            parse_range("bytes=90-", 100),
            Range::Part { start: 90, end: 99 }
        );
        assert_eq!(
            parse_range("bytes=90-500", 100),
            Range::Part { start: 90, end: 99 }
        );
        assert_eq!(
            parse_range("bytes=-10", 100),
            Range::Part { start: 90, end: 99 }
        );
        assert_eq!(
            parse_range("bytes=-500", 100),
            Range::Part { start: 0, end: 99 }
        );
        assert_eq!(parse_range("bytes=100-", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=0-", 0), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=5-2", 100), Range::Ignore);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Range::Ignore);
        assert_eq!(parse_range("items=0-1", 100), Range::Ignore);
        assert_eq!(parse_range("bytes=x-1", 100), Range::Ignore);
    }

    #[test]
    fn attachment_names_are_safe_headers() {
        let value = attachment("rows.csv");
        assert_eq!(
            value.to_str().unwrap_or(""),
            "attachment; filename=\"rows.csv\"; filename*=UTF-8''rows.csv"
        );
        let value = attachment("../é\r\nx\".csv");
        let text = value.to_str().unwrap_or("");
        assert!(!text.contains('\n') && !text.contains("../"), "{text}");
        assert!(text.contains("filename*=UTF-8''..%C3%A9x%22.csv"), "{text}");
        assert_eq!(
            attachment("\n").to_str().unwrap_or(""),
            "attachment; filename=\"download\"; filename*=UTF-8''download"
        );
    }
}
