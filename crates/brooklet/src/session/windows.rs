//! Window requests: the rows a dataframe in the page scrolls to, sorted
//! and searched on the server.
//!
//! A request may sort 10,000,000 rows, so it never runs on the async
//! threads that serve sockets: each session has at most one blocking task
//! answering its requests, one at a time. Requests that arrive meanwhile
//! wait; a newer request for the same grid replaces the one waiting (the
//! person scrolled on: only the latest position matters), so a session
//! has one request in flight and a bounded queue whatever the page sends.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Mutex, Weak};

use super::Session;
use crate::protocol::{ServerMessage, WindowRequest, WindowRows};
use crate::sync::lock;

/// Requests waiting per session, across its grids (the oldest goes).
const MAX_WAITING: usize = 16;
/// Longest `view` and `frame` strings accepted.
const MAX_NAME: usize = 64;

/// A session's waiting window requests.
#[derive(Debug, Default)]
pub(crate) struct Windows {
    queue: Mutex<Queue>,
}

#[derive(Debug, Default)]
struct Queue {
    waiting: VecDeque<WindowRequest>,
    /// Whether a task is answering.
    busy: bool,
}

impl Windows {
    /// Queue `request`; true when no task is answering (start one). A
    /// request pushed out of a full queue goes to `dropped`, to be told.
    fn push(&self, request: WindowRequest, dropped: &mut Vec<WindowRequest>) -> bool {
        let mut queue = lock(&self.queue);
        queue.waiting.retain(|waiting| waiting.view != request.view);
        queue.waiting.push_back(request);
        while queue.waiting.len() > MAX_WAITING {
            dropped.extend(queue.waiting.pop_front());
        }
        !std::mem::replace(&mut queue.busy, true)
    }

    /// The next request, or `None` (and not busy any more) when none waits.
    fn next(&self) -> Option<WindowRequest> {
        let mut queue = lock(&self.queue);
        let next = queue.waiting.pop_front();
        if next.is_none() {
            queue.busy = false;
        }
        next
    }
}

impl Session {
    /// The page asks for a window of rows; the answer is queued as a
    /// `window` message.
    pub(crate) fn request_window(&self, request: WindowRequest) {
        if request.view.len() > MAX_NAME || request.frame.len() > MAX_NAME {
            self.context.outbox.send(refusal(
                &request,
                format!("`view` and `frame` are at most {MAX_NAME} characters"),
            ));
            return;
        }
        let mut dropped = Vec::new();
        let start = self.windows.push(request, &mut dropped);
        for request in dropped {
            // Its grid waits for an answer: say why there is none.
            self.context.outbox.send(refusal(
                &request,
                format!("more than {MAX_WAITING} window requests were waiting; ask again"),
            ));
        }
        if !start {
            return;
        }
        let session = self.me.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn_blocking(move || answer_windows(&session));
            }
            // Outside a runtime (tests driving a session by hand): answer here.
            Err(_) => answer_windows(&session),
        }
    }
}

/// Answer the session's requests until none waits.
fn answer_windows(session: &Weak<Session>) {
    loop {
        let Some(session) = session.upgrade() else {
            return;
        };
        let Some(request) = session.windows.next() else {
            return;
        };
        let reply = answer(&session, &request);
        session.context.outbox.send(reply);
    }
}

fn answer(session: &Session, request: &WindowRequest) -> ServerMessage {
    let Some(view) = session.context.grid(&request.frame) else {
        return refusal(request, "this dataframe is no longer on the page".into());
    };
    // A bug in a formatter must not leave the session's queue busy forever.
    let window = std::panic::catch_unwind(AssertUnwindSafe(|| {
        view.window(
            request.start,
            request.count,
            request.sort.as_ref(),
            &request.search,
        )
    }));
    match window {
        Ok(Ok(rows)) => ServerMessage::Window {
            view: request.view.clone(),
            frame: request.frame.clone(),
            rows,
            error: None,
        },
        Ok(Err(error)) => refusal(request, error.to_string()),
        Err(_) => {
            tracing::error!(session = %session.tag(), "a window request panicked");
            refusal(request, "the server failed to read these rows".into())
        }
    }
}

fn refusal(request: &WindowRequest, error: String) -> ServerMessage {
    ServerMessage::Window {
        view: cut(&request.view),
        frame: cut(&request.frame),
        rows: WindowRows::default(),
        error: Some(error),
    }
}

/// At most [`MAX_NAME`] bytes of `name`, cut on a character boundary.
fn cut(name: &str) -> String {
    let mut end = name.len().min(MAX_NAME);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(view: &str, start: u64) -> WindowRequest {
        WindowRequest {
            view: view.into(),
            frame: "f".into(),
            start,
            count: 10,
            sort: None,
            search: String::new(),
        }
    }

    #[test]
    fn the_latest_request_per_grid_wins_and_the_queue_is_bounded() {
        let windows = Windows::default();
        let mut dropped = Vec::new();
        assert!(
            windows.push(request("a", 0), &mut dropped),
            "idle: start a task"
        );
        assert!(!windows.push(request("a", 10), &mut dropped), "busy");
        assert!(!windows.push(request("b", 0), &mut dropped));
        assert!(!windows.push(request("a", 20), &mut dropped));
        assert_eq!(
            windows.next().map(|r| (r.view, r.start)),
            Some(("b".into(), 0))
        );
        assert_eq!(
            windows.next().map(|r| (r.view, r.start)),
            Some(("a".into(), 20))
        );
        assert!(windows.next().is_none());
        assert!(windows.push(request("a", 0), &mut dropped), "idle again");
        assert!(dropped.is_empty());
        for i in 0..100 {
            windows.push(request(&i.to_string(), 0), &mut dropped);
        }
        assert_eq!(
            dropped.len(),
            101 - MAX_WAITING,
            "each dropped request is told"
        );
        let mut left = 0;
        while windows.next().is_some() {
            left += 1;
        }
        assert_eq!(left, MAX_WAITING);
    }
}
