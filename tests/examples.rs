//! The examples, driven headlessly with `AppTest`: what they show, and how
//! they react to clicks and typing.

#[path = "../examples/counter.rs"]
mod counter;
#[path = "../examples/hello.rs"]
mod hello;
#[path = "../examples/slow.rs"]
mod slow;
#[path = "../examples/widgets.rs"]
mod widgets;

use std::time::Duration;

use brooklet::protocol::{Element, RunStatus};
use brooklet::testing::AppTest;

#[test]
fn hello_greets_by_name_after_greet() {
    let mut at = AppTest::new(hello::app);
    at.run().expect("first run");
    assert_eq!(at.title(), vec!["Hello, Brooklet"]);
    assert_eq!(at.text_input("Your name").value(), "world");
    assert!(at.markdown().is_empty(), "no greeting before Greet");

    at.button("Greet").click().run().expect("greet");
    assert_eq!(at.markdown(), vec!["Hello, world!"]);

    at.text_input("Your name")
        .set_text("Ada")
        .run()
        .expect("type");
    assert!(
        at.markdown().is_empty(),
        "the greeting belongs to the run of the click"
    );
    at.button("Greet").click().run().expect("greet again");
    assert_eq!(at.markdown(), vec!["Hello, Ada!"]);
}

#[test]
fn counter_counts_clicks_in_session_state() {
    let mut at = AppTest::new(counter::app);
    at.run().expect("first run");
    assert_eq!(at.text(), vec!["Count: 0"]);
    for expected in 1..=3 {
        at.button("Increment").click().run().expect("click");
        assert_eq!(at.text(), vec![format!("Count: {expected}")]);
    }
    assert_eq!(at.state().get::<i64>("count"), Some(3));
    at.rerun().expect("rerun without a click");
    assert_eq!(at.text(), vec!["Count: 3"]);
}

#[test]
fn sessions_do_not_share_state() {
    let mut first = AppTest::new(counter::app);
    let mut second = AppTest::new(counter::app);
    first.run().expect("run");
    second.run().expect("run");
    first.button("Increment").click().run().expect("click");
    second.rerun().expect("rerun");
    assert_eq!(first.text(), vec!["Count: 1"]);
    assert_eq!(second.text(), vec!["Count: 0"]);
}

#[test]
fn slow_shows_fifty_lines_once_each() {
    let mut at = AppTest::new(slow::app).timeout(Duration::from_secs(20));
    at.run().expect("run");
    let lines = at.text();
    assert_eq!(lines.len(), 50);
    assert_eq!(lines.first().map(String::as_str), Some("line 1"));
    assert_eq!(lines.last().map(String::as_str), Some("line 50"));
}

#[test]
fn a_run_over_the_timeout_is_an_error_and_is_stopped() {
    let mut at = AppTest::new(slow::app).timeout(Duration::from_millis(300));
    let error = at.run().expect_err("five seconds is over the timeout");
    assert!(matches!(error, brooklet::Error::Timeout(_)), "{error}");
    assert!(error.to_string().contains("did not finish"), "{error}");
}

#[test]
fn widgets_shows_every_element_kind() {
    let mut at = AppTest::new(widgets::app).timeout(Duration::from_secs(20));
    at.run().expect("run");
    let kinds: std::collections::BTreeSet<&str> =
        at.elements().iter().map(|el| el.kind()).collect();
    for kind in [
        "title",
        "header",
        "subheader",
        "markdown",
        "text",
        "caption",
        "code",
        "divider",
        "json",
        "metric",
        "table",
        "dataframe",
        "alert",
        "exception",
        "progress",
        "container",
        "columns",
        "column",
        "expander",
        "tabs",
        "tab",
        "button",
        "checkbox",
        "toggle",
        "text_input",
        "text_area",
        "number_input",
        "slider",
        "selectbox",
        "multiselect",
        "radio",
    ] {
        assert!(
            kinds.contains(kind),
            "no {kind} element; there are {kinds:?}"
        );
    }
    assert_eq!(at.statuses(), &[RunStatus::Complete]);
    // The exception shown is the deliberate one, not a bug.
    assert_eq!(at.exceptions().len(), 1);
    // The overwritten slot holds its last element only.
    assert!(at.text().contains(&"…and now holds this.".to_string()));
    assert!(!at
        .text()
        .contains(&"This slot was overwritten…".to_string()));
    // The spinner is gone after its work.
    assert!(!at
        .elements()
        .iter()
        .any(|el| matches!(el, Element::Spinner { .. })));
}

#[test]
fn widgets_report_their_values() {
    let mut at = AppTest::new(widgets::app).timeout(Duration::from_secs(20));
    at.run().expect("run");
    at.checkbox("Check me").check();
    at.slider("Integer slider").set_number(7.0);
    at.slider("Range slider").set_range(20.0, 30.0);
    at.selectbox("Select box").select("Blue");
    at.multiselect("Multiselect")
        .set_selected(&["Basil", "Cheese"]);
    at.number_input("Whole number").set_number(99.0); // clamped to max 10
    at.text_input("Text input").set_text("typed");
    at.run().expect("rerun");
    let captions = at.texts("caption");
    for expected in [
        "value: true",
        "value: 7",
        "value: (20, 30)",
        "value: \"Blue\"",
        "value: [\"Basil\", \"Cheese\"]",
        "value: 10",
        "value: \"typed\"",
    ] {
        assert!(
            captions.iter().any(|c| c == expected),
            "no caption {expected:?} in {captions:?}"
        );
    }
    assert_eq!(at.checkbox("Check me").value(), true);
}
