//! The threading guarantees, headlessly: workers bound to their run, leaks
//! refused, cancellation reaching workers, session handles, async waits.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use brooklet::prelude::*;
use brooklet::protocol::{Element, RunStatus};
use brooklet::testing::AppTest;
use brooklet::threads::WorkerError;
use brooklet::Error;

/// Poll `condition` for up to ten seconds.
fn eventually(condition: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    condition()
}

#[test]
fn spawned_workers_draw_in_their_container_and_return_values() {
    let mut at = AppTest::new(|ui: &Ui| {
        let top = ui.container();
        let bottom = ui.container();
        let a = bottom.spawn(|ui| {
            ui.text("bottom");
            1
        });
        let b = top.spawn(|ui| {
            ui.text("top");
            2
        });
        let sum = a.join().unwrap_or(0) + b.join().unwrap_or(0);
        ui.text(format!("sum {sum}"));
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["top", "bottom", "sum 3"]);
}

#[test]
fn the_run_ends_only_when_its_workers_have() {
    let mut at = AppTest::new(|ui: &Ui| {
        let slot = ui.container();
        // Not joined: the run still waits for it.
        slot.spawn(|ui| {
            std::thread::sleep(Duration::from_millis(100));
            ui.text("late but part of the run");
        });
        ui.text("main done");
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["late but part of the run", "main done"]);
    assert_eq!(at.statuses(), &[RunStatus::Complete]);
}

#[test]
fn concurrent_workers_keep_each_containers_order() {
    let mut at = AppTest::new(|ui: &Ui| {
        let workers: Vec<Worker<()>> = (0..6)
            .map(|i| {
                ui.container().spawn(move |ui| {
                    for j in 0..50 {
                        ui.text(format!("{i}:{j}"));
                    }
                })
            })
            .collect();
        for worker in workers {
            let _ = worker.join();
        }
    });
    at.run().expect("run");
    let expected: Vec<String> = (0..6)
        .flat_map(|i| (0..50).map(move |j| format!("{i}:{j}")))
        .collect();
    assert_eq!(
        at.text(),
        expected,
        "each container in order, containers in page order"
    );
}

#[test]
fn a_worker_panic_is_shown_in_its_container_and_join_reports_it() {
    let mut at = AppTest::new(|ui: &Ui| {
        let slot = ui.container();
        let worker = slot.spawn(|_ui| -> u32 { panic!("worker exploded") });
        match worker.join() {
            Err(WorkerError::Panicked(message)) => ui.text(format!("join: {message}")),
            other => ui.text(format!("unexpected: {other:?}")),
        };
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["join: worker exploded"]);
    let exception = at.exceptions()[0].clone();
    let Element::Exception {
        message, location, ..
    } = exception
    else {
        unreachable!()
    };
    assert!(message.contains("worker exploded"), "{message}");
    assert!(location.unwrap_or_default().contains("threads.rs"));
    assert_eq!(
        at.statuses(),
        &[RunStatus::Complete],
        "a worker's panic does not fail the run"
    );
}

#[test]
fn a_leaked_ui_returns_an_error_and_reaches_no_run_or_session() {
    let leaked: Arc<Mutex<Option<Ui>>> = Arc::default();
    let keep = leaked.clone();
    let app = move |ui: &Ui| {
        keep.lock().expect("lock").get_or_insert_with(|| ui.clone());
        ui.text("own");
    };
    let mut first = AppTest::new(app.clone());
    let mut second = AppTest::new(app);
    first.run().expect("run");
    second.run().expect("run");
    let old = leaked.lock().expect("lock").clone().expect("kept");

    // From this thread and from another: refused, with an error to say so.
    assert!(matches!(old.text("leak").result(), Err(Error::RunEnded)));
    let from_thread = std::thread::spawn({
        let old = old.clone();
        move || old.text("leak from thread").result()
    });
    assert!(matches!(
        from_thread.join().expect("thread"),
        Err(Error::RunEnded)
    ));
    assert!(
        old.state().keys().is_empty(),
        "no access to the session's state either"
    );
    old.state().set("planted", 1);

    first.rerun().expect("rerun");
    second.rerun().expect("rerun");
    for at in [&first, &second] {
        assert_eq!(at.text(), vec!["own"]);
        assert!(!at.state().contains("planted"));
    }
}

#[test]
fn cancellation_stops_workers_at_their_next_ui_call() {
    static STOPPED: AtomicUsize = AtomicUsize::new(0);
    struct CountOnDrop;
    impl Drop for CountOnDrop {
        fn drop(&mut self) {
            STOPPED.fetch_add(1, Ordering::SeqCst);
        }
    }
    let mut at = AppTest::new(|ui: &Ui| {
        for _ in 0..3 {
            ui.container().spawn(|ui| {
                let _guard = CountOnDrop;
                loop {
                    ui.checkpoint();
                    std::thread::sleep(Duration::from_millis(1));
                }
            });
        }
    })
    .timeout(Duration::from_millis(300));
    let error = at.run().expect_err("the workers never end on their own");
    assert!(matches!(error, Error::Timeout(_)));
    // The timeout stopped the run; that cancels it and unwinds the workers.
    assert!(
        eventually(|| STOPPED.load(Ordering::SeqCst) == 3),
        "all three workers stopped"
    );
}

#[test]
fn is_running_serves_loops_without_ui_calls() {
    static SAW_CANCEL: AtomicBool = AtomicBool::new(false);
    let mut at = AppTest::new(|ui: &Ui| {
        let ui2 = ui.clone();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                while ui2.is_running() {
                    std::hint::spin_loop();
                }
                SAW_CANCEL.store(true, Ordering::SeqCst);
            });
        });
    })
    .timeout(Duration::from_millis(200));
    assert!(at.run().is_err());
    assert!(eventually(|| SAW_CANCEL.load(Ordering::SeqCst)));
}

