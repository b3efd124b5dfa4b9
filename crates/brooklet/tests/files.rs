//! Files in and out over real HTTP on 127.0.0.1: media with ranges and
//! safe headers, uploads with their limits and session isolation, lazy
//! downloads, and the static folder.

use std::time::Duration;

use brooklet::prelude::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;
use common::{serve, serve_with, test_config, Client};

const PNG: &[u8] = include_bytes!("data/dot.png");

/// Send a raw request, read the answer until the server closes (or 10 s).
async fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut tcp = TcpStream::connect(addr).await.expect("connect");
    // The server may answer (413) and close before the whole body is sent.
    let _ = tcp.write_all(request).await;
    let mut answer = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) | Err(_) => return String::from_utf8_lossy(&answer).into(),
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
        }
    }
}

fn get(path: &str, host: &str, extra: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n").into_bytes()
}

fn put(path: &str, host: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "PUT {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next()?;
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

/// The whole answer to a plain `GET` of `path` on `server`.
async fn fetch(server: &brooklet::server::RunningServer, path: &str) -> String {
    exchange(server.addr(), &get(path, &server.addr().to_string(), "")).await
}

/// The whole answer to a `PUT` of `bytes` as CSV to `path` on `server`.
async fn put_csv(server: &brooklet::server::RunningServer, path: &str, bytes: &[u8]) -> String {
    let host = server.addr().to_string();
    let request = put(path, &host, "Content-Type: text/csv\r\n", bytes);
    exchange(server.addr(), &request).await
}

/// The first element of `kind` the client was sent.
fn first_element(client: &Client, kind: &str) -> Value {
    client
        .sets()
        .into_iter()
        .map(|op| op["el"].clone())
        .find(|el| el["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} on the page"))
}

/// The latest element of `kind` the client was sent.
fn element(client: &Client, kind: &str) -> Value {
    client
        .sets()
        .into_iter()
        .map(|op| op["el"].clone())
        .rev()
        .find(|el| el["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} on the page"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_is_served_with_ranges_safe_headers_and_only_to_its_page() {
    let server = serve(|ui: &Ui| {
        ui.image(PNG);
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>alert(1)</script></svg>"#;
        ui.add(Image::new(svg.as_bytes()).caption("svg"));
    });
    let a = Client::first_run(&server).await;
    let b = Client::first_run(&server).await;
    let host = server.addr().to_string();
    let image = first_element(&a, "image");
    let url = image["images"][0]["url"].as_str().expect("url").to_owned();
    assert!(url.starts_with("/_brooklet/media/"), "{url}");
    let id = url.rsplit('/').next().unwrap_or_default();
    assert!(id.len() >= 32, "an id of at least 128 bits: {id}");

    let whole = fetch(&server, &url).await;
    assert!(whole.starts_with("HTTP/1.1 200"), "{whole:.300}");
    assert_eq!(header(&whole, "content-type"), Some("image/png"));
    assert_eq!(
        header(&whole, "content-length"),
        Some(PNG.len().to_string().as_str())
    );
    assert_eq!(header(&whole, "accept-ranges"), Some("bytes"));
    // The URL changes when the bytes do: the browser may keep them for good,
    // but no shared cache may (a page's media is that page's).
    assert_eq!(
        header(&whole, "cache-control"),
        Some("private, max-age=31536000, immutable")
    );
    assert_eq!(header(&whole, "x-content-type-options"), Some("nosniff"));
    assert!(header(&whole, "content-security-policy").is_some_and(|v| v.contains("sandbox")));

    let part = exchange(server.addr(), &get(&url, &host, "Range: bytes=1-3\r\n")).await;
    assert!(part.starts_with("HTTP/1.1 206"), "{part:.300}");
    assert_eq!(
        header(&part, "content-range"),
        Some(format!("bytes 1-3/{}", PNG.len()).as_str())
    );
    assert_eq!(body(&part), "PNG");
    let past = format!("Range: bytes={}-\r\n", PNG.len() + 10);
    let past = exchange(server.addr(), &get(&url, &host, &past)).await;
    assert!(past.starts_with("HTTP/1.1 416"), "{past:.300}");
    assert_eq!(
        header(&past, "content-range"),
        Some(format!("bytes */{}", PNG.len()).as_str())
    );

    // Uploaded-style content that can hold script is only an attachment.
    let svg_url = element(&a, "image");
    let svg_url = a
        .sets()
        .into_iter()
        .map(|op| op["el"].clone())
        .filter(|el| el["kind"] == "image")
        .nth(1)
        .and_then(|el| el["images"][0]["url"].as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("no second image in {svg_url}"));
    let svg = fetch(&server, &svg_url).await;
    assert_eq!(header(&svg, "content-type"), Some("image/svg+xml"));
    assert!(header(&svg, "content-disposition").is_some_and(|v| v.starts_with("attachment")));

    // The same bytes on another page have the same id, but under that
    // page's token; one page's token does not reach the other's media,
    // and made-up ids are not found.
    let url_b = first_element(&b, "image")["images"][0]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    assert_ne!(url, url_b);
    assert!(url_b.ends_with(id));
    let owner_b = url_b.split('/').nth(3).unwrap_or_default();
    let owner_a = url.split('/').nth(3).unwrap_or_default();
    for path in [
        format!("/_brooklet/media/{owner_b}/0123456789abcdef0123456789abcdef"),
        format!("/_brooklet/media/not-a-token/{id}"),
        format!("/_brooklet/media/{owner_a}/{id}x"),
    ] {
        let answer = fetch(&server, &path).await;
        assert!(answer.starts_with("HTTP/1.1 404"), "{path}: {answer:.200}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_reach_only_their_widget_and_limits_are_kept_while_streaming() {
    let server = serve(|ui: &Ui| {
        let file = ui.add(
            FileUploader::new("Upload a CSV")
                .accept(["csv"])
                .max_upload_size_mb(1),
        );
        match file {
            Some(file) => {
                let bytes = file.bytes().unwrap_or_default();
                ui.text(format!(
                    "{}: {}",
                    file.name(),
                    String::from_utf8_lossy(&bytes)
                ));
            }
            None => {
                ui.text("none");
            }
        }
    });
    let mut a = Client::first_run(&server).await;
    let b = Client::first_run(&server).await;
    let host = server.addr().to_string();
    let uploader = element(&a, "file_uploader");
    let upload_url = uploader["upload_url"].as_str().expect("url").to_owned();
    let id = uploader["id"].as_str().expect("id").to_owned();
    assert_eq!(uploader["max_bytes"], json!(1 << 20));
    assert_eq!(uploader["accept"], json!([".csv"]));
    let url_b = element(&b, "file_uploader")["upload_url"]
        .as_str()
        .expect("url")
        .to_owned();
    let token_b = url_b.split('/').nth(3).unwrap_or_default().to_owned();
    let ct = "Content-Type: text/csv\r\n";

    // Refusals, each with a message the widget shows.
    let cases: Vec<(String, String, Vec<u8>, &str, &str)> = vec![
        (
            format!("{upload_url}?name=a.txt"),
            ct.to_owned(),
            b"x".to_vec(),
            "415",
            "file type not allowed",
        ),
        (
            format!("{upload_url}?name=..%2Fa.csv"),
            ct.to_owned(),
            b"x".to_vec(),
            "400",
            "not allowed",
        ),
        (
            format!("{upload_url}?name=a%0A.csv"),
            ct.to_owned(),
            b"x".to_vec(),
            "400",
            "not allowed",
        ),
        (
            format!("{upload_url}?name=big.csv"),
            ct.to_owned(),
            vec![b'1'; (1 << 20) + 1],
            "413",
            "over the limit of 1 MB",
        ),
        (
            format!("/_brooklet/upload/{token_b}/{id}x?name=a.csv"),
            ct.to_owned(),
            b"x".to_vec(),
            "403",
            "not for a file uploader",
        ),
        (
            format!("/_brooklet/upload/not-a-token/{id}?name=a.csv"),
            ct.to_owned(),
            b"x".to_vec(),
            "403",
            "not for a file uploader",
        ),
        (
            format!("{upload_url}?name=a.csv"),
            format!("{ct}Origin: http://evil.example\r\n"),
            b"x".to_vec(),
            "403",
            "not allowed",
        ),
    ];
    for (path, extra, payload, status, message) in cases {
        let answer = exchange(server.addr(), &put(&path, &host, &extra, &payload)).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{path}: {answer:.300}"
        );
        assert!(body(&answer).contains(message), "{path}: {answer:.300}");
    }
    // A good upload: its reference, then the run sees the file.
    let answer = exchange(
        server.addr(),
        &put(
            &format!("{upload_url}?name=r%C3%A9sum%C3%A9.csv"),
            &host,
            ct,
            b"a,b\n1,2\n",
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    let reference: Value = serde_json::from_str(body(&answer)).expect("json");
    assert_eq!(reference["name"], "résumé.csv");
    assert_eq!(reference["size"], 8);
    assert_eq!(reference["mime"], "text/csv");
    // Another page naming this file in its value gets nothing.
    let mut b = b;
    let b_id = element(&b, "file_uploader")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    b.send(json!({"type": "rerun", "widgets": {b_id: [reference.clone()]}}))
        .await;
    b.until_finished().await;
    assert_eq!(last_text(&b), "none", "B does not see A's file");
    assert!(
        !b.sets().iter().any(|op| op["el"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("résumé"))),
        "{:?}",
        b.sets()
    );
    a.send(json!({"type": "rerun", "widgets": {id.clone(): [reference.clone()]}}))
        .await;
    a.until_finished().await;
    assert_eq!(last_text(&a), "résumé.csv: a,b\n1,2\n");
    let shown = element(&a, "file_uploader");
    assert_eq!(shown["value"][0]["file_id"], reference["file_id"]);

    // Removed from the value: the file is gone for good.
    a.send(json!({"type": "rerun", "widgets": {id.clone(): []}}))
        .await;
    a.until_finished().await;
    a.send(json!({"type": "rerun", "widgets": {id.clone(): [reference]}}))
        .await;
    a.until_finished().await;
    assert_eq!(last_text(&a), "none", "the removed file does not come back");
}

/// The text of the last text element the client was sent (the page's
/// current text when the app draws one).
fn last_text(client: &Client) -> String {
    element(client, "text")["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The element of `kind` labelled `label` the client was sent last.
fn labelled(client: &Client, kind: &str, label: &str) -> Value {
    client
        .sets()
        .into_iter()
        .map(|op| op["el"].clone())
        .rev()
        .find(|el| el["kind"] == kind && el["label"] == label)
        .unwrap_or_else(|| panic!("no {kind} {label:?} on the page"))
}

/// The URLs of every image the client was sent, in order.
fn image_urls(client: &Client) -> Vec<String> {
    client
        .sets()
        .into_iter()
        .filter(|op| op["el"]["kind"] == "image")
        .filter_map(|op| op["el"]["images"][0]["url"].as_str().map(str::to_owned))
        .collect()
}

/// `/_brooklet/media/{owner}/{id}?…` → `id`.
fn media_id(url: &str) -> &str {
    url.split(['/', '?']).nth(4).unwrap_or_default()
}

/// `/_brooklet/{what}/{token}/…` → `token`.
fn token_of(url: &str) -> &str {
    url.split('/').nth(3).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tab_reaches_only_what_its_own_page_shows() {
    const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect width="2" height="2"/></svg>"#;
    let server = serve(|ui: &Ui| {
        ui.image(PNG);
        let _ = ui.add(FileUploader::new("Upload a CSV").accept(["csv"]));
        // Drawn only on the page of a tab that ticks "More".
        if ui.checkbox("More") {
            let _ = ui.add(FileUploader::new("Only here").accept(["csv"]));
            ui.add(Image::new(SVG.as_bytes()).caption("only here"));
        }
    });
    let a = Client::first_run(&server).await;
    let mut b = Client::first_run(&server).await;
    let more = b.widget_id("checkbox", "More");
    b.send(json!({"type": "rerun", "widgets": {more: true}}))
        .await;
    b.until_finished().await;

    // What only B's page shows: a real widget and a real media entry.
    let only_b = labelled(&b, "file_uploader", "Only here");
    let only_b_upload = only_b["upload_url"].as_str().expect("url").to_owned();
    let only_b_widget = only_b["id"].as_str().expect("id").to_owned();
    let only_b_image = image_urls(&b)
        .into_iter()
        .find(|url| {
            !image_urls(&a)
                .iter()
                .any(|seen| seen.ends_with(url.rsplit('/').next().unwrap_or("?")))
        })
        .expect("an image only B shows");
    let only_b_media_id = only_b_image.rsplit('/').next().unwrap_or_default();

    // A's tokens: its media owner and its (different) upload token.
    let a_upload = labelled(&a, "file_uploader", "Upload a CSV");
    let a_upload_url = a_upload["upload_url"].as_str().expect("url");
    let a_widget = a_upload["id"].as_str().expect("id");
    let a_uploads = token_of(a_upload_url);
    let a_media = token_of(&image_urls(&a)[0]).to_owned();
    assert_ne!(
        a_uploads, a_media,
        "the upload token is not the owner token that media URLs show"
    );
    assert!(a_uploads.len() >= 32 && a_media.len() >= 32);

    for (path, why) in [
        (
            format!("/_brooklet/upload/{a_uploads}/{only_b_widget}?name=a.csv"),
            "A's token, a widget only B's page shows",
        ),
        (
            format!("/_brooklet/upload/{a_media}/{a_widget}?name=a.csv"),
            "the media owner token of A's page, A's own widget",
        ),
    ] {
        let answer = put_csv(&server, &path, b"x").await;
        assert!(answer.starts_with("HTTP/1.1 403"), "{why}: {answer:.300}");
        assert!(
            body(&answer).contains("not for a file uploader"),
            "{why}: {answer:.300}"
        );
    }
    // The refused targets are real: under their own tokens they work.
    for path in [
        format!("{only_b_upload}?name=a.csv"),
        format!("{a_upload_url}?name=a.csv"),
    ] {
        let answer = put_csv(&server, &path, b"x").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{path}: {answer:.300}");
    }

    // A media entry only B's page references: not under A's owner token.
    let answer = fetch(
        &server,
        &format!("/_brooklet/media/{a_media}/{only_b_media_id}"),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer:.300}");
    let answer = fetch(&server, &only_b_image).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert_eq!(header(&answer, "content-type"), Some("image/svg+xml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_off_upload_is_refused_and_nothing_of_it_is_kept() {
    // A session may hold 1 MiB: a kept 700 KiB would leave no room for the
    // good upload after it.
    let mut config = test_config();
    config.server.max_session_upload_mb = 1;
    let server = serve_with(config, |ui: &Ui| {
        let _ = ui.add(FileUploader::new("Upload a CSV").accept(["csv"]));
    });
    let client = Client::first_run(&server).await;
    let host = server.addr().to_string();
    let upload_url = element(&client, "file_uploader")["upload_url"]
        .as_str()
        .expect("url")
        .to_owned();
    let part = vec![b'1'; 700 * 1024];

    // Announces 1 MiB, sends 700 KiB and stops sending.
    let mut cut = format!(
        "PUT {upload_url}?name=cut.csv HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/csv\r\n\
         Content-Length: {}\r\n\r\n",
        1 << 20
    )
    .into_bytes();
    cut.extend_from_slice(&part);
    let mut tcp = TcpStream::connect(server.addr()).await.expect("connect");
    tcp.write_all(&cut).await.expect("write");
    tcp.shutdown().await.expect("half-close");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:.300}");
    assert!(
        body(&answer).contains("the upload of cut.csv was cut off"),
        "{answer:.300}"
    );

    // A body that does not say its length (chunked) is refused at the
    // chunk that crosses the quota, and what it sent is given back.
    let mut chunked = format!(
        "PUT {upload_url}?name=stream.csv HTTP/1.1\r\nHost: {host}\r\n\
         Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..24 {
        chunked.extend_from_slice(format!("{:x}\r\n", 64 * 1024).as_bytes());
        chunked.extend_from_slice(&[b'2'; 64 * 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let answer = exchange(server.addr(), &chunked).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.300}");
    assert!(
        body(&answer).contains("stream.csv is larger than this session may upload in all (1 MB)"),
        "{answer:.300}"
    );

    // Nothing of either counts against the session: the same 700 KiB fit.
    let answer = put_csv(&server, &format!("{upload_url}?name=whole.csv"), &part).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    // And the session quota is real: another 700 KiB does not fit.
    let answer = put_csv(&server, &format!("{upload_url}?name=more.csv"), &part).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.300}");
    assert!(body(&answer).contains("does not fit"), "{answer:.300}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_media_store_refuses_in_the_page_and_frees_what_ended_sessions_showed() {
    // Room for one 6000-byte file, not two.
    let mut config = test_config();
    config.server.max_media_bytes = 10_000;
    config.server.session_ttl = Duration::from_millis(200);
    let server = serve_with(config, |ui: &Ui| {
        // 6000 bytes of `fill`; none for 0.
        let fill = u8::try_from(ui.number_input("Fill", 1_i32)).unwrap_or(0);
        if fill > 0 {
            let _ = ui.add(DownloadButton::new("Data", vec![fill; 6000]).file_name("d.bin"));
        }
    });
    let a = Client::first_run(&server).await;
    let mut b = Client::first_run(&server).await;
    let url_a = element(&a, "download_button")["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let answer = fetch(&server, &url_a).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert_eq!(header(&answer, "content-length"), Some("6000"));

    // B stops showing the first bytes (so only A's page references them),
    // then wants others: they do not fit, and nothing A's page shows is
    // evicted for them.
    let other = b.widget_id("number_input", "Fill");
    b.send(json!({"type": "rerun", "widgets": {other.clone(): 0}}))
        .await;
    b.until_finished().await;
    b.send(json!({"type": "rerun", "widgets": {other.clone(): 2}}))
        .await;
    b.until_finished().await;
    let refused = b
        .sets()
        .into_iter()
        .map(|op| op["el"].to_string())
        .find(|el| el.contains("the payload store is full"));
    assert!(
        refused
            .as_deref()
            .is_some_and(|el| el.contains("max_media_bytes")),
        "an in-page error naming the setting: {:?}",
        b.sets()
    );
    let answer = fetch(&server, &url_a).await;
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "A keeps its file: {answer:.300}"
    );

    // A's tab goes; once its session ends, its bytes may be evicted, and
    // B's next run stores its own.
    drop(a);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let stored = loop {
        b.send(json!({"type": "rerun", "widgets": {other.clone(): 2}}))
            .await;
        b.until_finished().await;
        // The same bytes have the same id on every page: another id is
        // the other bytes.
        let latest = element(&b, "download_button");
        let url = latest["url"].as_str().unwrap_or_default();
        if media_id(url) != media_id(&url_a) {
            break url.to_owned();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the ended session's bytes were never freed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let answer = fetch(&server, &stored).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert!(body(&answer).bytes().all(|b| b == 2) && body(&answer).len() == 6000);
    let answer = fetch(&server, &url_a).await;
    assert!(
        answer.starts_with("HTTP/1.1 404"),
        "A's link is gone: {answer:.300}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fragment_that_redraws_new_bytes_lets_its_old_ones_go() {
    // A page may hold 5000 bytes: 20 frames of 1000 fit only if a
    // fragment's rerun gives back what its last run drew.
    let mut config = test_config();
    config.server.max_media_bytes_per_session = 5000;
    let server = serve_with(config, |ui: &Ui| {
        ui.fragment(|ui| {
            let n = ui.number_input("n", 0_i32);
            let frame = vec![u8::try_from(n).unwrap_or(0); 1000];
            let _ = ui.add(DownloadButton::new("Frame", frame).file_name("f.bin"));
        });
    });
    let mut client = Client::first_run(&server).await;
    let fragment = first_element(&client, "fragment")["id"].clone();
    let n = client.widget_id("number_input", "n");
    let mut urls = vec![element(&client, "download_button")["url"]
        .as_str()
        .expect("url")
        .to_owned()];
    for i in 1..=20 {
        client
            .send(json!({"type": "rerun", "widgets": {n.clone(): i}, "fragment": fragment}))
            .await;
        assert_eq!(client.until_finished().await["status"], "complete");
        let url = element(&client, "download_button")["url"]
            .as_str()
            .expect("url")
            .to_owned();
        assert_ne!(Some(&url), urls.last(), "frame {i} is new bytes");
        urls.push(url);
    }
    assert!(
        !client
            .sets()
            .iter()
            .any(|op| op["el"].to_string().contains("over its limit")),
        "the page never held more than its share"
    );
    // The newest frame is served; the ones fragment runs replaced are gone.
    let newest = fetch(&server, &urls[20]).await;
    assert!(newest.starts_with("HTTP/1.1 200"), "{newest:.300}");
    for old in &urls[1..20] {
        let answer = fetch(&server, old).await;
        assert!(answer.starts_with("HTTP/1.1 404"), "{old}: {answer:.300}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_stopped_run_drew_stays_served_through_fragment_runs() {
    static RELEASE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let server = serve(|ui: &Ui| {
        ui.fragment(|ui| {
            let n = ui.number_input("n", 0_i32);
            ui.text(format!("fragment sees {n}"));
        });
        let v = ui.number_input("v", 0_i32);
        let bytes = vec![u8::try_from(v).unwrap_or(0); 100];
        let _ = ui.add(DownloadButton::new("Data", bytes).file_name("d.bin"));
        if v > 0 {
            // Holds the run (bounded) until the person presses Stop.
            for _ in 0..1000 {
                if RELEASE.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                ui.checkpoint();
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    });
    let mut client = Client::first_run(&server).await;
    let fragment = first_element(&client, "fragment")["id"].clone();
    let (n, v) = (
        client.widget_id("number_input", "n"),
        client.widget_id("number_input", "v"),
    );
    let first = element(&client, "download_button")["url"]
        .as_str()
        .expect("url")
        .to_owned();
    // A full run draws new bytes, then is stopped: the page keeps them.
    client
        .send(json!({"type": "rerun", "widgets": {v: 1}}))
        .await;
    let drawn = client
        .until(|m| {
            m["type"] == "delta"
                && m["ops"].as_array().is_some_and(|ops| {
                    ops.iter().any(|op| {
                        op["el"]["kind"] == "download_button" && op["el"]["url"] != first.as_str()
                    })
                })
        })
        .await;
    let url = drawn["ops"]
        .as_array()
        .and_then(|ops| {
            ops.iter()
                .find_map(|op| op["el"]["url"].as_str().filter(|u| *u != first))
        })
        .expect("the new download")
        .to_owned();
    client.send(json!({"type": "stop"})).await;
    assert_eq!(client.until_finished().await["status"], "stopped");
    RELEASE.store(true, std::sync::atomic::Ordering::SeqCst);
    // A fragment's run finishes: the stopped run's bytes are still shown.
    client
        .send(json!({"type": "rerun", "widgets": {n: 5}, "fragment": fragment}))
        .await;
    assert_eq!(client.until_finished().await["status"], "complete");
    let answer = fetch(&server, &url).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert_eq!(body(&answer).as_bytes(), [1u8; 100]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_button_a_fragment_disables_is_withdrawn_at_once() {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let server = serve(|ui: &Ui| {
        ui.fragment(|ui| {
            let locked = ui.checkbox("Lock");
            let report = DownloadData::lazy(|| {
                MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                Ok(b"made".to_vec())
            });
            let _ = ui.add(
                DownloadButton::new("Report", report)
                    .file_name("r.txt")
                    .disabled(locked),
            );
        });
    });
    let mut client = Client::first_run(&server).await;
    let fragment = first_element(&client, "fragment")["id"].clone();
    let url = labelled(&client, "download_button", "Report")["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let lock = client.widget_id("checkbox", "Lock");
    client
        .send(json!({"type": "rerun", "widgets": {lock: true}, "fragment": fragment}))
        .await;
    assert_eq!(client.until_finished().await["status"], "complete");
    assert_eq!(labelled(&client, "download_button", "Report")["url"], "");
    let answer = fetch(&server, &url).await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer:.300}");
    assert_eq!(MADE.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_download_button_offers_nothing() {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let server = serve(|ui: &Ui| {
        let locked = ui.checkbox("Lock");
        let report = DownloadData::lazy(|| {
            MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(b"made".to_vec())
        });
        let _ = ui.add(
            DownloadButton::new("Report", report)
                .file_name("r.txt")
                .disabled(locked),
        );
        let _ = ui.add(
            DownloadButton::new("Stored", b"stored bytes".to_vec())
                .file_name("s.bin")
                .disabled(locked),
        );
    });
    let mut client = Client::first_run(&server).await;
    let url_of = |client: &Client, label: &str| {
        labelled(client, "download_button", label)["url"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let (report, stored) = (url_of(&client, "Report"), url_of(&client, "Stored"));
    for url in [&report, &stored] {
        let answer = fetch(&server, url).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{url}: {answer:.300}");
    }
    assert_eq!(MADE.load(std::sync::atomic::Ordering::SeqCst), 1);

    let lock = client.widget_id("checkbox", "Lock");
    client
        .send(json!({"type": "rerun", "widgets": {lock: true}}))
        .await;
    client.until_finished().await;
    for label in ["Report", "Stored"] {
        let el = labelled(&client, "download_button", label);
        assert_eq!(el["disabled"], true, "{el}");
        assert_eq!(el["url"], "", "a disabled button has no URL: {el}");
    }
    // The URLs the page had before lead nowhere now, and nothing is made.
    for url in [&report, &stored] {
        let answer = fetch(&server, url).await;
        assert!(answer.starts_with("HTTP/1.1 404"), "{url}: {answer:.300}");
    }
    assert_eq!(MADE.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lazy_downloads_stream_when_asked_and_only_to_their_page() {
    let server = serve(|ui: &Ui| {
        let rows = DownloadData::stream(|| {
            Ok(std::io::Cursor::new(
                (0..20_000).map(|i| format!("{i}\n")).collect::<String>(),
            ))
        });
        let _ = ui.add(DownloadButton::new("Export", rows).file_name("rows.csv"));
        let broken = DownloadData::lazy(|| Err(std::io::Error::other("the database is down")));
        let _ = ui.add(DownloadButton::new("Broken", broken).file_name("x.csv"));
    });
    let a = Client::first_run(&server).await;
    let b = Client::first_run(&server).await;
    let host = server.addr().to_string();
    let buttons: Vec<Value> = a
        .sets()
        .into_iter()
        .map(|op| op["el"].clone())
        .filter(|el| el["kind"] == "download_button")
        .collect();
    let url = buttons[0]["url"].as_str().expect("url").to_owned();
    assert!(
        url.starts_with("/_brooklet/download/") && url.ends_with("?name=rows.csv"),
        "{url}"
    );
    assert_eq!(buttons[0]["mime"], "text/csv");
    let answer = fetch(&server, &url).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert!(header(&answer, "content-disposition").is_some_and(|v| v.contains("rows.csv")));
    assert_eq!(header(&answer, "cache-control"), Some("no-store"));
    assert!(answer.contains("19999\n"), "the whole stream arrives");

    let broken = buttons[1]["url"].as_str().expect("url");
    // HEAD says what it would be without making it (the broken one is fine).
    let head = format!("HEAD {broken} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let answer = exchange(server.addr(), head.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert!(header(&answer, "content-disposition").is_some_and(|v| v.contains("x.csv")));
    let answer = fetch(&server, broken).await;
    assert!(answer.starts_with("HTTP/1.1 500"), "{answer:.300}");
    assert!(body(&answer).contains("the database is down"));

    // Each page reaches its buttons under its own token only.
    let url_b = element(&b, "download_button")["url"]
        .as_str()
        .expect("url")
        .to_owned();
    assert_ne!(url, url_b);
    let owner_b = url_b.split('/').nth(3).unwrap_or_default();
    let key_a = url.split(['/', '?']).nth(4).unwrap_or_default();
    for other in [
        format!("/_brooklet/download/not-a-token/{key_a}"),
        format!("/_brooklet/download/{owner_b}/w0000000000000000"),
    ] {
        let answer = fetch(&server, &other).await;
        assert!(answer.starts_with("HTTP/1.1 404"), "{other}: {answer:.300}");
    }
}

/// The body of a chunked answer, if it ended with its last (empty) chunk.
fn dechunk(mut chunked: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, rest) = chunked.split_once("\r\n")?;
        let size = usize::from_str_radix(size.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(rest.get(..size)?);
        chunked = rest.get(size..)?.strip_prefix("\r\n")?;
    }
}

/// A reader that pauses before each of its parts (an export waiting on a
/// database).
struct SlowParts {
    parts: std::collections::VecDeque<std::io::Cursor<Vec<u8>>>,
    pause: Duration,
    started: bool,
}

impl std::io::Read for SlowParts {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let Some(part) = self.parts.front_mut() else {
                return Ok(0);
            };
            if !self.started {
                std::thread::sleep(self.pause);
                self.started = true;
            }
            let n = std::io::Read::read(part, buf)?;
            if n > 0 {
                return Ok(n);
            }
            self.parts.pop_front();
            self.started = false;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_that_takes_longer_than_the_idle_timeout_is_not_cut() {
    let mut config = test_config();
    config.server.idle_timeout = Duration::from_secs(1);
    let pause = Duration::from_millis(1600);
    let server = serve_with(config, move |ui: &Ui| {
        // Thinks before its first byte.
        let slow_start = DownloadData::lazy(move || {
            std::thread::sleep(pause);
            Ok(b"made at last".to_vec())
        });
        let _ = ui.add(DownloadButton::new("Report", slow_start).file_name("r.txt"));
        // Thinks between chunks.
        let slow_middle = DownloadData::stream(move || {
            Ok(SlowParts {
                parts: [vec![b'a'; 100_000], vec![b'b'; 100_000]]
                    .into_iter()
                    .map(std::io::Cursor::new)
                    .collect(),
                pause,
                started: true,
            })
        });
        let _ = ui.add(DownloadButton::new("Export", slow_middle).file_name("e.txt"));
    });
    let client = Client::first_run(&server).await;
    let urls: Vec<String> = client
        .sets()
        .into_iter()
        .filter(|op| op["el"]["kind"] == "download_button")
        .filter_map(|op| op["el"]["url"].as_str().map(str::to_owned))
        .collect();
    let report = fetch(&server, &urls[0]).await;
    assert!(report.starts_with("HTTP/1.1 200"), "{report:.300}");
    assert_eq!(body(&report), "made at last");
    let export = fetch(&server, &urls[1]).await;
    assert!(export.starts_with("HTTP/1.1 200"), "{export:.300}");
    assert_eq!(header(&export, "transfer-encoding"), Some("chunked"));
    let sent = dechunk(body(&export)).expect("every chunk, and the last");
    assert_eq!(sent.len(), 200_000, "the whole export, past the pause");
    assert!(sent.starts_with('a') && sent.ends_with('b'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_static_folder_serves_its_files_and_nothing_outside() {
    // The served folder is `root/static`; `root/secret.txt` sits just
    // outside it, where a path that climbs out would land.
    let root = std::env::temp_dir().join(format!("brooklet-static-{}", std::process::id()));
    let dir = root.join("static");
    std::fs::create_dir_all(dir.join("sub")).expect("dir");
    std::fs::write(root.join("secret.txt"), "outside the folder").expect("write");
    std::fs::write(dir.join("sub/logo.png"), PNG).expect("write");
    std::fs::write(dir.join("page.html"), "<script>alert(1)</script>").expect("write");
    std::fs::write(dir.join(".secret"), "token").expect("write");
    let mut config = test_config();
    config
        .set("server.enable_static_serving", "true")
        .expect("set");
    config
        .set("server.static_dir", &dir.to_string_lossy())
        .expect("set");
    let server = serve_with(config, |ui: &Ui| {
        ui.text("hi");
    });
    let host = server.addr().to_string();
    let answer = fetch(&server, "/app/static/sub/logo.png").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert_eq!(header(&answer, "content-type"), Some("image/png"));
    assert_eq!(header(&answer, "x-content-type-options"), Some("nosniff"));
    // Bigger than a chunk: streamed whole, then revalidated without the bytes.
    let big: String = (0..40_000).map(|i| format!("{i:05}\n")).collect();
    std::fs::write(dir.join("big.csv"), &big).expect("write");
    let answer = fetch(&server, "/app/static/big.csv").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.300}");
    assert_eq!(header(&answer, "content-length"), Some("240000"));
    assert_eq!(body(&answer), big, "the whole file, in order");
    let etag = header(&answer, "etag").expect("an ETag").to_owned();
    let modified = header(&answer, "last-modified")
        .expect("Last-Modified")
        .to_owned();
    for condition in [
        format!("If-None-Match: {etag}\r\n"),
        format!("If-None-Match: \"other\", W/{etag}\r\n"),
        format!("If-Modified-Since: {modified}\r\n"),
    ] {
        let answer = exchange(
            server.addr(),
            &get("/app/static/big.csv", &host, &condition),
        )
        .await;
        assert!(
            answer.starts_with("HTTP/1.1 304"),
            "{condition}: {answer:.300}"
        );
        assert_eq!(body(&answer), "", "{condition}");
    }
    let stale = exchange(
        server.addr(),
        &get("/app/static/big.csv", &host, "If-None-Match: \"other\"\r\n"),
    )
    .await;
    assert!(stale.starts_with("HTTP/1.1 200"), "{stale:.300}");
    // Ranges, also past the first chunk; `If-Range` of another version
    // gets the whole file.
    let part = exchange(
        server.addr(),
        &get(
            "/app/static/big.csv",
            &host,
            "Range: bytes=120000-120011\r\n",
        ),
    )
    .await;
    assert!(part.starts_with("HTTP/1.1 206"), "{part:.300}");
    assert_eq!(body(&part), "20000\n20001\n");
    assert_eq!(
        header(&part, "content-range"),
        Some("bytes 120000-120011/240000")
    );
    let if_range = format!("Range: bytes=0-5\r\nIf-Range: {etag}\r\n");
    let part = exchange(server.addr(), &get("/app/static/big.csv", &host, &if_range)).await;
    assert_eq!(body(&part), "00000\n", "{part:.300}");
    let other = "Range: bytes=0-5\r\nIf-Range: \"other\"\r\n";
    let whole = exchange(server.addr(), &get("/app/static/big.csv", &host, other)).await;
    assert!(whole.starts_with("HTTP/1.1 200"), "{whole:.300}");
    assert_eq!(body(&whole).len(), big.len());
    let past = exchange(
        server.addr(),
        &get("/app/static/big.csv", &host, "Range: bytes=240000-\r\n"),
    )
    .await;
    assert!(past.starts_with("HTTP/1.1 416"), "{past:.300}");
    // A named pipe is not a file: refused at once, not waited on.
    #[cfg(unix)]
    {
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("pipe"))
            .status();
        if made.is_ok_and(|status| status.success()) {
            let answer = fetch(&server, "/app/static/pipe").await;
            assert!(answer.starts_with("HTTP/1.1 404"), "{answer:.300}");
        }
    }
    let html = fetch(&server, "/app/static/page.html").await;
    assert_eq!(
        header(&html, "content-type"),
        Some("text/plain"),
        "never served as a page"
    );
    // A link inside the folder to the file outside it.
    #[cfg(unix)]
    {
        let _ = std::fs::remove_file(dir.join("link.txt"));
        std::os::unix::fs::symlink(root.join("secret.txt"), dir.join("link.txt")).expect("symlink");
    }
    let not_a_path = "not a file path under the static folder";
    let no_file = "no such static file";
    let mut refused = vec![
        ("/app/static/../secret.txt", "400", not_a_path),
        ("/app/static/sub/..%2F..%2Fsecret.txt", "400", not_a_path),
        ("/app/static/%2e%2e/secret.txt", "400", not_a_path),
        ("/app/static/%2E%2E%2Fsecret.txt", "400", not_a_path),
        ("/app/static/sub%5C..%5C..%5Csecret.txt", "400", not_a_path),
        ("/app/static/.secret", "400", not_a_path),
        ("/app/static/missing.png", "404", no_file),
        ("/app/static/sub", "404", no_file),
    ];
    if cfg!(unix) {
        refused.push(("/app/static/link.txt", "404", no_file));
    }
    for (path, status, message) in refused {
        let answer = fetch(&server, path).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{path}: {answer:.200}"
        );
        assert!(body(&answer).contains(message), "{path}: {answer:.200}");
        assert!(
            !answer.contains("outside the folder") && !answer.contains("token"),
            "{path}"
        );
    }
    drop(server);
    let off = serve(|ui: &Ui| {
        ui.text("hi");
    });
    let answer = exchange(
        off.addr(),
        &get("/app/static/sub/logo.png", &off.addr().to_string(), ""),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer:.200}");
    let _ = std::fs::remove_dir_all(&root);
}

// ----- AppTest: the widgets' values and the elements' bad input -----

use brooklet::protocol::Element;
use brooklet::testing::AppTest;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn exception_messages(at: &AppTest) -> Vec<String> {
    at.exceptions()
        .into_iter()
        .filter_map(|el| match el {
            Element::Exception { message, .. } => Some(message.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn an_upload_survives_reruns_until_removed_and_calls_on_change() {
    let changes = Arc::new(AtomicUsize::new(0));
    let seen = changes.clone();
    let mut at = AppTest::new(move |ui: &Ui| {
        let seen = seen.clone();
        let files = ui.add(
            FileUploader::new("Data")
                .multiple()
                .accept([".csv", "text/plain"])
                .key("data")
                .on_change(move |_| seen.fetch_add(1, Ordering::SeqCst)),
        );
        if let Some(first) = files.first() {
            // Handed back as it came.
            let _ = ui.download_button("Again", first, first.name());
        }
        let names: Vec<&str> = files.iter().map(UploadedFile::name).collect();
        ui.text(names.join(","));
        let _ = ui.button("Rerun");
    });
    at.run().expect("runs");
    assert_eq!(at.text(), vec![""]);
    at.file_uploader("Data")
        .upload("a.csv", "text/csv", b"1")
        .run()
        .expect("runs");
    at.file_uploader("Data")
        .upload("b.txt", "text/plain", b"2")
        .run()
        .expect("runs");
    assert_eq!(at.text(), vec!["a.csv,b.txt"]);
    at.button("Rerun").click().run().expect("runs");
    assert_eq!(at.text(), vec!["a.csv,b.txt"], "kept across reruns");
    assert_eq!(at.download("Again"), b"1");
    assert_eq!(at.file_uploader("Data").files().len(), 2);
    at.file_uploader("Data")
        .remove("a.csv")
        .run()
        .expect("runs");
    assert_eq!(at.text(), vec!["b.txt"]);
    assert_eq!(changes.load(Ordering::SeqCst), 3);
    // Types it does not take are refused before anything changes.
    let refused = at
        .file_uploader("Data")
        .try_upload("x.exe", "application/x-msdownload", b"MZ")
        .expect_err("refused");
    assert!(
        refused.to_string().contains("file type not allowed"),
        "{refused}"
    );
}

#[test]
fn one_file_uploader_replaces_and_a_form_holds_the_upload_until_submit() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.form("f", |form| {
            let file = form.file_uploader("Photo", &["png"]);
            let _ = form.add(FormSubmit::new("Send"));
            form.text(file.map_or("none".to_owned(), |f| f.name().to_owned()));
        });
    });
    at.run().expect("runs");
    at.file_uploader("Photo")
        .upload("one.png", "image/png", PNG)
        .run()
        .expect("runs");
    assert_eq!(at.text(), vec!["none"], "held by the form");
    at.button("Send").click().run().expect("runs");
    assert_eq!(at.text(), vec!["one.png"]);
    at.file_uploader("Photo")
        .upload("two.png", "image/png", PNG)
        .run()
        .expect("runs");
    at.button("Send").click().run().expect("runs");
    assert_eq!(at.text(), vec!["two.png"]);
    assert_eq!(at.file_uploader("Photo").files().len(), 1, "replaced");
}

#[test]
fn a_disabled_uploader_keeps_its_files_and_takes_no_new_ones() {
    let mut at = AppTest::new(|ui: &Ui| {
        let locked = ui.checkbox("Lock");
        let files = ui.add(FileUploader::new("Data").multiple().disabled(locked));
        let names: Vec<&str> = files.iter().map(UploadedFile::name).collect();
        ui.text(names.join(","));
    });
    at.run().expect("runs");
    at.file_uploader("Data")
        .upload("a.csv", "text/csv", b"1")
        .run()
        .expect("runs");
    // Enabled in the run before, disabled now: its rules are withdrawn.
    at.checkbox("Lock").check().run().expect("runs");
    assert_eq!(
        at.text(),
        vec!["a.csv"],
        "a disabled widget keeps its value"
    );
    let refused = at
        .file_uploader("Data")
        .try_upload("b.csv", "text/csv", b"2")
        .expect_err("disabled");
    assert!(refused.to_string().contains("not"), "{refused}");
    at.checkbox("Lock").uncheck().run().expect("runs");
    at.file_uploader("Data")
        .upload("b.csv", "text/csv", b"2")
        .run()
        .expect("runs");
    assert_eq!(at.text(), vec!["a.csv,b.csv"]);
}

#[test]
fn camera_and_audio_inputs_hold_one_capture() {
    let mut at = AppTest::new(|ui: &Ui| {
        let photo = ui.camera_input("Take a photo");
        let clip = ui.audio_input("Record");
        ui.text(format!(
            "{:?} {:?}",
            photo.map(|p| p.size()),
            clip.map(|c| c.mime().to_owned())
        ));
    });
    at.run().expect("runs");
    assert_eq!(at.text(), vec!["None None"]);
    // A camera takes pictures, whatever a client claims to send.
    let refused = at
        .camera_input("Take a photo")
        .try_upload("x.txt", "text/plain", b"hello")
        .expect_err("not a picture");
    assert!(
        refused.to_string().contains("file type not allowed"),
        "{refused}"
    );
    at.camera_input("Take a photo")
        .upload("camera.jpg", "image/jpeg", &[0xff, 0xd8, 0xff, 0])
        .run()
        .expect("runs");
    at.audio_input("Record")
        .upload("recording.webm", "audio/webm", &[0x1a, 0x45, 0xdf, 0xa3])
        .run()
        .expect("runs");
    assert_eq!(at.text(), vec!["Some(4) Some(\"audio/webm\")"]);
}

#[test]
fn unchanged_media_keeps_its_url_and_is_stored_once() {
    let big: Arc<Vec<u8>> = Arc::new(
        PNG.iter()
            .copied()
            .chain(std::iter::repeat_n(0, 5 << 20))
            .collect(),
    );
    let bytes = big.clone();
    let mut at = AppTest::new(move |ui: &Ui| {
        ui.image(bytes.as_slice());
        let _ = ui.button("Rerun");
    });
    at.run().expect("runs");
    let first = at.image(0).images[0].url.clone();
    for _ in 0..3 {
        at.button("Rerun").click().run().expect("runs");
        assert_eq!(at.image(0).images[0].url, first);
    }
    assert_eq!(at.media_bytes(&first).map(|b| b.len()), Some(big.len()));
}

#[test]
fn bad_media_input_shows_a_clear_error_with_the_line() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.image("no/such/picture.png");
        ui.image(b"just some text".as_slice());
        ui.pdf("https://example.com/a.pdf");
        ui.add(Audio::new(PNG).start_time(5.0).end_time(1.0));
        ui.add(Video::new(b"\x1a\x45\xdf\xa3....".as_slice()).subtitles("English", "no/such.vtt"));
        ui.add(Logo::new(PNG).link("javascript:alert(1)"));
        ui.image("http://example.com/cat.png");
        ui.text("still running");
    });
    at.run().expect("runs");
    let messages = exception_messages(&at);
    let expected = [
        "image: cannot read `no/such/picture.png`",
        "image: these bytes are not an image",
        "pdf: `https://example.com/a.pdf` is a URL",
        "audio: end_time (1) must be after start_time (5)",
        "video: cannot read subtitles `no/such.vtt`",
        "logo: the link `javascript:alert(1)` is not an http(s) URL",
        "image: `http://example.com/cat.png` is not loaded over HTTPS",
    ];
    assert_eq!(messages.len(), expected.len(), "{messages:#?}");
    for (message, start) in messages.iter().zip(expected) {
        assert!(message.starts_with(start), "{message} / {start}");
    }
    assert!(at.exceptions().iter().all(
        |el| matches!(el, Element::Exception { location: Some(l), .. } if l.contains("files.rs"))
    ));
    assert_eq!(at.text(), vec!["still running"]);
}

#[test]
fn media_elements_carry_their_options() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.add(
            Image::row([PNG, PNG])
                .captions(["a", "b"])
                .use_container_width(true),
        );
        ui.add(
            Audio::from_samples(&[0.0, 0.5, -0.5], 8_000, 1)
                .start_time(0.5)
                .looping(true),
        );
        ui.add(
            Video::new(b"\x1a\x45\xdf\xa3 webm".as_slice())
                .subtitles("English", "WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
                .autoplay(true)
                .width(320),
        );
        ui.add(Pdf::new(b"%PDF-1.4 ...".as_slice()).title("report.pdf"));
        ui.add(Logo::new(PNG).link("https://example.com"));
        ui.image("https://example.com/cat.png");
    });
    at.run().expect("runs");
    let row = at.image(0);
    assert_eq!(row.images.len(), 2);
    assert_eq!(row.images[1].caption.as_deref(), Some("b"));
    assert!(row.use_container_width);
    let audio = at.audio(0);
    assert_eq!(
        (audio.mime.as_str(), audio.start_time, audio.looping),
        ("audio/wav", 0.5, true)
    );
    let video = at.video(0);
    assert_eq!(video.mime, "video/webm");
    assert!(video.autoplay && video.muted, "autoplay is muted");
    assert_eq!(video.width, Some(320));
    assert_eq!(video.subtitles.len(), 1);
    assert_eq!(
        at.media_bytes(&video.subtitles[0].url)
            .map(|b| b.starts_with(b"WEBVTT")),
        Some(true)
    );
    assert_eq!(at.pdf(0).title, "report.pdf");
    assert_eq!(at.logo().link.as_deref(), Some("https://example.com"));
    assert_eq!(at.image(1).images[0].url, "https://example.com/cat.png");
}

#[test]
fn download_buttons_hand_out_their_data_and_refuse_forms() {
    let mut at = AppTest::new(|ui: &Ui| {
        let _ = ui.download_button("Text", "hello", "hello.txt");
        let lazy = DownloadData::lazy(|| Ok(vec![1, 2, 3]));
        if ui.add(DownloadButton::new("Lazy", lazy)).clicked() {
            ui.text("clicked");
        }
        let _ = ui.add(DownloadButton::new(
            "Missing",
            DownloadData::file("no/such/file"),
        ));
        ui.form("f", |form| {
            let _ = form.download_button("In a form", "x", "x.txt");
            let _ = form.add(FormSubmit::new("Go"));
        });
    });
    at.run().expect("runs");
    assert_eq!(at.download("Text"), b"hello");
    assert_eq!(at.download("Lazy"), vec![1, 2, 3]);
    let messages = exception_messages(&at);
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`no/such/file` is not a file")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("cannot be used inside form")),
        "{messages:?}"
    );
    at.button("Lazy").click().run().expect("runs");
    assert_eq!(at.text(), vec!["clicked"]);
}
