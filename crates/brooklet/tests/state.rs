//! State and flow, rule by rule: keyed widgets and session state, callbacks,
//! rerun/stop, forms, fragments, caching, query parameters.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use brooklet::cache::{CacheData, CacheResource};
use brooklet::prelude::*;
use brooklet::protocol::{Element, RunStatus};
use brooklet::testing::AppTest;

// ----- session state and keyed widgets -----

#[test]
fn a_keyed_widgets_value_is_readable_by_its_key() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.add(TextInput::new("Name").key("name"));
        ui.add(Selectbox::new("Color", &["Red", "Green"]).key("color"));
        let name: String = ui.state().get("name").unwrap_or_default();
        let color: String = ui.state().get("color").unwrap_or_default();
        ui.text(format!("{name}/{color}"));
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["/Red"]);
    at.text_input("Name").set_text("Ada");
    at.selectbox("Color").select("Green");
    at.run().expect("run");
    assert_eq!(at.text(), vec!["Ada/Green"]);
    assert_eq!(at.state().get::<String>("name").as_deref(), Some("Ada"));
}

#[test]
fn setting_a_keyed_widget_before_it_is_drawn_shows_the_value() {
    let mut at = AppTest::new(|ui: &Ui| {
        if ui.button("Reset").clicked() {
            ui.state().set("level", 7_i32);
        }
        let level = ui.add(Slider::new("Level", 0..=10).key("level"));
        ui.text(format!("level {level}"));
    });
    at.run().expect("run");
    at.slider("Level").set_number(2.0).run().expect("run");
    assert_eq!(at.text(), vec!["level 2"]);
    at.button("Reset").click().run().expect("run");
    assert_eq!(
        at.text(),
        vec!["level 7"],
        "the widget returns the value set"
    );
    assert_eq!(
        at.slider("Level").value(),
        serde_json::json!(7.0),
        "and shows it"
    );
    at.rerun().expect("rerun");
    assert_eq!(at.text(), vec!["level 7"], "the value sticks");
}

#[test]
fn setting_a_keyed_widget_after_it_is_drawn_is_a_clear_error() {
    let mut at = AppTest::new(|ui: &Ui| {
        let on = ui.add(Checkbox::new("On").key("on"));
        let result = ui.state().try_set("on", !on);
        ui.text(format!("{result:?}"));
        ui.state().set("on", true); // reported in the page
    });
    at.run().expect("run");
    assert!(
        at.text()[0].contains("WidgetAlreadyDrawn"),
        "{:?}",
        at.text()
    );
    let message = at.exceptions()[0].text().unwrap_or_default().to_owned();
    assert!(
        message.contains("`on`") && message.contains("before the widget is drawn"),
        "{message}"
    );
    // The checkbox on the page was drawn before the refused writes, so it
    // shows `false` either way; the state and the next run tell.
    assert_eq!(at.state().get::<bool>("on"), Some(false), "nothing changed");
    at.rerun().expect("rerun");
    assert_eq!(
        at.checkbox("On").value(),
        false,
        "the refused value did not reach the widget"
    );
}

#[test]
fn widget_state_not_drawn_by_a_finished_run_is_dropped() {
    let mut at = AppTest::new(|ui: &Ui| {
        if ui.checkbox("Show") {
            ui.add(TextInput::new("Note").key("note"));
        }
    });
    at.run().expect("run");
    at.checkbox("Show").check().run().expect("run");
    at.text_input("Note").set_text("hello").run().expect("run");
    assert_eq!(at.state().get::<String>("note").as_deref(), Some("hello"));
    at.checkbox("Show").uncheck().run().expect("run");
    assert!(!at.state().contains("note"), "the key went with its widget");
    at.checkbox("Show").check().run().expect("run");
    assert_eq!(at.text_input("Note").value(), "");
}

// ----- callbacks, rerun, stop -----

#[test]
fn callbacks_run_before_the_body_with_session_state() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.text(format!(
            "body sees {}",
            ui.state().get::<String>("log").unwrap_or_default()
        ));
        ui.add(TextInput::new("Name").key("name").on_change(|ui| {
            let name: String = ui.state().get("name").unwrap_or_default();
            ui.state().set("log", format!("changed to {name}"));
        }));
        let _ = ui.add(Button::new("Go").on_click(|ui| {
            let clicks = ui.state().update(
                "clicks",
                || 0_u32,
                |n| {
                    *n += 1;
                    *n
                },
            );
            ui.state().set("log", format!("clicked {clicks}"));
        }));
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["body sees "]);
    at.text_input("Name").set_text("Ada").run().expect("run");
    assert_eq!(
        at.text(),
        vec!["body sees changed to Ada"],
        "on_change ran first"
    );
    at.button("Go").click().run().expect("run");
    assert_eq!(at.text(), vec!["body sees clicked 1"], "on_click ran first");
    at.rerun().expect("run");
    // A second `on_click` would write "clicked 2"; a second `on_change`,
    // "changed to Ada".
    assert_eq!(
        at.text(),
        vec!["body sees clicked 1"],
        "callbacks run once per change"
    );
}

