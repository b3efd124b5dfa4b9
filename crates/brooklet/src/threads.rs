//! Threads in app code, safe by construction.
//!
//! Streamlit's custom threads need a `ScriptRunContext` attached by hand and
//! must not outlive their run, or they leak into other runs and sessions.
//! In Brooklet a [`Ui`] *is* the context: it is `Clone + Send + Sync`, it
//! belongs to one run, and once that run has ended nothing written through it
//! reaches any page. On top of that this module offers:
//!
//! - [`Ui::spawn`]: a worker thread bound to the run. The run ends when its
//!   workers have; cancelling the run stops them at their next `Ui` call; a
//!   worker's panic is shown in its container.
//! - [`Executor`]: one pool of threads shared by all sessions (Streamlit's
//!   `get_thread_executor` pattern), whose jobs are bound to runs the same way.
//! - [`Ui::block_on`]: await a future on a runtime Brooklet provides,
//!   cancelled with the run.
//! - [`SessionHandle`]: a weak, `'static` handle for background jobs that
//!   outlive a run: put a result in session state and ask for a rerun.
//!
//! `docs/threading.md` walks through every pattern.

use std::future::Future;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::Duration;

use crate::run::{catch, mark_owned_thread, AppError, Unwind};
pub use crate::runtime::async_runtime;
use crate::runtime::pool::ScriptPool;
use crate::store::SessionState;
use crate::sync::{lock, wait_timeout};
use crate::ui::{CurrentGuard, SessionContext, Ui};

/// Why a worker produced no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// The worker panicked; the message is also shown in its container.
    #[error("the worker panicked: {0}")]
    Panicked(String),
    /// The run was cancelled before the worker finished.
    #[error("the run was cancelled before the worker finished")]
    Cancelled,
}

struct Slot<R> {
    result: Mutex<Option<Result<R, WorkerError>>>,
    done: Condvar,
}

/// A worker started by [`Ui::spawn`] or [`Executor::spawn`].
///
/// Dropping it does not stop it: the run waits for its workers before it
/// counts as finished (unless it is cancelled).
pub struct Worker<R> {
    slot: Arc<Slot<R>>,
    ui: Ui,
}

impl<R> std::fmt::Debug for Worker<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl<R> Worker<R> {
    fn lock(&self) -> MutexGuard<'_, Option<Result<R, WorkerError>>> {
        lock(&self.slot.result)
    }

    /// Whether the worker has ended.
    pub fn is_finished(&self) -> bool {
        self.lock().is_some()
    }

    /// Wait for the worker's result.
    ///
    /// Waiting is a checkpoint: if the run is cancelled meanwhile, the waiting
    /// app code is unwound like at any other `Ui` call.
    pub fn join(self) -> Result<R, WorkerError> {
        let mut result = self.lock();
        loop {
            if let Some(result) = result.take() {
                return result;
            }
            if !self.ui.is_running() {
                drop(result);
                self.ui.checkpoint();
                return Err(WorkerError::Cancelled);
            }
            result = wait_timeout(&self.slot.done, result, Duration::from_millis(20)).0;
        }
    }
}

/// Start `job` bound to `ui`'s run, on a thread that `launch` provides.
fn start_worker<R, F>(ui: &Ui, job: F, launch: impl FnOnce(Box<dyn FnOnce() + Send>)) -> Worker<R>
where
    F: FnOnce(&Ui) -> R + Send + 'static,
    R: Send + 'static,
{
    let slot = Arc::new(Slot {
        result: Mutex::new(None),
        done: Condvar::new(),
    });
    let run = ui.run().clone();
    run.worker_started();
    let worker_ui = ui.clone();
    let worker_slot = slot.clone();
    launch(Box::new(move || {
        mark_owned_thread();
        let _async_context = async_runtime().enter();
        let result = if !worker_ui.is_running() {
            // Queued by a run that has since been cancelled or has ended
            // (an `Executor` job waiting for a thread): it is dropped before
            // it starts, so a shared pool does not spend its threads, and
            // other sessions' turns, on work nobody will see.
            Err(WorkerError::Cancelled)
        } else {
            let _current = CurrentGuard::set(&worker_ui);
            match catch(|| job(&worker_ui)) {
                Ok(value) => Ok(value),
                Err(Unwind::Rerun) => {
                    // `ui.rerun()` in a worker: no driver catches it here.
                    if let Some(session) = worker_ui.context_weak().upgrade() {
                        session.rerun_after(worker_ui.run());
                    }
                    Err(WorkerError::Cancelled)
                }
                Err(Unwind::Cancelled | Unwind::Stop) => Err(WorkerError::Cancelled),
                Err(Unwind::Panic(_)) if worker_ui.run().is_cancelled() => {
                    Err(WorkerError::Cancelled)
                }
                Err(Unwind::Panic(report)) => {
                    let message = report.message.clone();
                    let error = AppError {
                        message: format!("a worker panicked: {}", report.message),
                        ..report
                    };
                    // Shown where the worker draws; refused if the run is over.
                    let _ = catch(|| worker_ui.show_error(&error));
                    Err(WorkerError::Panicked(message))
                }
            }
        };
        *lock(&worker_slot.result) = Some(result);
        worker_slot.done.notify_all();
        worker_ui.run().worker_ended();
    }));
    Worker {
        slot,
        ui: ui.clone(),
    }
}