#[test]
fn block_on_is_cancelled_with_the_run() {
    static FINISHED: AtomicBool = AtomicBool::new(false);
    let mut at = AppTest::new(|ui: &Ui| {
        if ui.checkbox("Wait") {
            ui.block_on(tokio::time::sleep(Duration::from_secs(30)));
            FINISHED.store(true, Ordering::SeqCst);
        }
        ui.text("ready");
    })
    .timeout(Duration::from_millis(300));
    at.run().expect("run");
    let started = Instant::now();
    at.checkbox("Wait").check();
    assert!(at.run().is_err(), "a 30 s wait is over the timeout");
    let mut at = at.timeout(Duration::from_secs(10));
    at.checkbox("Wait")
        .uncheck()
        .run()
        .expect("the session works again");
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "the wait was cut short"
    );
    assert!(!FINISHED.load(Ordering::SeqCst));
    assert_eq!(at.text(), vec!["ready"]);
}

#[test]
fn session_handles_store_results_rerun_and_go_inert() {
    let handles: Arc<Mutex<Vec<SessionHandle>>> = Arc::default();
    let keep = handles.clone();
    let mut at = AppTest::new(move |ui: &Ui| {
        keep.lock().expect("lock").push(ui.session_handle());
        let n: u32 = ui.state().get("n").unwrap_or(0);
        ui.text(format!("n = {n}"));
    });
    at.run().expect("run");
    let handle = handles.lock().expect("lock")[0].clone();
    let job = std::thread::spawn({
        let handle = handle.clone();
        move || {
            assert!(handle.update_state(|state| state.set("n", 7_u32)));
            assert!(handle.rerun());
        }
    });
    job.join().expect("job");
    at.wait_for(|at| at.text() == vec!["n = 7"])
        .expect("the handle's rerun");
    assert!(handle.is_alive());

    drop(at);
    assert!(
        eventually(|| !handle.is_alive()),
        "the session is gone with its test"
    );
    assert!(!handle.rerun());
    assert!(!handle.update_state(|_| panic!("never called for a gone session")));
}

#[test]
fn the_executor_runs_jobs_on_a_shared_bounded_pool() {
    static EXECUTOR: std::sync::LazyLock<Executor> = std::sync::LazyLock::new(|| Executor::new(2));
    static RUNNING: AtomicUsize = AtomicUsize::new(0);
    static MOST: AtomicUsize = AtomicUsize::new(0);
    let app = |ui: &Ui| {
        let workers: Vec<Worker<usize>> = (0..6)
            .map(|i| {
                EXECUTOR.spawn(&ui.container(), move |ui| {
                    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                    MOST.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    RUNNING.fetch_sub(1, Ordering::SeqCst);
                    ui.text(format!("job {i}"));
                    i
                })
            })
            .collect();
        let total: usize = workers.into_iter().map(|w| w.join().unwrap_or(0)).sum();
        ui.text(format!("total {total}"));
    };
    let mut one = AppTest::new(app);
    let mut two = AppTest::new(app);
    let a = std::thread::spawn(move || {
        one.run().expect("run");
        one.text()
    });
    two.run().expect("run");
    let texts = a.join().expect("thread");
    assert_eq!(texts.last().map(String::as_str), Some("total 15"));
    assert_eq!(two.text().last().map(String::as_str), Some("total 15"));
    assert!(
        MOST.load(Ordering::SeqCst) <= 2,
        "never more than two jobs at once across sessions"
    );
}

