//! The front end, embedded in the binary at compile time.
//!
//! `frontend/build.mjs` writes the bundle and its gzip and brotli siblings
//! into `crates/brooklet/assets/`; they are committed, so building an app needs
//! no Node. The HTML references the bundle with a content hash in the query
//! (`app.js?v=…`), which lets the bundle be cached forever while the HTML is
//! revalidated on every load.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// One embedded file in its three encodings.
struct Asset {
    content_type: &'static str,
    identity: &'static [u8],
    gzip: &'static [u8],
    brotli: &'static [u8],
    /// HTML is revalidated; hashed bundles are immutable.
    immutable: bool,
}

macro_rules! asset {
    ($name:literal, $type:literal, $immutable:expr) => {
        Asset {
            content_type: $type,
            identity: include_bytes!(concat!("../../assets/", $name)),
            gzip: include_bytes!(concat!("../../assets/", $name, ".gz")),
            brotli: include_bytes!(concat!("../../assets/", $name, ".br")),
            immutable: $immutable,
        }
    };
}

static INDEX: Asset = asset!("index.html", "text/html; charset=utf-8", false);
static APP_JS: Asset = asset!("app.js", "text/javascript; charset=utf-8", true);
static APP_CSS: Asset = asset!("app.css", "text/css; charset=utf-8", true);

// Lazy chunks: the chart libraries, loaded by a page only when it shows an
// element that needs them (see `frontend/src/chunks/load.ts`).
static CHUNK_UPLOT: Asset = asset!("chunk-uplot.js", "text/javascript; charset=utf-8", true);
static CHUNK_VEGA: Asset = asset!("chunk-vega.js", "text/javascript; charset=utf-8", true);
static CHUNK_PLOTLY: Asset = asset!("chunk-plotly.js", "text/javascript; charset=utf-8", true);
static CHUNK_MAP: Asset = asset!("chunk-map.js", "text/javascript; charset=utf-8", true);

/// The encodings a client accepts, from its `Accept-Encoding` header.
#[derive(Debug, Default, PartialEq, Eq)]
struct Accepts {
    brotli: bool,
    gzip: bool,
}

fn accepted_encodings(headers: &HeaderMap) -> Accepts {
    let mut accepts = Accepts::default();
    let Some(value) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return accepts;
    };
    for item in value.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        if refused {
            continue;
        }
        match coding.as_str() {
            "br" => accepts.brotli = true,
            "gzip" => accepts.gzip = true,
            "*" => {
                accepts.brotli = true;
                accepts.gzip = true;
            }
            _ => {}
        }
    }
    accepts
}

fn respond(asset: &'static Asset, headers: &HeaderMap) -> Response {
    let accepts = accepted_encodings(headers);
    let (body, encoding) = if accepts.brotli {
        (asset.brotli, Some("br"))
    } else if accepts.gzip {
        (asset.gzip, Some("gzip"))
    } else {
        (asset.identity, None)
    };
    let mut response = Response::new(Body::from(body));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if asset.immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

/// The page (`/` and any path outside `/_brooklet/`).
pub(crate) async fn index(headers: HeaderMap) -> Response {
    respond(&INDEX, &headers)
}

/// `/_brooklet/static/{file}`.
pub(crate) async fn static_file(
    axum::extract::Path(file): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    match file.as_str() {
        "app.js" => respond(&APP_JS, &headers),
        "app.css" => respond(&APP_CSS, &headers),
        "chunk-uplot.js" => respond(&CHUNK_UPLOT, &headers),
        "chunk-vega.js" => respond(&CHUNK_VEGA, &headers),
        "chunk-plotly.js" => respond(&CHUNK_PLOTLY, &headers),
        "chunk-map.js" => respond(&CHUNK_MAP, &headers),
        _ => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).expect("header"),
        );
        h
    }

    #[test]
    fn negotiates_encodings() {
        assert_eq!(
            accepted_encodings(&headers("gzip, deflate, br")),
            Accepts {
                brotli: true,
                gzip: true
            }
        );
        assert_eq!(
            accepted_encodings(&headers("gzip;q=1.0, br;q=0")),
            Accepts {
                brotli: false,
                gzip: true
            }
        );
        assert_eq!(accepted_encodings(&HeaderMap::new()), Accepts::default());
    }

    #[test]
    fn embedded_assets_are_consistent() {
        for asset in [&INDEX, &APP_JS, &APP_CSS] {
            assert!(!asset.identity.is_empty());
            assert!(asset.gzip.starts_with(&[0x1f, 0x8b]), "gzip magic");
        }
        let html = std::str::from_utf8(INDEX.identity).expect("utf-8");
        assert!(
            html.contains("/_brooklet/static/app.js?v="),
            "index references the hashed bundle"
        );
    }
}