#[test]
fn rerun_restarts_and_stop_ends_the_run_as_complete() {
    let mut at = AppTest::new(|ui: &Ui| {
        let n: u32 = ui.state().get("n").unwrap_or(0);
        ui.text(format!("n = {n}"));
        if n < 2 {
            ui.state().set("n", n + 1);
            ui.rerun();
        }
        if ui.checkbox("Stop early") {
            ui.stop();
        }
        ui.text("the end");
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["n = 2", "the end"]);
    assert_eq!(at.statuses().last(), Some(&RunStatus::Complete));
    at.checkbox("Stop early").check().run().expect("run");
    assert_eq!(at.text(), vec!["n = 2"], "what came after stop() is gone");
    assert_eq!(at.statuses().last(), Some(&RunStatus::Complete));
}

// ----- forms -----

#[test]
fn forms_clear_on_submit_and_reject_mistakes() {
    let mut at = AppTest::new(|ui: &Ui| {
        Form::new("note").clear_on_submit(true).show(ui, |form| {
            let note = form.text_input("Note");
            if form.form_submit_button("Add") {
                ui.state()
                    .update("notes", Vec::<String>::new, |notes| notes.push(note));
            }
        });
        let notes: Vec<String> = ui.state().get("notes").unwrap_or_default();
        ui.text(format!("notes: {}", notes.join(", ")));
    });
    at.run().expect("run");
    at.text_input("Note").set_text("first");
    at.button("Add").click().run().expect("submit");
    assert_eq!(
        at.text(),
        vec!["notes: first"],
        "the submit run saw the value"
    );
    assert_eq!(
        at.text_input("Note").value(),
        "",
        "and the form was cleared"
    );

    let mut mistakes = AppTest::new(|ui: &Ui| {
        ui.form("outer", |form| {
            form.form("inner", |inner| inner.form_submit_button("Inner"));
            let _ = form.button("Plain");
            form.form_submit_button("Outer");
        });
        ui.form("empty", |form| form.text("no submit button"));
        ui.form_submit_button("Loose");
    });
    mistakes.run().expect("run");
    let messages: Vec<String> = mistakes
        .exceptions()
        .iter()
        .filter_map(|e| e.text().map(String::from))
        .collect();
    for expected in [
        "cannot be nested",
        "cannot be used inside form",
        "has no submit button",
        "must be inside a form",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "no {expected:?} in {messages:?}"
        );
    }
}

// ----- fragments -----

