//! What every request passes before it reaches a handler, and what every
//! response carries: the `Host` check against DNS rebinding, the `Origin`
//! check for WebSockets, and the security headers with the one
//! Content-Security-Policy of the app.
//!
//! **DNS rebinding.** A page on `http://evil.example:8501` whose name the
//! attacker makes resolve to 127.0.0.1 is, to the browser, same-origin with
//! itself; its requests reach a server listening on loopback with
//! `Host: evil.example:8501`. A server bound to a loopback address therefore
//! answers only loopback names (`localhost`, `127.0.0.1`, `[::1]`) and the
//! names in `server.allowed_hosts`.
//!
//! **Content-Security-Policy.** The bundle needs no inline script, no `eval`
//! and no inline `<style>`, so the policy is strict. It is built in one place
//! ([`ContentSecurityPolicy`]); element kinds that need more (charts, media,
//! components) extend it there, each addition documented in
//! `docs/security.md`.

use std::net::IpAddr;

use axum::http::{header, HeaderMap, HeaderValue};

use crate::config::ServerConfig;

/// Which `Host` names the server answers.
#[derive(Debug, Clone)]
pub(crate) struct HostPolicy {
    /// Only enforced when listening on loopback or when names are configured.
    enforce: bool,
    allowed: Vec<String>,
    any: bool,
}

impl HostPolicy {
    pub(crate) fn new(config: &ServerConfig) -> HostPolicy {
        let any = config.allowed_hosts.iter().any(|h| h == "*");
        HostPolicy {
            enforce: !any && (config.address.is_loopback() || !config.allowed_hosts.is_empty()),
            allowed: config
                .allowed_hosts
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            any,
        }
    }

    /// Whether a request with this `Host` header is answered.
    pub(crate) fn allows(&self, host: Option<&str>) -> bool {
        if !self.enforce || self.any {
            return true;
        }
        // HTTP/1.1 requires Host; a request without one is not a browser's.
        let Some(host) = host else {
            return false;
        };
        let name = host_name(host).to_ascii_lowercase();
        is_loopback_name(&name) || self.allowed.contains(&name)
    }
}

/// `example.com:8501` → `example.com`; `[::1]:8501` → `[::1]`.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => &host[..=end],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

