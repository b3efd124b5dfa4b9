//! A session's [`Page`] behind its lock, with the waker of whoever drains it.
//!
//! Everything that reaches the browser goes through an `Outbox`: runs draw
//! into its page, the session and the stores queue messages on it, and the
//! connection's writer (or `AppTest`) takes frames from it. The lock is only
//! ever taken inside [`Outbox::with_page`], so no guard leaves this module.

use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use super::Page;
use crate::protocol::ServerMessage;
use crate::sync::lock;

/// One session's page and the waker of its current reader.
#[derive(Debug)]
pub(crate) struct Outbox {
    page: Mutex<Page>,
    /// Wakes whoever drains the page's queue: the current connection's
    /// writer (or AppTest). Each connection installs a fresh one, so a stale
    /// connection can never swallow the wake-ups meant for its successor.
    waker: Mutex<Arc<Notify>>,
}

impl Default for Outbox {
    fn default() -> Outbox {
        Outbox {
            page: Mutex::new(Page::default()),
            waker: Mutex::new(Arc::new(Notify::new())),
        }
    }
}

impl Outbox {
    /// Run `f` with the page locked.
    pub(crate) fn with_page<R>(&self, f: impl FnOnce(&mut Page) -> R) -> R {
        f(&mut lock(&self.page))
    }

    /// Wake the current reader: something was queued.
    pub(crate) fn wake(&self) {
        lock(&self.waker).notify_one();
    }

    /// Queue a message for the browser and wake the reader.
    pub(crate) fn send(&self, message: ServerMessage) {
        self.with_page(|page| page.push_message(message));
        self.wake();
    }

    /// Install a fresh waker for a new reader and return it; the old
    /// reader's waker is never notified again.
    pub(crate) fn new_reader(&self) -> Arc<Notify> {
        let waker = Arc::new(Notify::new());
        *lock(&self.waker) = waker.clone();
        waker
    }
}
