//! `GET /_brooklet/frame/{owner}/{grid}.csv`: a dataframe's view as CSV.
//!
//! The owner token is the requesting tab's (random, never the session id):
//! a tab reaches only the grids its own page shows. The query names the
//! view: `sort` (a column), `desc=1`, `search`, and `columns` (comma-
//! separated names; default every shown column). The CSV is written on a
//! blocking thread in chunks, through a channel of a few chunks, so a
//! 10,000,000-row download streams at the client's pace in bounded memory
//! and stops when the client goes away.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::http::{made_body, server_work, ServerWork};
use super::ServerState;
use crate::data::csv::{write_csv, CsvRequest};
use crate::protocol::SortKey;

/// Chunks written ahead of what the client has read.
const CHUNKS_AHEAD: usize = 4;

pub(crate) async fn csv(
    Path((owner, file)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    work: Option<Extension<ServerWork>>,
    State(state): State<Arc<ServerState>>,
) -> Response {
    let work = work.map(|Extension(work)| work);
    let not_found = || (StatusCode::NOT_FOUND, "no such table for this page\n").into_response();
    let Some(key) = file.strip_suffix(".csv") else {
        return not_found();
    };
    let Some(view) = state.app.frames.get(&owner, key) else {
        return not_found();
    };
    let request = CsvRequest {
        sort: query
            .get("sort")
            .filter(|c| !c.is_empty())
            .map(|column| SortKey {
                column: column.clone(),
                descending: query.get("desc").is_some_and(|d| d == "1" || d == "true"),
            }),
        search: query.get("search").cloned().unwrap_or_default(),
        columns: query
            .get("columns")
            .map(|c| {
                c.split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
    };
    // The view is computed (a first sort of 10,000,000 rows may take a
    // second) and checked on a blocking thread, before answering 200: a bad
    // column is a 400 with its reason, not a broken download.
    let (checked, check) = tokio::sync::oneshot::channel::<Result<(), String>>();
    let (sender, receiver) =
        tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(CHUNKS_AHEAD);
    tokio::task::spawn_blocking(move || {
        let mut checked = Some(checked);
        let result = write_csv(&view, &request, |chunk| {
            if let Some(checked) = checked.take() {
                let _ = checked.send(Ok(()));
            }
            sender.blocking_send(Ok(Bytes::from(chunk))).is_ok()
        });
        if let Err(error) = result {
            match checked.take() {
                Some(checked) => {
                    let _ = checked.send(Err(error.to_string()));
                }
                // Headers are sent: end the body with an error, which the
                // client sees as a failed download.
                None => {
                    let _ = sender.blocking_send(Err(std::io::Error::other(error.to_string())));
                }
            }
        }
    });
    // A sort that takes long is the server's work, not the client's idling.
    match server_work(work.as_ref(), check).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => return (StatusCode::BAD_REQUEST, format!("{error}\n")).into_response(),
        Err(_) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "the download failed\n").into_response()
        }
    }
    let body = made_body(receiver, work);
    let mut response = Response::new(Body::from_stream(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"data.csv\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
