//! `files`: files in and out, measured from the outside against
//! `bench-files` (`src/bin/bench_files.rs`):
//!
//! 1. **Upload**: a file of `--upload-mb` MB `PUT` over loopback in 1 MiB
//!    writes; reported: MB/s into the session, and the app's resident
//!    memory before, at its peak while uploading (sampled every 20 ms), and
//!    while the session holds the file.
//! 2. **Download**: the export made when clicked (`--export-mb` MB,
//!    streamed by a closure), read and discarded; reported: MB/s and the
//!    app's peak memory growth while it runs.
//! 3. **Unchanged media**: 100 reruns of a page that shows the same 5 MB
//!    image; reported: how many times the image element was sent, the
//!    socket bytes per rerun, and a rerun's round trip (median and p90).
//!
//! Everything goes to 127.0.0.1; counts are fixed and each wait is bounded
//! by the deadline.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::SinkExt;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

use crate::client::{connect_hello, next_messages, Socket};
use crate::server::{rss, Server};

/// Elements set until the run finished, and the bytes it took.
async fn until_finished(
    socket: &mut Socket,
    deadline: Instant,
) -> Result<(Vec<Value>, u64), String> {
    let (mut elements, mut bytes) = (Vec::new(), 0);
    loop {
        let (messages, size) = next_messages(socket, deadline).await?;
        bytes += size;
        let mut finished = false;
        for message in messages {
            finished |= message["type"] == "run_finished";
            for op in message["ops"].as_array().into_iter().flatten() {
                if op["op"] == "set" {
                    elements.push(op["el"].clone());
                }
            }
        }
        if finished {
            return Ok((elements, bytes));
        }
    }
}