impl Ui {
    /// Start a worker thread bound to this run, drawing at this `Ui`'s place.
    ///
    /// - What the worker draws appears in the browser at once, while the app
    ///   goes on (no polling loop needed).
    /// - The run counts as finished only when its workers have.
    /// - When the run is cancelled (the person clicked something), the
    ///   worker's next `Ui` call stops it, and nothing it draws afterwards is
    ///   shown; loops without `Ui` calls can check [`Ui::is_running`].
    /// - A panic in the worker is shown as an error in its container.
    ///
    /// ```
    /// use brooklet::prelude::*;
    ///
    /// fn app(ui: &Ui) {
    ///     let slot = ui.container();
    ///     let worker = slot.spawn(|ui| {
    ///         ui.text("drawn by the worker");
    ///         6 * 7
    ///     });
    ///     let answer = worker.join().unwrap_or_default();
    ///     ui.text(format!("answer: {answer}"));
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert_eq!(at.text(), vec!["drawn by the worker", "answer: 42"]);
    /// ```
    pub fn spawn<R, F>(&self, job: F) -> Worker<R>
    where
        F: FnOnce(&Ui) -> R + Send + 'static,
        R: Send + 'static,
    {
        let Some((slot, stack_bytes)) = self.acquire_worker_slot() else {
            // The run has ended (or its session is gone): no thread starts.
            return Worker {
                slot: Arc::new(Slot {
                    result: Mutex::new(Some(Err(WorkerError::Cancelled))),
                    done: Condvar::new(),
                }),
                ui: self.clone(),
            };
        };
        start_worker(self, job, move |task| {
            // The slot is held by the thread and freed when the thread
            // ends, so a cancelled worker still sleeping keeps counting.
            let task = move || {
                let _slot = slot;
                task();
            };
            // The task reports its own end; if the thread cannot start, run
            // it here instead, so that the run still sees its worker end.
            let task = std::sync::Arc::new(Mutex::new(Some(task)));
            let for_thread = task.clone();
            let spawned = std::thread::Builder::new()
                .name("brooklet-worker".into())
                .stack_size(stack_bytes)
                .spawn(move || {
                    let job = lock(&for_thread).take();
                    if let Some(job) = job {
                        job();
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a worker thread; running the worker in place");
                let job = lock(&task).take();
                if let Some(job) = job {
                    job();
                }
            }
        })
    }

    /// Wait for a worker slot under `runner.max_workers_per_session` and
    /// `runner.max_workers`; the wait is a checkpoint (cancelled with the
    /// run) and the page shows it as the run's status meanwhile. Returns the
    /// slot and the stack size for the worker's thread.
    fn acquire_worker_slot(&self) -> Option<(crate::runtime::workers::WorkerSlot, usize)> {
        let session = self.session()?;
        let slots = session.shared().workers.clone();
        // Shown beside the run indicator while the spawn waits.
        let mut note = None;
        let slot = loop {
            match slots.try_acquire(session.tag()) {
                Ok(slot) => break slot,
                Err(full) => {
                    if note.is_none() {
                        tracing::debug!(session = %session.tag(), "{full}");
                        note = Some(self.status_note(full.to_string()));
                    }
                    if !self.is_running() {
                        drop(note);
                        self.checkpoint();
                        return None;
                    }
                    slots.wait_for_free(Duration::from_millis(50));
                }
            }
        };
        drop(note);
        Some((slot, session.shared().stack_bytes))
    }

    /// Run `future` to completion on Brooklet's async runtime and return its
    /// output. Waiting is a checkpoint: if the run is cancelled meanwhile,
    /// the future is dropped and the app code unwound.
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// use std::time::Duration;
    ///
    /// fn app(ui: &Ui) {
    ///     let value = ui.block_on(async {
    ///         tokio::time::sleep(Duration::from_millis(10)).await;
    ///         7
    ///     });
    ///     ui.text(format!("got {value}"));
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert_eq!(at.text(), vec!["got 7"]);
    /// ```
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.checkpoint();
        let run = self.run().clone();
        let output = async_runtime().block_on(async {
            tokio::select! {
                output = future => Some(output),
                _ = run.cancelled() => None,
            }
        });
        match output {
            Some(output) => output,
            None => {
                self.checkpoint();
                // Only reached on a thread Brooklet does not own whose run
                // has ended: there is no value to give back.
                panic!("{}", crate::Error::RunEnded)
            }
        }
    }

    /// A weak handle to this tab's session for background jobs that outlive
    /// the run; see [`SessionHandle`].
    pub fn session_handle(&self) -> SessionHandle {
        SessionHandle {
            session: self.context_weak(),
        }
    }
}

/// A pool of threads shared by every session, for work such as database
/// queries: at most `threads` jobs run at once, the others wait their turn.
/// Jobs are bound to the run that submitted them, like [`Ui::spawn`].
///
/// Keep one in a `static` (or in a `CacheResource`):
///
/// ```
/// use std::sync::LazyLock;
/// use brooklet::prelude::*;
/// use brooklet::threads::Executor;
///
/// static EXECUTOR: LazyLock<Executor> = LazyLock::new(|| Executor::new(4));
///
/// fn app(ui: &Ui) {
///     let slot = ui.container();
///     EXECUTOR.spawn(&slot, |ui| ui.text("done on the shared pool"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["done on the shared pool"]);
/// ```
#[derive(Clone)]
pub struct Executor {
    pool: ScriptPool,
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor").finish_non_exhaustive()
    }
}

