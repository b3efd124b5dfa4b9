//! Query parameters: the `?a=1&b=2` part of the page's address, read and
//! written by the app and mirrored in the browser.

use std::sync::{Arc, Mutex, MutexGuard, Weak};

use crate::page::Outbox;
use crate::protocol::ServerMessage;
use crate::sync::lock;

/// The query parameters of one tab: read from the address the page was
/// opened with; changes are shown in the browser's address bar (without a
/// reload), so the page can be bookmarked or shared in its current state.
///
/// Get it from [`Ui::query_params`](crate::Ui::query_params).
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     let params = ui.query_params();
///     let city = params.get("city").unwrap_or_else(|| "Oslo".to_string());
///     let chosen = ui.add(TextInput::new("City").value(city.clone()));
///     if chosen != city {
///         params.set("city", &chosen);
///     }
/// }
/// ```
#[derive(Clone, Debug)]
pub struct QueryParams {
    pairs: Arc<Mutex<Vec<(String, String)>>>,
    /// Where changes are announced to the browser.
    outbox: Weak<Outbox>,
}

/// The longest query string accepted: a URL's worth (browsers and proxies
/// commonly stop near 8–64 KiB). Parsed pairs cost several times their text,
/// and they live as long as the session.
pub(crate) const MAX_QUERY_BYTES: usize = 16 * 1024;
/// The most `key=value` pairs accepted in a query string.
pub(crate) const MAX_QUERY_PAIRS: usize = 256;

/// Why a query string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum QueryError {
    #[error("the page address's query string is {0} bytes; at most {MAX_QUERY_BYTES} are accepted, so it was ignored")]
    TooLong(usize),
    #[error("the page address's query string has more than {MAX_QUERY_PAIRS} parameters, so it was ignored")]
    TooManyPairs,
}

/// Parse `a=1&b=x%20y` into pairs, within the limits above.
pub(crate) fn parse(query: &str) -> Result<Vec<(String, String)>, QueryError> {
    let query = query.trim_start_matches('?');
    if query.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong(query.len()));
    }
    let mut pairs = Vec::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if pairs.len() == MAX_QUERY_PAIRS {
            return Err(QueryError::TooManyPairs);
        }
        pairs.push((k.into_owned(), v.into_owned()));
    }
    Ok(pairs)
}

impl QueryParams {
    pub(crate) fn new(
        pairs: Arc<Mutex<Vec<(String, String)>>>,
        outbox: Weak<Outbox>,
    ) -> QueryParams {
        QueryParams { pairs, outbox }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(String, String)>> {
        lock(&self.pairs)
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.lock()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// Every value of `key` (`?tag=a&tag=b`).
    pub fn get_all(&self, key: &str) -> Vec<String> {
        self.lock()
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// All pairs, in order.
    pub fn to_vec(&self) -> Vec<(String, String)> {
        self.lock().clone()
    }

    /// Whether `key` is present.
    pub fn contains(&self, key: &str) -> bool {
        self.lock().iter().any(|(k, _)| k == key)
    }

    /// Set `key` to `value`, replacing all its values.
    pub fn set(&self, key: &str, value: impl ToString) {
        self.set_all(key, [value]);
    }

    /// Set `key` to several values (`?tag=a&tag=b`).
    pub fn set_all<V: ToString>(&self, key: &str, values: impl IntoIterator<Item = V>) {
        // `to_string` is app code: run it before taking the lock.
        let new: Vec<(String, String)> = values
            .into_iter()
            .map(|v| (key.to_owned(), v.to_string()))
            .collect();
        let mut pairs = self.lock();
        let at = pairs
            .iter()
            .position(|(k, _)| k == key)
            .unwrap_or(pairs.len());
        pairs.retain(|(k, _)| k != key);
        let at = at.min(pairs.len());
        pairs.splice(at..at, new);
        drop(pairs);
        self.publish();
    }

    /// Remove `key`; returns whether it was there.
    pub fn remove(&self, key: &str) -> bool {
        let mut pairs = self.lock();
        let before = pairs.len();
        pairs.retain(|(k, _)| k != key);
        let removed = pairs.len() != before;
        drop(pairs);
        if removed {
            self.publish();
        }
        removed
    }

    /// Remove every parameter.
    pub fn clear(&self) {
        self.lock().clear();
        self.publish();
    }

    /// The query string, encoded, without `?`.
    pub fn to_query_string(&self) -> String {
        let pairs = self.lock();
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs.iter() {
            out.append_pair(k, v);
        }
        out.finish()
    }

    /// Tell the browser.
    fn publish(&self) {
        if let Some(outbox) = self.outbox.upgrade() {
            outbox.send(ServerMessage::QueryParams {
                query: self.to_query_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_edits_and_encodes() {
        let params = QueryParams::new(
            Arc::new(Mutex::new(
                parse("?city=S%C3%A3o+Paulo&tag=a&tag=b").expect("parses"),
            )),
            Weak::new(),
        );
        assert_eq!(params.get("city").as_deref(), Some("São Paulo"));
        assert_eq!(params.get_all("tag"), vec!["a", "b"]);
        params.set("city", "Oslo");
        params.set_all("tag", ["x"]);
        assert!(!params.remove("missing"));
        assert_eq!(params.to_query_string(), "city=Oslo&tag=x");
        params.clear();
        assert_eq!(params.to_query_string(), "");
    }

    #[test]
    fn long_queries_are_refused() {
        let long = "a".repeat(MAX_QUERY_BYTES + 1);
        assert_eq!(parse(&long), Err(QueryError::TooLong(MAX_QUERY_BYTES + 1)));
        let many = vec!["a"; MAX_QUERY_PAIRS + 1].join("&");
        assert_eq!(parse(&many), Err(QueryError::TooManyPairs));
        let enough = vec!["a=1"; MAX_QUERY_PAIRS].join("&");
        assert_eq!(parse(&enough).map(|p| p.len()), Ok(MAX_QUERY_PAIRS));
    }
}
