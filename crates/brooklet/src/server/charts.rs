//! `GET /_brooklet/chart/{owner}/{chart}.bin`: the points of a simple
//! chart for one range of x at one width (see `data::m4`).
//!
//! The owner token is the requesting tab's (random, never the session id):
//! a tab reaches only the charts its own page shows. The query says what
//! to send: `px` (the plot's width in device pixels, 1 to 8192), and either
//! `x0`/`x1` (a zoomed range; absent: the data's ends) or `after` (the
//! points of the rows `add_rows` appended after the first `after`). The
//! answer is binary (the layout is in `docs/protocol.md`), at most about
//! 4 × `px` points per series, however long the series: cutting it takes
//! milliseconds even at 100,000,000 points, on a blocking thread, a few
//! requests at a time.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use super::ServerState;
use crate::data::m4::{points, PointsRequest, MAX_PX};

/// Points requests computed at once (over all sessions); more wait.
const CONCURRENT: usize = 4;
static PERMITS: Semaphore = Semaphore::const_new(CONCURRENT);

pub(crate) async fn chart_points(
    Path((owner, file)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    State(state): State<Arc<ServerState>>,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "no such chart for this page\n").into_response();
    let Some(key) = file.strip_suffix(".bin") else {
        return not_found();
    };
    let Some(data) = state.app.charts.get(&owner, key) else {
        return not_found();
    };
    let request = match parse(&query) {
        Ok(request) => request,
        Err(reason) => return (StatusCode::BAD_REQUEST, format!("{reason}\n")).into_response(),
    };
    let Ok(_permit) = PERMITS.acquire().await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n").into_response();
    };
    let Ok(bytes) = tokio::task::spawn_blocking(move || points(&data, request).encode()).await
    else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the points could not be computed\n",
        )
            .into_response();
    };
    let length = bytes.len();
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The request the query makes, or why it makes none.
fn parse(query: &HashMap<String, String>) -> Result<PointsRequest, String> {
    let number = |name: &str| -> Result<Option<f64>, String> {
        match query.get(name) {
            None => Ok(None),
            Some(text) => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(format!("`{name}` must be a finite number")),
            },
        }
    };
    let px = match query.get("px") {
        None => return Err("`px` (the width in pixels) is required".into()),
        Some(text) => match text.parse::<u32>() {
            Ok(px) if (1..=MAX_PX).contains(&px) => px,
            _ => return Err(format!("`px` must be a whole number from 1 to {MAX_PX}")),
        },
    };
    if let Some(after) = query.get("after") {
        if query.contains_key("x0") || query.contains_key("x1") {
            return Err("`after` does not go with `x0`/`x1`".into());
        }
        let after = after
            .parse::<u64>()
            .map_err(|_| "`after` must be a row count".to_owned())?;
        return Ok(PointsRequest::After { after, px });
    }
    Ok(PointsRequest::Range {
        x0: number("x0")?,
        x1: number("x1")?,
        px,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn queries_are_checked() {
        assert_eq!(
            parse(&query(&[("px", "800")])),
            Ok(PointsRequest::Range {
                x0: None,
                x1: None,
                px: 800
            })
        );
        assert_eq!(
            parse(&query(&[("px", "10"), ("x0", "1.5"), ("x1", "2")])),
            Ok(PointsRequest::Range {
                x0: Some(1.5),
                x1: Some(2.0),
                px: 10
            })
        );
        assert_eq!(
            parse(&query(&[("px", "10"), ("after", "7")])),
            Ok(PointsRequest::After { after: 7, px: 10 })
        );
        for bad in [
            query(&[]),
            query(&[("px", "0")]),
            query(&[("px", "99999")]),
            query(&[("px", "10"), ("x0", "NaN")]),
            query(&[("px", "10"), ("x1", "inf")]),
            query(&[("px", "10"), ("after", "-1")]),
            query(&[("px", "10"), ("after", "1"), ("x0", "1")]),
        ] {
            assert!(parse(&bad).is_err(), "{bad:?}");
        }
    }
}