#[test]
fn rerun_from_a_worker_reruns_the_app_once_per_call() {
    let mut at = AppTest::new(|ui: &Ui| {
        let n: u32 = ui.state().get("n").unwrap_or(0);
        ui.text(format!("n = {n}"));
        if n < 3 {
            let _ = ui
                .spawn(move |ui| {
                    ui.state().set("n", n + 1);
                    ui.rerun();
                })
                .join();
            ui.text("not reached: the worker's rerun cancelled this run");
        }
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["n = 3"]);
}

#[test]
fn rerun_of_a_finished_run_changes_nothing() {
    let kept: Arc<Mutex<Option<Ui>>> = Arc::default();
    let keep = kept.clone();
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let mut at = AppTest::new(move |ui: &Ui| {
        counted.fetch_add(1, Ordering::SeqCst);
        keep.lock().expect("lock").get_or_insert_with(|| ui.clone());
        ui.text("drawn");
    });
    at.run().expect("run");
    let old = kept.lock().expect("lock").clone().expect("kept");
    // From a thread Brooklet does not run, a stale Ui's rerun is refused:
    // it ends the calling code and asks for nothing.
    let outcome = std::thread::spawn(move || old.rerun()).join();
    assert!(outcome.is_err(), "rerun never returns");
    // A requested rerun would start at once; give it time to show.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(runs.load(Ordering::SeqCst), 1, "no rerun was requested");
}

#[test]
fn rerun_from_a_worker_of_a_failed_run_changes_nothing() {
    // A run that panics does not wait for its workers; one that calls
    // `ui.rerun()` afterwards belongs to an ended run and asks for nothing.
    static RELEASE: AtomicBool = AtomicBool::new(false);
    static RERAN: AtomicBool = AtomicBool::new(false);
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let mut at = AppTest::new(move |ui: &Ui| {
        if counted.fetch_add(1, Ordering::SeqCst) > 0 {
            return;
        }
        let _worker = ui.spawn(|ui| {
            while !RELEASE.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
            RERAN.store(true, Ordering::SeqCst);
            ui.rerun();
        });
        panic!("the run fails while its worker waits");
    });
    at.run().expect("run");
    assert_eq!(at.statuses().last(), Some(&RunStatus::Error));
    RELEASE.store(true, Ordering::SeqCst);
    assert!(
        eventually(|| RERAN.load(Ordering::SeqCst)),
        "the worker called rerun"
    );
    // A requested rerun would start at once; give it time to show.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(runs.load(Ordering::SeqCst), 1, "no rerun was requested");
}

#[test]
fn executor_jobs_of_a_cancelled_run_are_dropped_before_they_start() {
    // One thread, held by a job; three more jobs queue behind it; then their
    // run is cancelled (here by `ui.rerun()`). Before, the queued jobs still
    // ran their bodies once the thread was free.
    static EXECUTOR: std::sync::LazyLock<Executor> = std::sync::LazyLock::new(|| Executor::new(1));
    static RELEASE: AtomicBool = AtomicBool::new(false);
    static STARTED: AtomicUsize = AtomicUsize::new(0);
    let mut at = AppTest::new(|ui: &Ui| {
        if ui.state().get::<bool>("second").unwrap_or(false) {
            RELEASE.store(true, Ordering::SeqCst);
            // Queued after the three: when it has run, they have had their turn.
            let marker = EXECUTOR.spawn(ui, |_| ());
            assert!(marker.join().is_ok());
            ui.text("second run");
            return;
        }
        let _holder = EXECUTOR.spawn(ui, |_| {
            while !RELEASE.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        for _ in 0..3 {
            let _queued = EXECUTOR.spawn(ui, |_| {
                STARTED.fetch_add(1, Ordering::SeqCst);
            });
        }
        ui.state().set("second", true);
        ui.rerun();
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["second run"]);
    assert_eq!(
        STARTED.load(Ordering::SeqCst),
        0,
        "no job of the cancelled run started"
    );
}

#[test]
fn executor_threads_have_names_of_their_own() {
    static EXECUTOR: std::sync::LazyLock<Executor> = std::sync::LazyLock::new(|| Executor::new(1));
    let mut at = AppTest::new(|ui: &Ui| {
        let name = EXECUTOR
            .spawn(ui, |_| std::thread::current().name().map(str::to_owned))
            .join();
        ui.text(format!("{name:?}"));
    });
    at.run().expect("run");
    let shown = at.text().join("");
    assert!(shown.contains("brooklet-executor-"), "{shown}");
}