/// Samples the app's resident memory every 20 ms until stopped; the peak.
struct PeakRss {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl PeakRss {
    fn start(pid: u32) -> PeakRss {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(rss(pid).unwrap_or(0)));
        let (s, p) = (stop.clone(), peak.clone());
        let task = tokio::spawn(async move {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(rss(pid).unwrap_or(0), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        PeakRss { stop, peak, task }
    }

    async fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
        self.peak.load(Ordering::Relaxed)
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

/// Run the three scenarios against `app` (`bench-files`).
pub(crate) async fn run(
    app: &Path,
    upload_mb: usize,
    export_mb: usize,
    timeout: Duration,
) -> Result<Value, String> {
    let export_bytes = (export_mb as u64 * 1_000_000).to_string();
    let server =
        Server::start_with_env(app, &[], &[("BROOKLET_EXPORT_BYTES", &export_bytes)]).await?;
    let deadline = Instant::now() + timeout;
    let pid = server.pid().ok_or("no pid")?;
    let addr = server.addr.clone();

    let mut socket = connect_hello(&addr, deadline).await?;
    let (first, first_bytes) = until_finished(&mut socket, deadline).await?;
    let find = |kind: &str| {
        first
            .iter()
            .find(|el| el["kind"] == kind)
            .cloned()
            .ok_or(format!("no {kind} in the first run"))
    };
    let uploader = find("file_uploader")?;
    let upload_url = uploader["upload_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let uploader_id = uploader["id"].as_str().unwrap_or_default().to_owned();
    let download_url = find("download_button")?["url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let rerun_id = first
        .iter()
        .find(|el| el["kind"] == "button" && el["label"] == "Rerun")
        .and_then(|el| el["id"].as_str())
        .ok_or("no Rerun button")?
        .to_owned();

    // 1. Upload.
    let size = upload_mb * 1_000_000;
    let rss_before_upload = rss(pid).unwrap_or(0);
    let sampler = PeakRss::start(pid);
    let started = Instant::now();
    let mut tcp = TcpStream::connect(&addr).await.map_err(|e| e.to_string())?;
    tcp.set_nodelay(true).ok();
    let head = format!(
        "PUT {upload_url}?name=big.bin HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n"
    );
    tcp.write_all(head.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let chunk = vec![7u8; 1 << 20];
    let mut sent = 0;
    while sent < size {
        let n = chunk.len().min(size - sent);
        tcp.write_all(&chunk[..n])
            .await
            .map_err(|e| e.to_string())?;
        sent += n;
    }
    let mut answer = String::new();
    tokio::time::timeout(
        deadline.saturating_duration_since(Instant::now()),
        tcp.read_to_string(&mut answer),
    )
    .await
    .map_err(|_| "the upload timed out")?
    .map_err(|e| e.to_string())?;
    let upload_time = started.elapsed();
    let rss_peak_upload = sampler.finish().await;
    if !answer.starts_with("HTTP/1.1 200") {
        return Err(format!("upload refused: {answer:.300}"));
    }
    let reference: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap_or(""))
        .map_err(|e| e.to_string())?;
    socket
        .send(Message::text(
            json!({"type": "rerun", "widgets": {uploader_id.clone(): [reference]}}).to_string(),
        ))
        .await
        .map_err(|e| e.to_string())?;
    let (held, _) = until_finished(&mut socket, deadline).await?;
    let held_text = held
        .iter()
        .filter_map(|el| el["text"].as_str())
        .find(|t| t.starts_with("Held: "))
        .unwrap_or("")
        .to_owned();
    let rss_held = rss(pid).unwrap_or(0);
    // Remove it again.
    socket
        .send(Message::text(
            json!({"type": "rerun", "widgets": {uploader_id: []}}).to_string(),
        ))
        .await
        .map_err(|e| e.to_string())?;
    until_finished(&mut socket, deadline).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rss_after_remove = rss(pid).unwrap_or(0);

    // 2. Download.
    let rss_before_download = rss(pid).unwrap_or(0);
    let sampler = PeakRss::start(pid);
    let started = Instant::now();
    let mut tcp = TcpStream::connect(&addr).await.map_err(|e| e.to_string())?;
    tcp.write_all(
        format!("GET {download_url} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .await
    .map_err(|e| e.to_string())?;
    let mut reader = BufReader::with_capacity(1 << 20, tcp);
    let mut status = String::new();
    reader
        .read_line(&mut status)
        .await
        .map_err(|e| e.to_string())?;
    let mut received: u64 = 0;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let n = tokio::time::timeout(left, reader.read(&mut buf))
            .await
            .map_err(|_| "the download timed out")?
            .map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        received += n as u64;
    }
    let download_time = started.elapsed();
    let rss_peak_download = sampler.finish().await;

    // 3. Unchanged media over 100 reruns.
    let (mut image_sets, mut rerun_bytes) = (0, 0);
    let mut rerun_times = Vec::with_capacity(100);
    for _ in 0..100 {
        let started = Instant::now();
        socket
            .send(Message::text(
                json!({"type": "rerun", "widgets": {}, "trigger": rerun_id}).to_string(),
            ))
            .await
            .map_err(|e| e.to_string())?;
        let (elements, bytes) = until_finished(&mut socket, deadline).await?;
        rerun_times.push(started.elapsed().as_secs_f64() * 1000.0);
        image_sets += elements.iter().filter(|el| el["kind"] == "image").count();
        rerun_bytes += bytes;
    }
    // A rerun's round trip: the app draws the image again, which hashes
    // its 5 MB to find its (unchanged) id.
    rerun_times.sort_by(f64::total_cmp);
    let rerun_ms = |q: f64| rerun_times[((rerun_times.len() - 1) as f64 * q) as usize];
    let first_image_sets = first.iter().filter(|el| el["kind"] == "image").count();
    let _ = socket.close(None).await;
    server.stop().await;

    let upload_s = upload_time.as_secs_f64();
    let download_s = download_time.as_secs_f64();
    Ok(json!({
        "upload": {
            "mb": upload_mb,
            "seconds": upload_s,
            "mb_per_s": upload_mb as f64 / upload_s,
            "app_said": held_text,
            "rss_before_mib": mib(rss_before_upload),
            "rss_peak_while_uploading_mib": mib(rss_peak_upload),
            "rss_while_held_mib": mib(rss_held),
            "growth_while_held_over_file": (rss_held.saturating_sub(rss_before_upload)) as f64 / size as f64,
            "rss_after_remove_mib": mib(rss_after_remove),
        },
        "download": {
            "mb": export_mb,
            "status": status.trim(),
            "bytes_received": received,
            "seconds": download_s,
            "mb_per_s": received as f64 / 1e6 / download_s,
            "rss_before_mib": mib(rss_before_download),
            "rss_peak_mib": mib(rss_peak_download),
            "peak_growth_mib": mib(rss_peak_download.saturating_sub(rss_before_download)),
        },
        "unchanged_image": {
            "bytes": 5_000_000,
            "first_run_image_elements": first_image_sets,
            "first_run_socket_bytes": first_bytes,
            "reruns": 100,
            "image_elements_sent_in_reruns": image_sets,
            "socket_bytes_per_rerun": rerun_bytes as f64 / 100.0,
            "rerun_round_trip_ms_median": rerun_ms(0.5),
            "rerun_round_trip_ms_p90": rerun_ms(0.9),
        },
    }))
}
