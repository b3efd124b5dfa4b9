//! The script threads: a pool that grows on demand and shrinks when idle.
//!
//! Streamlit starts a thread per run. Brooklet reuses threads (a rerun then
//! costs a queue push instead of a thread spawn) but keeps Streamlit's promise:
//! a job never waits behind another session's job while the pool is below its
//! cap, because a job that finds no idle thread gets a new one. An app that
//! sleeps or blocks on IO in one session therefore never delays another.
//! Script threads are plain OS threads, never tokio workers: app code may
//! block as it likes.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::sync::wait_timeout;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// How long an idle script thread waits for work before it exits.
const IDLE_EXIT: Duration = Duration::from_secs(30);

struct State {
    jobs: VecDeque<Job>,
    /// Threads alive.
    threads: usize,
    /// Threads waiting for a job.
    idle: usize,
    shutdown: bool,
}

struct Shared {
    state: Mutex<State>,
    work: Condvar,
    max_threads: usize,
    /// Stack size of each thread.
    stack_bytes: usize,
    /// Threads are named `{name}-N`.
    name: &'static str,
}

/// A cheap, cloneable handle to the pool.
#[derive(Clone)]
pub(crate) struct ScriptPool {
    shared: Arc<Shared>,
}

impl ScriptPool {
    /// A pool of at most `max_threads` threads with `stack_bytes` of stack
    /// each, named `{name}-N`.
    pub(crate) fn new(max_threads: usize, stack_bytes: usize, name: &'static str) -> ScriptPool {
        ScriptPool {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    jobs: VecDeque::new(),
                    threads: 0,
                    idle: 0,
                    shutdown: false,
                }),
                work: Condvar::new(),
                max_threads: max_threads.max(1),
                stack_bytes,
                name,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        crate::sync::lock(&self.shared.state)
    }

    /// Run `job` on a script thread: an idle one, or a new one while the pool
    /// is below its cap, or the next one to become free.
    pub(crate) fn spawn(&self, job: impl FnOnce() + Send + 'static) {
        let mut state = self.lock();
        if state.shutdown {
            return;
        }
        state.jobs.push_back(Box::new(job));
        // Idle threads that are already woken but have not taken their job yet
        // are counted out of `idle` when they take it, so `idle >= jobs` means
        // every queued job has a thread on its way.
        if state.idle >= state.jobs.len() {
            drop(state);
            self.shared.work.notify_one();
            return;
        }
        if state.threads < self.shared.max_threads {
            state.threads += 1;
            let number = state.threads;
            drop(state);
            let shared = self.shared.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("{}-{number}", shared.name))
                .stack_size(shared.stack_bytes)
                .spawn(move || worker(shared));
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a script thread; the run waits for a free one");
                self.lock().threads -= 1;
            }
        }
        // Otherwise the job waits for the next thread that becomes free.
    }

    /// Stop accepting jobs; idle threads exit. Jobs already queued still run.
    pub(crate) fn shutdown(&self) {
        self.lock().shutdown = true;
        self.shared.work.notify_all();
    }

    /// Threads alive and idle.
    #[cfg(test)]
    pub(crate) fn counts(&self) -> (usize, usize) {
        let state = self.lock();
        (state.threads, state.idle)
    }
}

fn worker(shared: Arc<Shared>) {
    let mut state = crate::sync::lock(&shared.state);
    loop {
        if let Some(job) = state.jobs.pop_front() {
            drop(state);
            // Jobs catch their own panics (the session's driver does); this is a last
            // line of defence so that a bug cannot shrink the pool silently.
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
                tracing::error!("a script-thread job panicked outside the session driver");
            }
            state = crate::sync::lock(&shared.state);
            continue;
        }
        if state.shutdown {
            break;
        }
        state.idle += 1;
        let (next, timed_out) = wait_timeout(&shared.work, state, IDLE_EXIT);
        state = next;
        state.idle -= 1;
        if timed_out && state.jobs.is_empty() {
            break;
        }
    }
    state.threads -= 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_blocked_job_does_not_delay_another() {
        let pool = ScriptPool::new(8, 2 << 20, "test");
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let (done_tx, done_rx) = mpsc::channel::<&str>();
        let blocked_done = done_tx.clone();
        pool.spawn(move || {
            release_rx.recv().ok();
            blocked_done.send("blocked").ok();
        });
        pool.spawn(move || {
            done_tx.send("free").ok();
        });
        assert_eq!(done_rx.recv_timeout(Duration::from_secs(10)), Ok("free"));
        release_tx.send(()).ok();
        assert_eq!(done_rx.recv_timeout(Duration::from_secs(10)), Ok("blocked"));
        assert!(pool.counts().0 >= 2);
    }

    #[test]
    fn the_cap_queues_jobs_instead_of_dropping_them() {
        let pool = ScriptPool::new(1, 2 << 20, "test");
        let (tx, rx) = mpsc::channel();
        for i in 0..20 {
            let tx = tx.clone();
            pool.spawn(move || {
                tx.send(i).ok();
            });
        }
        let mut got: Vec<i32> = (0..20)
            .map(|_| rx.recv_timeout(Duration::from_secs(10)).expect("job ran"))
            .collect();
        got.sort();
        assert_eq!(got, (0..20).collect::<Vec<_>>());
        assert_eq!(pool.counts().0, 1);
    }
}
