//! The registry of live sessions, by id, with the caps on how many there
//! may be (overall and per client address).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;

use crate::config::ServerConfig;
use crate::session::Session;
use crate::ui::AppShared;

/// Why no session could be opened.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OpenError {
    /// `server.max_sessions` reached.
    #[error("the server is at its limit of {0} sessions (server.max_sessions); try again later")]
    Full(usize),
    /// `server.max_sessions_per_ip` reached for this address.
    #[error(
        "this address has {0} sessions open, the limit (server.max_sessions_per_ip); \
         close some tabs or try again later"
    )]
    FullForAddress(usize),
    /// No OS randomness for a session id.
    #[error("no secure random numbers for a session id: {0}")]
    Random(#[from] getrandom::Error),
}

struct Entry {
    session: Arc<Session>,
    address: IpAddr,
}

#[derive(Default)]
struct Registry {
    by_id: HashMap<String, Entry>,
    per_address: HashMap<IpAddr, usize>,
}

impl Registry {
    fn remove(&mut self, id: &str) -> Option<Arc<Session>> {
        let entry = self.by_id.remove(id)?;
        if let Some(count) = self.per_address.get_mut(&entry.address) {
            *count -= 1;
            if *count == 0 {
                self.per_address.remove(&entry.address);
            }
        }
        Some(entry.session)
    }
}

/// All sessions of the server. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Sessions {
    registry: Arc<Mutex<Registry>>,
    ttl: Duration,
    max_sessions: usize,
    max_per_address: usize,
}

impl Sessions {
    pub(crate) fn new(config: &ServerConfig) -> Sessions {
        Sessions {
            registry: Arc::default(),
            ttl: config.session_ttl,
            max_sessions: config.max_sessions,
            max_per_address: config.max_sessions_per_ip,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        crate::sync::lock(&self.registry)
    }

    /// The session a reconnecting tab asks for, if it exists (its id is a
    /// 128-bit secret, so whoever presents it is that tab: a stale connection
    /// still holding it is replaced); otherwise a new session, if the caps
    /// allow one. `true` when resumed. Sessions waiting for their tab to
    /// reconnect count against the caps.
    pub(crate) fn open(
        &self,
        wanted: Option<&str>,
        app: &Arc<AppShared>,
        address: IpAddr,
    ) -> Result<(Arc<Session>, bool), OpenError> {
        let mut registry = self.lock();
        if let Some(entry) = wanted.and_then(|id| registry.by_id.get(id)) {
            // Claimed under the registry lock, so the sweeper (which also
            // holds it) cannot drop the session before it is attached.
            entry.session.claim();
            return Ok((entry.session.clone(), true));
        }
        if registry.by_id.len() >= self.max_sessions {
            return Err(OpenError::Full(self.max_sessions));
        }
        let from_address = registry.per_address.get(&address).copied().unwrap_or(0);
        if from_address >= self.max_per_address {
            return Err(OpenError::FullForAddress(self.max_per_address));
        }
        let session = Session::new(app.clone())?;
        session.claim();
        registry.by_id.insert(
            session.id().to_owned(),
            Entry {
                session: session.clone(),
                address,
            },
        );
        *registry.per_address.entry(address).or_insert(0) += 1;
        Ok((session, false))
    }

    /// Sessions open now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().by_id.len()
    }

    /// Drop sessions whose tab has been gone longer than the ttl, every few
    /// seconds, until shutdown.
    pub(crate) async fn sweep(self, mut shutdown: watch::Receiver<bool>) {
        let period = (self.ttl / 4).clamp(Duration::from_millis(100), Duration::from_secs(10));
        loop {
            tokio::select! {
                _ = tokio::time::sleep(period) => {}
                _ = shutdown.changed() => return,
            }
            let ttl = self.ttl;
            let mut registry = self.lock();
            let expired: Vec<String> = registry
                .by_id
                .iter()
                .filter(|(_, entry)| match entry.session.detached_since() {
                    Some(since) => since.elapsed() >= ttl && !entry.session.is_busy(),
                    None => false,
                })
                .map(|(id, _)| id.clone())
                .collect();
            let removed: Vec<Arc<Session>> = expired
                .iter()
                .filter_map(|id| registry.remove(id))
                .collect();
            // Dropping a session drops its state: app values whose `Drop`
            // must not run under the registry lock.
            drop(registry);
            drop(removed);
        }
    }

    /// Detach (and so cancel the runs of) every session; used at shutdown.
    pub(crate) fn close_all(&self) {
        let sessions: Vec<Arc<Session>> = {
            let mut registry = self.lock();
            registry.per_address.clear();
            registry.by_id.drain().map(|(_, e)| e.session).collect()
        };
        for session in sessions {
            session.close();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn app() -> Arc<AppShared> {
        AppShared::new(Arc::new(|_: &crate::Ui| {}), &Config::default()).expect("OS randomness")
    }

    #[test]
    fn caps_count_sessions_overall_and_per_address() {
        let config = ServerConfig {
            max_sessions: 3,
            max_sessions_per_ip: 2,
            ..ServerConfig::default()
        };
        let sessions = Sessions::new(&config);
        let app = app();
        let a: IpAddr = "127.0.0.1".parse().expect("ip");
        let b: IpAddr = "127.0.0.2".parse().expect("ip");
        let (first, _) = sessions.open(None, &app, a).expect("first");
        sessions.open(None, &app, a).expect("second");
        assert!(matches!(
            sessions.open(None, &app, a),
            Err(OpenError::FullForAddress(2))
        ));
        // Resuming is not a new session.
        let (again, resumed) = sessions.open(Some(first.id()), &app, a).expect("resume");
        assert!(resumed && Arc::ptr_eq(&first, &again));
        sessions.open(None, &app, b).expect("another address");
        assert!(matches!(
            sessions.open(None, &app, b),
            Err(OpenError::Full(3))
        ));
        assert_eq!(sessions.len(), 3);
        // A removed session frees its address's share.
        sessions.lock().remove(first.id());
        sessions.open(None, &app, a).expect("room again");
    }
}
