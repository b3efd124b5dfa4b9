//! The registry of live sessions, by id.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;

use crate::session::{AppShared, Session};

/// All sessions of the server. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Sessions {
    map: Arc<Mutex<HashMap<String, Arc<Session>>>>,
    ttl: Duration,
}

impl Sessions {
    pub(crate) fn new(ttl: Duration) -> Sessions {
        Sessions {
            map: Arc::default(),
            ttl,
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<Session>>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The session a reconnecting tab asks for, if it exists (its id is a
    /// 128-bit secret, so whoever presents it is that tab: a stale connection
    /// still holding it is replaced); otherwise a new session. `true` when
    /// resumed.
    pub(crate) fn open(&self, wanted: Option<&str>, app: &Arc<AppShared>) -> (Arc<Session>, bool) {
        let mut map = self.lock();
        if let Some(session) = wanted.and_then(|id| map.get(id)) {
            // Claimed under the registry lock, so the sweeper (which also
            // holds it) cannot drop the session before it is attached.
            session.claim();
            return (session.clone(), true);
        }
        let session = Session::new(app.clone());
        session.claim();
        map.insert(session.id().to_string(), session.clone());
        (session, false)
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
            self.lock()
                .retain(|_, session| match session.detached_since() {
                    Some(since) => since.elapsed() < ttl || session.is_busy(),
                    None => true,
                });
        }
    }

    /// Detach (and so cancel the runs of) every session; used at shutdown.
    pub(crate) fn close_all(&self) {
        let sessions: Vec<Arc<Session>> = self.lock().drain().map(|(_, s)| s).collect();
        for session in sessions {
            session.close();
        }
    }
}
