//! `frames`: the dataframe of `examples/dataframe.rs` at scale, measured
//! from the outside: what the first screen costs in bytes and time, how
//! long the server takes to sort it (first, and once cached), how fast
//! windows come back while scrolling, and how much memory one frame costs
//! when many sessions show it.
//!
//! Everything goes to 127.0.0.1, counts are fixed and each wait is bounded
//! by the deadline.

use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::SinkExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::client::{connect_hello, next_messages, Socket};
use crate::server::{rss, Server};

/// A session that can ask for windows.
struct Grid {
    socket: Socket,
    /// The grid's frame key.
    frame: String,
    /// Bytes and time of the first run (the first screen).
    first_bytes: u64,
    first_time: Duration,
    /// The columnar size the example reports, in MB.
    columnar_mb: f64,
}

impl Grid {
    async fn open(addr: &str, deadline: Instant) -> Result<Grid, String> {
        let started = Instant::now();
        let mut socket = connect_hello(addr, deadline).await?;
        let (mut frame, mut columnar_mb, mut bytes) = (None, f64::NAN, 0);
        loop {
            let (messages, size) = next_messages(&mut socket, deadline).await?;
            bytes += size;
            let mut finished = false;
            for message in messages {
                if message["type"] == "run_finished" {
                    finished = true;
                }
                for op in message["ops"].as_array().into_iter().flatten() {
                    let el = &op["el"];
                    if el["kind"] == "dataframe" {
                        frame = el["frame"].as_str().map(str::to_owned);
                    }
                    if let Some(text) = el["text"].as_str() {
                        if let Some(mb) =
                            text.strip_prefix("Held once on the server, in Arrow columns: ")
                        {
                            columnar_mb = mb.trim_end_matches(" MB").parse().unwrap_or(f64::NAN);
                        }
                    }
                }
            }
            if finished {
                break;
            }
        }
        Ok(Grid {
            socket,
            frame: frame.ok_or("no dataframe on the page")?,
            first_bytes: bytes,
            first_time: started.elapsed(),
            columnar_mb,
        })
    }

    /// One window; its round trip and size.
    async fn window(
        &mut self,
        start: u64,
        sort: Option<(&str, bool)>,
        search: &str,
        deadline: Instant,
    ) -> Result<(Duration, u64, u64), String> {
        let sort =
            sort.map(|(column, descending)| json!({"column": column, "descending": descending}));
        let request = json!({"type": "window", "view": "bench", "frame": self.frame,
            "start": start, "count": 40, "sort": sort, "search": search});
        let sent = Instant::now();
        self.socket
            .send(Message::text(request.to_string()))
            .await
            .map_err(|e| e.to_string())?;
        loop {
            let (messages, size) = next_messages(&mut self.socket, deadline).await?;
            for message in messages {
                if message["type"] == "window" {
                    if let Some(error) = message["error"].as_str() {
                        return Err(format!("window refused: {error}"));
                    }
                    return Ok((sent.elapsed(), size, message["total"].as_u64().unwrap_or(0)));
                }
            }
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Run the scenario against `app` (the dataframe example) with `rows` rows
/// and `sessions` sessions.
pub(crate) async fn run(
    app: &Path,
    rows: usize,
    sessions: usize,
    timeout: Duration,
) -> Result<Value, String> {
    let rows_text = rows.to_string();
    let server = Server::start_with_env(app, &[], &[("BROOKLET_ROWS", &rows_text)]).await?;
    let deadline = Instant::now() + timeout;
    let pid = server.pid().ok_or("no pid")?;
    let rss_idle = rss(pid).unwrap_or(0);
    // The first session builds the frame (a cache miss).
    let mut first = Grid::open(&server.addr, deadline).await?;
    let rss_one = rss(pid).unwrap_or(0);
    // The others share it.
    let mut others = Vec::new();
    for _ in 1..sessions {
        others.push(Grid::open(&server.addr, deadline).await?);
    }
    let rss_all = rss(pid).unwrap_or(0);
    let shared_first: Vec<f64> = others.iter().map(|g| ms(g.first_time)).collect();
    let first_screen_bytes = others
        .iter()
        .map(|g| g.first_bytes)
        .max()
        .unwrap_or(first.first_bytes);

    // Sorting: the first sort of the frame, then the same sort from another
    // session (cached), then scrolling the sorted view.
    let (sort_first, _, _) = first
        .window(0, Some(("price", false)), "", deadline)
        .await?;
    let sort_cached = match others.first_mut() {
        Some(other) => {
            other
                .window(0, Some(("price", false)), "", deadline)
                .await?
                .0
        }
        None => {
            first
                .window(0, Some(("price", false)), "", deadline)
                .await?
                .0
        }
    };
    let mut scroll = Vec::new();
    let mut window_bytes = 0;
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..100 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let start = seed % (rows as u64).saturating_sub(40).max(1);
        let (took, bytes, _) = first
            .window(start, Some(("price", false)), "", deadline)
            .await?;
        scroll.push(took);
        window_bytes = window_bytes.max(bytes);
    }
    scroll.sort();
    let (last_row, _, _) = first.window(rows as u64 - 40, None, "", deadline).await?;
    let (search, _, found) = first.window(0, None, "Central", deadline).await?;
    let rss_end = rss(pid).unwrap_or(0);
    server.stop().await;
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let columnar = first.columnar_mb * 1e6 / (1024.0 * 1024.0);
    Ok(json!({
        "scenario": "frames",
        "rows": rows,
        "sessions": sessions,
        "columnar_mib": columnar,
        "first_session_ms": ms(first.first_time),
        "other_sessions_first_screen_ms_max": shared_first.iter().copied().fold(0.0, f64::max),
        "first_screen_bytes": first_screen_bytes,
        "rss_idle_mib": mib(rss_idle),
        "rss_one_session_mib": mib(rss_one),
        "rss_all_sessions_mib": mib(rss_all),
        "rss_end_mib": mib(rss_end),
        "memory_over_columnar": (mib(rss_all) - mib(rss_idle)) / columnar,
        "per_extra_session_kib": (rss_all.saturating_sub(rss_one)) as f64 / 1024.0 / (sessions.max(2) - 1) as f64,
        "sort_first_ms": ms(sort_first),
        "sort_cached_ms": ms(sort_cached),
        "scroll_window_p50_ms": ms(scroll[scroll.len() / 2]),
        "scroll_window_p99_ms": ms(scroll[scroll.len() * 99 / 100]),
        "window_bytes_max": window_bytes,
        "last_rows_window_ms": ms(last_row),
        "search_ms": ms(search),
        "search_found": found,
    }))
}