impl Executor {
    /// A pool of at most `threads` threads (at least one).
    pub fn new(threads: usize) -> Executor {
        Executor {
            pool: ScriptPool::new(
                threads,
                crate::config::DEFAULT_STACK_BYTES,
                "brooklet-executor",
            ),
        }
    }

    /// Run `job` on the pool, bound to `ui`'s run and drawing at its place.
    pub fn spawn<R, F>(&self, ui: &Ui, job: F) -> Worker<R>
    where
        F: FnOnce(&Ui) -> R + Send + 'static,
        R: Send + 'static,
    {
        start_worker(ui, job, |task| self.pool.spawn(task))
    }
}

/// A weak, `'static` handle to one session, for work that outlives a run.
///
/// A background job holding it can store its result in session state and ask
/// its own session to rerun; once the session is gone (the tab closed and its
/// grace period passed) every call does nothing and says so. It never gives
/// access to another session, and it cannot draw: drawing belongs to runs.
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     if ui.button("Start").clicked() {
///         let handle = ui.session_handle();
///         std::thread::spawn(move || {
///             let answer = 42; // slow work here
///             handle.update_state(|state| state.set("answer", answer));
///             handle.rerun();
///         });
///     }
///     match ui.state().get::<i32>("answer") {
///         Some(answer) => ui.text(format!("answer: {answer}")),
///         None => ui.text("no answer yet"),
///     };
/// }
/// ```
#[derive(Clone, Debug)]
pub struct SessionHandle {
    session: Weak<SessionContext>,
}

impl SessionHandle {
    fn session(&self) -> Option<Arc<SessionContext>> {
        self.session.upgrade()
    }

    /// Whether the session still exists.
    pub fn is_alive(&self) -> bool {
        self.session.strong_count() > 0
    }

    /// Run `f` with the session's state; `false` when the session is gone.
    pub fn update_state(&self, f: impl FnOnce(&SessionState)) -> bool {
        match self.session() {
            Some(session) => {
                f(&session.state);
                true
            }
            None => false,
        }
    }

    /// Ask the session to rerun the app (as if the person had interacted);
    /// `false` when the session is gone or no tab is connected to it.
    pub fn rerun(&self) -> bool {
        match self.session() {
            Some(session) => session.request_rerun(),
            None => false,
        }
    }
}