#[test]
fn fragment_runs_leave_the_app_alone_and_unused_fragments_are_dropped() {
    static FULL: AtomicUsize = AtomicUsize::new(0);
    static FRAGMENT: AtomicUsize = AtomicUsize::new(0);
    let mut at = AppTest::new(|ui: &Ui| {
        FULL.fetch_add(1, Ordering::SeqCst);
        if !ui.checkbox("Hide fragment") {
            ui.add(
                Fragment::new(|ui| {
                    FRAGMENT.fetch_add(1, Ordering::SeqCst);
                    let _ = ui.button("In fragment").clicked();
                })
                .run_every(Duration::from_millis(30)),
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    })
    .timeout(Duration::from_secs(5));
    at.run().expect("run");
    // `AppTest::run` waits for the run to end, so the click below arrives
    // between runs: whether a fragment event preempts a *running* full run
    // is checked over the WebSocket, in
    // `a_fragment_event_during_a_full_run_waits_for_it`.
    let statuses_before = at.statuses().len();
    at.button("In fragment")
        .click()
        .run()
        .expect("fragment rerun");
    assert!(at.statuses()[statuses_before..]
        .iter()
        .all(|s| *s == RunStatus::Complete));
    let full = FULL.load(Ordering::SeqCst);
    at.wait_for(|_| FRAGMENT.load(Ordering::SeqCst) >= 6)
        .expect("the timer ticks");
    assert_eq!(
        FULL.load(Ordering::SeqCst),
        full,
        "timer runs do not run the app"
    );

    at.checkbox("Hide fragment").check().run().expect("hide");
    let ticks = FRAGMENT.load(Ordering::SeqCst);
    let quiet = at.wait_for(|_| FRAGMENT.load(Ordering::SeqCst) > ticks);
    assert!(quiet.is_err(), "the dropped fragment's timer stopped");
    assert!(!at
        .elements()
        .iter()
        .any(|el| matches!(el, Element::Fragment { .. })));
}

// ----- caching -----

#[test]
fn eight_sessions_racing_for_a_missing_key_compute_it_once() {
    static COMPUTED: AtomicUsize = AtomicUsize::new(0);
    static START: std::sync::LazyLock<Barrier> = std::sync::LazyLock::new(|| Barrier::new(8));
    fn app(ui: &Ui) {
        START.wait();
        let value = CacheData::new("race").get(ui, &42, || {
            COMPUTED.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(200));
            "expensive".to_owned()
        });
        ui.text(value);
    }
    let sessions: Vec<_> = (0..8)
        .map(|_| {
            std::thread::spawn(|| {
                let mut at = AppTest::new(app).timeout(Duration::from_secs(10));
                at.run().expect("run");
                at.text()
            })
        })
        .collect();
    for session in sessions {
        assert_eq!(session.join().expect("session"), vec!["expensive"]);
    }
    assert_eq!(COMPUTED.load(Ordering::SeqCst), 1);
}

#[test]
fn ttl_expiry_max_entries_errors_and_clearing() {
    static COMPUTED: AtomicUsize = AtomicUsize::new(0);
    static KEPT: AtomicUsize = AtomicUsize::new(0);
    fn ttl_cache() -> CacheData {
        CacheData::new("ttl")
            .ttl(Duration::from_millis(100))
            .show_spinner(false)
    }
    // "Cached within the ttl" with a ttl no slow machine can outrun; the
    // short one above is only used to see an entry expire.
    fn long_ttl_cache() -> CacheData {
        CacheData::new("long ttl")
            .ttl(Duration::from_secs(600))
            .show_spinner(false)
    }
    fn small_cache() -> CacheData {
        CacheData::new("small").max_entries(3)
    }
    fn failing_cache() -> CacheData {
        CacheData::new("failing")
    }
    let mut at = AppTest::new(|ui: &Ui| {
        let n = ui.number_input("n", 0_u32);
        ttl_cache().get(ui, &(), || COMPUTED.fetch_add(1, Ordering::SeqCst));
        long_ttl_cache().get(ui, &(), || KEPT.fetch_add(1, Ordering::SeqCst));
        small_cache().get(ui, &n, || n * 2);
        let result = failing_cache().try_get(ui, &n, || if n == 0 { Err("no") } else { Ok(n) });
        ui.text(format!("{result:?}"));
    });
    at.run().expect("run");
    at.rerun().expect("run");
    assert_eq!(KEPT.load(Ordering::SeqCst), 1, "cached within the ttl");
    let computed = COMPUTED.load(Ordering::SeqCst);
    // moka measures the ttl on its own clock (no tokio time, no mock clock
    // outside moka's tests), so expiry needs a real wait.
    std::thread::sleep(Duration::from_millis(250));
    at.rerun().expect("run");
    assert_eq!(
        COMPUTED.load(Ordering::SeqCst),
        computed + 1,
        "recomputed after the ttl"
    );
    assert_eq!(KEPT.load(Ordering::SeqCst), 1);

    assert_eq!(at.text(), vec!["Err(\"no\")"]);
    assert_eq!(failing_cache().len(), 0, "an Err is not cached");
    for n in 1..=10 {
        at.number_input("n")
            .set_number(n as f64)
            .run()
            .expect("run");
    }
    assert!(
        small_cache().len() <= 3,
        "max_entries evicts: {}",
        small_cache().len()
    );
    small_cache().clear();
    assert!(small_cache().is_empty());
    assert!(brooklet::cache::clear_named("failing") >= 1);
}

#[test]
fn cache_resource_shares_one_arc_and_validates_on_hit() {
    struct Connection {
        open: std::sync::atomic::AtomicBool,
    }
    static CREATED: AtomicUsize = AtomicUsize::new(0);
    let seen: Arc<std::sync::Mutex<Vec<usize>>> = Arc::default();
    let record = seen.clone();
    let app = move |ui: &Ui| {
        let connection = CacheResource::new("connection").get_validated(
            ui,
            &(),
            || {
                CREATED.fetch_add(1, Ordering::SeqCst);
                Connection { open: true.into() }
            },
            |c| c.open.load(Ordering::SeqCst),
        );
        record
            .lock()
            .expect("lock")
            .push(Arc::as_ptr(&connection) as usize);
        if ui.button("Close").clicked() {
            connection.open.store(false, Ordering::SeqCst);
        }
    };
    let mut one = AppTest::new(app.clone());
    let mut two = AppTest::new(app);
    one.run().expect("run");
    two.run().expect("run");
    let ptrs = seen.lock().expect("lock").clone();
    assert_eq!(ptrs[0], ptrs[1], "both sessions share one resource");
    assert_eq!(CREATED.load(Ordering::SeqCst), 1);
    one.button("Close").click().run().expect("close");
    two.rerun().expect("rerun");
    assert_eq!(
        CREATED.load(Ordering::SeqCst),
        2,
        "an invalid resource is created anew"
    );
}

// ----- query params -----

#[test]
fn query_params_come_from_the_url_and_go_back_to_it() {
    let mut at = AppTest::new(|ui: &Ui| {
        let params = ui.query_params();
        let city = params.get("city").unwrap_or_else(|| "none".into());
        ui.text(format!("city {city}"));
        if ui.button("Go to Lima").clicked() {
            params.set("city", "Lima");
            params.set_all("tag", ["a", "b"]);
        }
    })
    .query("city=S%C3%A3o+Paulo");
    at.run().expect("run");
    assert_eq!(at.text(), vec!["city São Paulo"]);
    at.button("Go to Lima").click().run().expect("run");
    assert_eq!(
        at.query_params(),
        vec![
            ("city".to_owned(), "Lima".to_owned()),
            ("tag".to_owned(), "a".to_owned()),
            ("tag".to_owned(), "b".to_owned())
        ]
    );
    at.rerun().expect("run");
    assert_eq!(at.text(), vec!["city Lima"]);
}

// ----- regressions from review -----

#[test]
fn an_on_click_that_reruns_runs_once_per_press() {
    let mut at = AppTest::new(|ui: &Ui| {
        let _ = ui.add(Button::new("Go").on_click(|ui| {
            ui.state().update("clicks", || 0_u32, |n| *n += 1);
            ui.rerun();
        }));
        let clicks: u32 = ui.state().get("clicks").unwrap_or(0);
        ui.text(format!("clicks {clicks}"));
    });
    at.run().expect("run");
    at.button("Go")
        .click()
        .run()
        .expect("a callback that reruns does not loop");
    assert_eq!(at.text(), vec!["clicks 1"]);
}

#[test]
fn keyed_widgets_can_be_set_between_runs() {
    let mut at = AppTest::new(|ui: &Ui| {
        let level = ui.add(Slider::new("Level", 0..=10).key("level"));
        ui.text(format!("level {level}"));
    });
    at.run().expect("run");
    at.state().set("level", 9_i32);
    at.rerun().expect("rerun");
    assert_eq!(
        at.text(),
        vec!["level 9"],
        "a value set between runs is not refused"
    );
}

#[test]
fn a_panic_in_a_fragment_run_is_shown_in_the_fragment() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.text("outside");
        ui.fragment(|ui| {
            if ui.button("Break").clicked() {
                panic!("fragment broke");
            }
        });
    });
    at.run().expect("run");
    at.button("Break").click().run().expect("fragment run");
    assert_eq!(at.statuses().last(), Some(&RunStatus::Error));
    let messages: Vec<String> = at
        .exceptions()
        .iter()
        .filter_map(|e| e.text().map(String::from))
        .collect();
    assert_eq!(messages, vec!["fragment broke"]);
    assert_eq!(at.text(), vec!["outside"]);
}

#[test]
fn rerun_in_an_on_change_callback_reruns_once_instead_of_looping() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.add(TextInput::new("Name").key("name").on_change(|ui| {
            ui.state().update("changes", || 0_u32, |n| *n += 1);
            ui.rerun();
        }));
        let changes: u32 = ui.state().get("changes").unwrap_or(0);
        ui.text(format!("changes: {changes}"));
    })
    .timeout(Duration::from_secs(2));
    at.run().expect("run");
    at.text_input("Name")
        .set_text("Ada")
        .run()
        .expect("the rerun ends instead of looping");
    assert_eq!(at.text(), vec!["changes: 1"]);
}