fn is_loopback_name(name: &str) -> bool {
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A browser page may open a WebSocket to any host; only pages served by
/// this server (same host, http or https) or explicitly allowed origins may
/// talk to sessions. Clients that send no `Origin` (not browsers) are
/// allowed.
pub(crate) fn check_origin(
    headers: &HeaderMap,
    allowed: &[String],
) -> std::result::Result<(), String> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().map_err(|_| "<not text>".to_owned())?;
    let origin_trimmed = origin.trim_end_matches('/');
    if allowed
        .iter()
        .any(|a| a == "*" || a.eq_ignore_ascii_case(origin_trimmed))
    {
        return Ok(());
    }
    // Only web pages: `null` (sandboxed frames, files) and other schemes are
    // refused.
    let Some((scheme, origin_host)) = origin_trimmed.split_once("://") else {
        return Err(origin.to_owned());
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(origin.to_owned());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !host.is_empty() && origin_host.eq_ignore_ascii_case(host) {
        return Ok(());
    }
    Err(origin.to_owned())
}

/// The app's Content-Security-Policy, built in one place.
///
/// ```text
/// default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https:;
/// media-src 'self' blob: https:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none';
/// form-action 'self'; frame-ancestors 'self'
/// ```
#[derive(Debug, Clone)]
pub(crate) struct ContentSecurityPolicy {
    directives: Vec<(&'static str, Vec<String>)>,
}

impl ContentSecurityPolicy {
    /// The policy the bundle needs, with `frame_ancestors` as configured.
    pub(crate) fn new(frame_ancestors: &str) -> ContentSecurityPolicy {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        ContentSecurityPolicy {
            directives: vec![
                ("default-src", list(&["'self'"])),
                ("script-src", list(&["'self'"])),
                ("style-src", list(&["'self'"])),
                // `https:`: image columns of dataframes show thumbnails from
                // the URLs in the data (an image cannot run script).
                ("img-src", list(&["'self'", "data:", "blob:", "https:"])),
                // `blob:`: a recording made by `audio_input` plays from
                // the browser's memory; `https:`: audio and video the app
                // gives by URL (media cannot run script).
                ("media-src", list(&["'self'", "blob:", "https:"])),
                // `'self'` covers the WebSocket to the same host and port.
                ("connect-src", list(&["'self'"])),
                ("font-src", list(&["'self'", "data:"])),
                ("object-src", list(&["'none'"])),
                ("base-uri", list(&["'none'"])),
                ("form-action", list(&["'self'"])),
                (
                    "frame-ancestors",
                    frame_ancestors
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect(),
                ),
            ],
        }
    }

    /// Add `source` to `directive` (how element kinds extend the policy).
    #[allow(dead_code)]
    pub(crate) fn allow(&mut self, directive: &'static str, source: &str) {
        match self
            .directives
            .iter_mut()
            .find(|(name, _)| *name == directive)
        {
            Some((_, sources)) => {
                if !sources.iter().any(|s| s == source) {
                    sources.retain(|s| s != "'none'");
                    sources.push(source.to_owned());
                }
            }
            None => self.directives.push((directive, vec![source.to_owned()])),
        }
    }

    /// The header's value.
    pub(crate) fn header_value(&self) -> String {
        self.directives
            .iter()
            .map(|(name, sources)| format!("{name} {}", sources.join(" ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The headers every response carries, computed once.
#[derive(Debug, Clone)]
pub(crate) struct SecurityHeaders {
    headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl SecurityHeaders {
    pub(crate) fn new(config: &ServerConfig) -> SecurityHeaders {
        let csp = ContentSecurityPolicy::new(&config.frame_ancestors);
        let mut headers = Vec::new();
        if let Ok(value) = HeaderValue::from_str(&csp.header_value()) {
            headers.push((header::CONTENT_SECURITY_POLICY, value));
        }
        headers.push((
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ));
        headers.push((
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ));
        // X-Frame-Options is the older header; it can only say "same
        // origin" or "nowhere", so it is sent only for the default policy
        // (frame-ancestors governs in every current browser).
        if config.frame_ancestors.trim() == "'self'" {
            headers.push((
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("SAMEORIGIN"),
            ));
        } else if config.frame_ancestors.trim() == "'none'" {
            headers.push((header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")));
        }
        SecurityHeaders { headers }
    }

    /// Add them to a response's headers (those already set win).
    pub(crate) fn apply(&self, target: &mut HeaderMap) {
        for (name, value) in &self.headers {
            if !target.contains_key(name) {
                target.insert(name.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).expect("host"));
        if let Some(origin) = origin {
            h.insert(
                header::ORIGIN,
                HeaderValue::from_str(origin).expect("origin"),
            );
        }
        h
    }

    #[test]
    fn origin_must_match_host_or_be_allowed() {
        assert!(check_origin(&headers(None, "127.0.0.1:8501"), &[]).is_ok());
        assert!(check_origin(
            &headers(Some("http://127.0.0.1:8501"), "127.0.0.1:8501"),
            &[]
        )
        .is_ok());
        assert!(
            check_origin(&headers(Some("http://evil.example"), "127.0.0.1:8501"), &[]).is_err()
        );
        assert!(check_origin(
            &headers(Some("http://127.0.0.1:9999"), "127.0.0.1:8501"),
            &[]
        )
        .is_err());
        let allowed = vec!["https://app.example".to_owned()];
        assert!(check_origin(
            &headers(Some("https://app.example"), "127.0.0.1:8501"),
            &allowed
        )
        .is_ok());
    }

    #[test]
    fn origin_scheme_must_be_a_web_page() {
        for origin in [
            "null",
            "file://127.0.0.1:8501",
            "chrome-extension://127.0.0.1:8501",
        ] {
            assert!(
                check_origin(&headers(Some(origin), "127.0.0.1:8501"), &[]).is_err(),
                "{origin}"
            );
        }
        assert!(check_origin(
            &headers(Some("https://127.0.0.1:8501"), "127.0.0.1:8501"),
            &[]
        )
        .is_ok());
    }

    #[test]
    fn on_loopback_only_loopback_names_and_allowed_hosts_are_answered() {
        let mut config = ServerConfig::default();
        let policy = HostPolicy::new(&config);
        for ok in [
            "127.0.0.1:8501",
            "localhost:8501",
            "LOCALHOST",
            "[::1]:8501",
            "127.0.0.2",
        ] {
            assert!(policy.allows(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example:8501",
            "evil.example",
            "127.0.0.1.evil.example",
            "[::2]:80",
        ] {
            assert!(!policy.allows(Some(bad)), "{bad}");
        }
        assert!(!policy.allows(None));
        config.allowed_hosts = vec!["app.internal".to_owned()];
        let policy = HostPolicy::new(&config);
        assert!(policy.allows(Some("app.internal:8501")));
        assert!(!policy.allows(Some("evil.example")));
        // Listening on all addresses without a list: any name.
        let open = ServerConfig {
            address: "0.0.0.0".parse().expect("ip"),
            ..ServerConfig::default()
        };
        assert!(HostPolicy::new(&open).allows(Some("evil.example")));
    }

    #[test]
    fn the_policy_is_strict_and_extensible() {
        let mut csp = ContentSecurityPolicy::new("'self'");
        let value = csp.header_value();
        assert!(value.contains("script-src 'self';"), "{value}");
        assert!(!value.contains("unsafe"), "{value}");
        assert!(value.ends_with("frame-ancestors 'self'"), "{value}");
        csp.allow("object-src", "'self'");
        csp.allow("worker-src", "blob:");
        let value = csp.header_value();
        assert!(value.contains("object-src 'self'"), "{value}");
        assert!(value.contains("worker-src blob:"), "{value}");
    }
}
