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

use brooklet::prelude::Ui;
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
    let expected: Vec<String> = (1..=50).map(|i| format!("line {i}")).collect();
    assert_eq!(at.text(), expected, "every line once, in order");
}

#[test]
fn a_run_over_the_timeout_is_an_error_and_is_stopped() {
    let mut at = AppTest::new(slow::app).timeout(Duration::from_millis(300));
    let error = at.run().expect_err("five seconds is over the timeout");
    assert!(matches!(error, brooklet::Error::Timeout(_)), "{error}");
    assert!(error.to_string().contains("did not finish"), "{error}");
    // Stopped: the run ends at its next line as `stopped`, long before the
    // fifty lines would have been drawn.
    let mut at = at.timeout(Duration::from_secs(2));
    at.wait_for(|at| at.statuses().last() == Some(&RunStatus::Stopped))
        .expect("the run was stopped");
    assert!(at.text().len() < 50, "{} lines", at.text().len());
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

#[path = "../examples/async_io.rs"]
mod async_io;
#[path = "../examples/background_job.rs"]
mod background_job;
#[path = "../examples/executor.rs"]
mod executor;
#[path = "../examples/parallel_cpu.rs"]
mod parallel_cpu;
#[path = "../examples/threads_batched.rs"]
mod threads_batched;
#[path = "../examples/threads_live.rs"]
mod threads_live;

/// `(start, end)` from "start: <s>, end: <s>".
fn parse_times(text: &str) -> (f64, f64) {
    let rest = text.strip_prefix("start: ").expect("starts with start:");
    let (start, end) = rest.split_once(", end: ").expect("has end:");
    (
        start.parse().expect("start number"),
        end.parse().expect("end number"),
    )
}

/// Headers "Thread i" each followed by one "start/end" result, in page order.
fn thread_results(at: &AppTest) -> Vec<(String, f64, f64)> {
    let mut out = Vec::new();
    let mut header = None;
    for el in at.elements() {
        match el {
            Element::Header { text, .. } => header = Some(text.clone()),
            Element::Markdown { text, .. } if text.starts_with("start: ") => {
                let (start, end) = parse_times(text);
                out.push((header.clone().expect("a header first"), start, end));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn threads_batched_shows_every_result_after_the_join() {
    let mut at = AppTest::new(threads_batched::app).timeout(Duration::from_secs(30));
    at.run().expect("run");
    let results = thread_results(&at);
    assert_eq!(results.len(), 5, "{results:?}");
    for (i, (header, start, end)) in results.iter().enumerate() {
        assert_eq!(header, &format!("Thread {i}"));
        assert!(
            end - start >= threads_batched::DELAYS[i] as f64 - 0.01,
            "{header}: {start} → {end}"
        );
    }
    assert!(at.find("Rerun").is_some(), "the Rerun button is drawn");
}

#[test]
fn threads_live_workers_write_into_their_own_containers() {
    let mut at = AppTest::new(threads_live::app).timeout(Duration::from_secs(30));
    at.run().expect("run");
    let results = thread_results(&at);
    assert_eq!(results.len(), 5, "{results:?}");
    for (i, (header, start, end)) in results.iter().enumerate() {
        assert_eq!(
            header,
            &format!("Thread {i}"),
            "each result sits under its own header"
        );
        assert!(end - start >= threads_live::DELAYS[i] as f64 - 0.01);
    }
    // Shorter work finished first: Thread 4, then 3, 2, 1, 0.
    let ends: Vec<f64> = results.iter().map(|r| r.2).collect();
    assert!(ends.windows(2).all(|w| w[0] > w[1]), "{ends:?}");
    assert_eq!(at.statuses(), &[RunStatus::Complete]);
    assert!(at.find("Rerun").is_some(), "the Rerun button is drawn");
}

#[test]
fn executor_shows_every_query_result() {
    let mut at = AppTest::new(executor::app).timeout(Duration::from_secs(60));
    at.run().expect("run");
    let tables: Vec<&Element> = at
        .elements()
        .into_iter()
        .filter(|el| el.kind() == "table")
        .collect();
    assert_eq!(tables.len(), executor::QUERIES.len(), "one table per query");
    let Element::Table { columns, rows, .. } = tables[3] else {
        unreachable!()
    };
    assert_eq!(columns, &vec!["orders".to_string()]);
    assert_eq!(rows[0][0], serde_json::json!("100000"));
    let Element::Table { rows, .. } = tables[1] else {
        unreachable!()
    };
    assert_eq!(rows.len(), 5, "five products");
    assert!(at.exceptions().is_empty());
}

#[test]
fn async_io_shows_each_answer() {
    let mut at = AppTest::new(async_io::app).timeout(Duration::from_secs(20));
    at.run().expect("run");
    let answers = at.texts("alert");
    assert_eq!(answers.len(), 5, "{answers:?}");
    for (_, text) in async_io::REQUESTS {
        assert!(
            answers.iter().any(|a| a.starts_with(&text.to_uppercase())),
            "{text} in {answers:?}"
        );
    }
}

#[test]
fn parallel_cpu_counts_primes_on_all_threads() {
    let mut at = AppTest::new(parallel_cpu::app).timeout(Duration::from_secs(60));
    at.run().expect("run");
    let primes = at
        .elements()
        .into_iter()
        .find_map(|el| match el {
            Element::Metric { label, value, .. } if label == "Primes found" => Some(value.clone()),
            _ => None,
        })
        .expect("a primes metric");
    assert_eq!(primes, "78498", "primes below one million");
    assert!(
        matches!(at.elements().iter().find(|el| el.kind() == "progress"), Some(Element::Progress { value, .. }) if *value == 1.0)
    );
}

#[test]
fn background_job_reports_through_its_session_handle() {
    let mut at = AppTest::new(background_job::app).timeout(Duration::from_secs(20));
    at.run().expect("run");
    assert_eq!(at.texts("caption"), vec!["No result yet."]);
    at.button("Start job").click().run().expect("start");
    assert!(at
        .texts("alert")
        .iter()
        .any(|t| t.starts_with("Job running")));
    at.wait_for(|at| at.texts("alert").iter().any(|t| t.starts_with("Result: ")))
        .expect("the job reran the session");
    assert!(!at
        .texts("alert")
        .iter()
        .any(|t| t.starts_with("Job running")));
}

#[path = "../examples/cache.rs"]
mod cache;
#[path = "../examples/form.rs"]
mod form;
#[path = "../examples/fragments.rs"]
mod fragments;

fn text_starting(at: &AppTest, prefix: &str) -> String {
    at.text()
        .into_iter()
        .find(|t| t.starts_with(prefix))
        .unwrap_or_else(|| panic!("no text starting {prefix:?} in {:?}", at.text()))
}

#[test]
fn fragments_rerun_without_the_app() {
    let mut at = AppTest::new(fragments::app).timeout(Duration::from_secs(10));
    at.run().expect("run");
    assert_eq!(text_starting(&at, "Full runs"), "Full runs: 1");
    assert_eq!(text_starting(&at, "Fragment clicks"), "Fragment clicks: 0");
    assert!(at.button("Fragment click").in_fragment());

    at.button("Fragment click")
        .click()
        .run()
        .expect("fragment run");
    assert_eq!(text_starting(&at, "Fragment clicks"), "Fragment clicks: 1");
    assert_eq!(
        text_starting(&at, "Full runs"),
        "Full runs: 1",
        "the fragment ran alone"
    );

    // The clock ticks by itself.
    let before = text_starting(&at, "Time: ");
    at.wait_for(|at| text_starting(at, "Time: ") != before)
        .expect("the clock ticks");
    assert_eq!(text_starting(&at, "Full runs"), "Full runs: 1");
    assert_eq!(text_starting(&at, "Fragment clicks"), "Fragment clicks: 1");
}

#[test]
fn form_sends_nothing_until_save() {
    let mut at = AppTest::new(form::app);
    at.run().expect("run");
    assert!(at.text_input("Title").in_form());
    at.text_input("Title").set_text("Dune");
    at.slider("Rating").set_number(5.0);
    at.run().expect("a rerun without submit");
    assert!(at.text().is_empty(), "nothing saved before Save");
    assert_eq!(
        at.text_input("Title").value(),
        "",
        "the change was held back"
    );

    at.button("Save").click().run().expect("submit");
    assert_eq!(at.text(), vec!["Saved: Dune (5)"]);
    at.text_input("Title").set_text("Emma");
    at.button("Save").click().run().expect("submit again");
    assert_eq!(at.text(), vec!["Saved: Emma (5)"]);
}

#[test]
fn cache_loads_once_for_every_session() {
    let mut first = AppTest::new(cache::app).timeout(Duration::from_secs(20));
    first.run().expect("run");
    assert!(text_starting(&first, "Loaded ").starts_with("Loaded 10000 rows in "));
    let mut second = AppTest::new(cache::app).timeout(Duration::from_secs(20));
    let started = std::time::Instant::now();
    second.run().expect("run");
    assert!(
        started.elapsed() < cache::LOAD_TIME,
        "the second session got the cached rows"
    );
    assert!(text_starting(&second, "Loaded ").starts_with("Loaded 10000 rows in "));
    assert_eq!(cache::rows_cache().len(), 1);
    second
        .button("Clear cache")
        .click()
        .run()
        .expect("clear and reload");
    // The entry count is 1 whether or not the clear happened; the time the
    // load took is not.
    let loaded = text_starting(&second, "Loaded ");
    let ms: u128 = loaded
        .trim_end_matches(" ms")
        .rsplit(' ')
        .next()
        .and_then(|ms| ms.parse().ok())
        .unwrap_or_else(|| panic!("no time in {loaded:?}"));
    assert!(
        ms >= cache::LOAD_TIME.as_millis(),
        "the clear forced a slow reload: {loaded}"
    );
    assert_eq!(cache::rows_cache().len(), 1, "reloaded after the clear");
}

#[path = "../examples/dataframe.rs"]
mod dataframe;
#[path = "../examples/editor.rs"]
mod editor;
#[path = "../examples/gallery.rs"]
mod gallery;

/// The names of the element kinds (`Element::kind`) or widget kinds
/// (`WidgetKind::name`) in the protocol's source: the string of each arm of
/// the match in the function that starts with `signature`. Read from the
/// source so that a new kind fails `gallery_shows_every_kind` until the
/// gallery shows it.
fn kind_names(signature: &str) -> Vec<&'static str> {
    const PROTOCOL: &str = include_str!("../crates/brooklet/src/protocol/mod.rs");
    let body = PROTOCOL
        .split_once(signature)
        .unwrap_or_else(|| panic!("no `{signature}` in protocol/mod.rs"))
        .1;
    let body = &body[..body.find("\n    }\n").expect("the function ends")];
    body.lines()
        .filter_map(|line| line.split_once("=> \"")?.1.split_once('"'))
        .map(|(name, _)| name)
        .collect()
}

/// The gallery section named `name`.
fn section_named(name: &str) -> &'static gallery::Section {
    gallery::SECTIONS
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no gallery section {name}"))
}

/// Choose `section` in the gallery's sidebar and run.
fn show_section<'a>(at: &'a mut AppTest, section: &gallery::Section) -> &'a mut AppTest {
    at.selectbox("Section")
        .select(section.name)
        .run()
        .unwrap_or_else(|e| panic!("section {}: {e}", section.name))
}

/// The most characters a line of code shown beside a result may have: the
/// code column of the gallery (two thirds of the page) holds 54 at 1280 px.
const GALLERY_CODE_COLUMN: usize = 54;

#[test]
fn gallery_shows_every_kind() {
    let mut at = AppTest::new(gallery::app).timeout(Duration::from_secs(20));
    at.run().expect("first run");
    let mut elements = std::collections::BTreeSet::new();
    let mut widgets = std::collections::BTreeSet::new();
    for section in &gallery::SECTIONS {
        show_section(&mut at, section);
        assert_eq!(
            at.statuses().last(),
            Some(&RunStatus::Complete),
            "{}",
            section.name
        );
        assert!(
            at.texts("header").contains(&section.name.to_string()),
            "{}: {:?}",
            section.name,
            at.texts("header")
        );
        assert!(
            at.query_params()
                .contains(&("section".to_owned(), section.slug.to_owned())),
            "the section is in the address: {:?}",
            at.query_params()
        );
        // The only exception is the one the Exception entry shows.
        for el in at.exceptions() {
            assert_eq!(
                el.text(),
                Some("invalid digit found in string"),
                "{}: {el:?}",
                section.name
            );
        }
        // Every entry found its code, and the code fits its column.
        for el in at.elements() {
            let Element::Code { code, language } = el else {
                continue;
            };
            if language.as_deref() != Some("rust") {
                continue;
            }
            assert!(!code.starts_with("// no `fn"), "{code}");
            for line in code.lines() {
                assert!(
                    line.chars().count() <= GALLERY_CODE_COLUMN,
                    "{}: a line of code wider than its column ({GALLERY_CODE_COLUMN}): {line:?}",
                    section.name
                );
            }
        }
        for el in at.elements() {
            elements.insert(el.kind());
            if let Some(kind) = el.widget_kind() {
                widgets.insert(kind.name());
            }
        }
    }
    // Shown only while a run is in progress, so never on the page a run
    // leaves: a spinner (replaced by an empty slot when its work ends; the
    // browser test sees it) and an empty slot (AppTest lists no empty
    // slots; the gallery's `empty()` slot holds what was drawn into it).
    let transient = ["spinner", "empty"];
    let all_elements = kind_names("pub fn kind(&self) -> &'static str {");
    assert!(all_elements.len() > 30, "{all_elements:?}");
    for kind in all_elements {
        assert!(
            elements.contains(kind) || transient.contains(&kind),
            "the gallery shows no {kind} element; it shows {elements:?}"
        );
    }
    let all_widgets = kind_names("pub fn name(self) -> &'static str {");
    assert!(all_widgets.contains(&"range_slider"), "{all_widgets:?}");
    for kind in all_widgets {
        assert!(
            widgets.contains(kind),
            "the gallery shows no {kind} widget; it shows {widgets:?}"
        );
    }
}

/// The caption right after the widget labelled `label`.
fn caption_after(at: &AppTest, label: &str) -> String {
    at.elements()
        .into_iter()
        .skip_while(|el| el.label() != Some(label))
        .find(|el| el.kind() == "caption")
        .and_then(|el| el.text())
        .unwrap_or_else(|| panic!("no caption after {label:?}"))
        .to_owned()
}

#[test]
fn gallery_widgets_report_their_values() {
    let mut at = AppTest::new(gallery::app)
        .timeout(Duration::from_secs(20))
        .query("section=numbers");
    at.run().expect("run");
    assert_eq!(at.texts("header"), vec!["Numbers"], "opened by its link");
    at.slider("Volume").set_number(7.0);
    at.slider("Price band").set_range(200.0, 400.0);
    at.number_input("Age").set_number(200.0); // clamped to its max, 120
    at.run().expect("numbers");
    assert_eq!(caption_after(&at, "Volume"), "value: 7");
    assert_eq!(caption_after(&at, "Price band"), "value: (200, 400)");
    assert_eq!(caption_after(&at, "Age"), "120, 9.5");

    show_section(&mut at, section_named("Choices"));
    at.multiselect("Toppings")
        .set_selected(&["Olives", "Cheese"]);
    at.radio("Fit").select("Loose");
    at.run().expect("choices");
    assert_eq!(
        caption_after(&at, "Toppings"),
        "value: [\"Olives\", \"Cheese\"]"
    );
    assert_eq!(caption_after(&at, "Fit"), "M, Some(\"Loose\")");

    show_section(&mut at, section_named("Buttons & toggles"));
    at.button("Hit me").click().run().expect("on_click");
    assert!(at.text().contains(&"Hits: 1".to_owned()), "{:?}", at.text());
    at.toggle("Alerts").check().run().expect("on_change");
    assert_eq!(caption_after(&at, "Alerts"), "on_change saw Some(true)");

    // "Show code" off: the results alone.
    let rust_code = |at: &AppTest| {
        at.elements()
            .into_iter()
            .filter(|el| matches!(el, Element::Code { language: Some(l), .. } if l == "rust"))
            .count()
    };
    assert_eq!(rust_code(&at), 7, "one block of code per entry");
    at.toggle("Show code").uncheck().run().expect("hide code");
    assert_eq!(rust_code(&at), 0);
    assert!(at.find("Hit me").is_some(), "the results stay");
}

#[test]
fn gallery_forms_fragments_and_state() {
    let mut at = AppTest::new(gallery::app).timeout(Duration::from_secs(20));
    at.run().expect("run");

    // A form cleared on submit: the submit run sees the note, the field is
    // empty again after it.
    show_section(&mut at, section_named("Forms"));
    at.text_input("Note").set_text("Milk");
    at.button("Add").click().run().expect("submit");
    assert!(at.texts("caption").contains(&"Added \"Milk\"".to_owned()));
    assert!(at
        .texts("caption")
        .contains(&"on_click ran: true".to_owned()));
    assert_eq!(at.text_input("Note").value(), "");

    // A widget in a fragment reruns the fragment only.
    show_section(&mut at, section_named("Fragments"));
    let full = text_starting(&at, "Full runs: ");
    assert!(at.button("Rerun the fragment").in_fragment());
    at.button("Rerun the fragment")
        .click()
        .run()
        .expect("fragment");
    assert_eq!(text_starting(&at, "Full runs: "), full);

    // A keyed widget is in session state; setting the key resets it.
    show_section(&mut at, section_named("State & flow"));
    at.slider("Level").set_number(9.0).run().expect("level");
    assert_eq!(caption_after(&at, "Level"), "9, in state: Some(9)");
    at.button("Reset").click().run().expect("reset");
    assert_eq!(caption_after(&at, "Level"), "0, in state: Some(0)");
    at.text_input("City (in the URL)")
        .set_text("Lima")
        .run()
        .expect("query");
    assert!(at
        .query_params()
        .contains(&("city".to_owned(), "Lima".to_owned())));
    // `ui.stop()` ends the run as if the app returned there.
    at.checkbox("Carry on").uncheck().run().expect("stop");
    assert_eq!(at.statuses().last(), Some(&RunStatus::Complete));
    let alerts = at.texts("alert");
    assert!(alerts.contains(&"Stopped: nothing below is drawn.".to_owned()));
    assert!(!alerts.contains(&"The run carried on.".to_owned()));
}

#[test]
fn dataframe_formats_selects_and_sums_the_selected_prices() {
    // The page of the example, with 100,000 rows (the browser test shows
    // ten million).
    let mut at =
        AppTest::new(|ui: &Ui| dataframe::show(ui, 100_000)).timeout(Duration::from_secs(60));
    at.run().expect("run");
    let rows: usize = at.caption()[0]
        .strip_prefix("Rows: ")
        .and_then(|n| n.parse().ok())
        .expect("a row count");
    let grid = at.dataframe(0);
    assert_eq!(grid.row_count(), rows);
    let price = |at: &mut AppTest, row: usize| -> f64 {
        let text = at.dataframe(0).cell_text(row, "price").expect("a price");
        assert!(text.starts_with('$'), "{text}");
        text.trim_start_matches('$')
            .replace(',', "")
            .parse()
            .expect("a number")
    };
    let (a, b) = (price(&mut at, 3), price(&mut at, 7));
    let date = at.dataframe(0).cell_text(0, "date").expect("a date");
    assert!(
        date.contains(", 20"),
        "formatted like `Nov 3, 2021`: {date}"
    );
    at.dataframe(0).select_rows(&[3, 7]).run().expect("select");
    assert_eq!(at.text()[0], "Selected rows: 2");
    assert_eq!(
        at.text()[1],
        format!("Sum of selected prices: {:.2}", a + b)
    );
    // Sorted by price, descending: the first row holds the largest price.
    let sorted = at
        .dataframe(0)
        .window(0, 1, Some(("price", true)), "")
        .expect("sorted");
    assert_eq!(sorted.rows[0][4], serde_json::json!("$499.99"));
}

#[test]
fn editor_totals_follow_the_edits() {
    let mut at = AppTest::new(editor::app);
    at.run().expect("run");
    assert_eq!(at.text()[0], "Total units: 23");
    at.data_editor(0).edit(1, "units", 10).run().expect("edit");
    assert_eq!(at.text()[0], "Total units: 29");
    at.data_editor(0)
        .add_row(&[
            ("product", serde_json::json!("Grinder")),
            ("size", serde_json::json!("S")),
            ("units", serde_json::json!(5)),
        ])
        .run()
        .expect("add");
    assert_eq!(at.text()[0], "Total units: 34");
    at.data_editor(0).delete_rows(&[0]).run().expect("delete");
    assert_eq!(at.text()[0], "Total units: 22");
    assert!(at.exceptions().is_empty());
}

#[path = "../examples/big_chart.rs"]
mod big_chart;
#[path = "../examples/charts.rs"]
mod charts;

#[test]
fn charts_shows_each_kind_with_its_caption() {
    let mut at = AppTest::new(charts::app);
    at.run().expect("run");
    assert!(at.exceptions().is_empty(), "{:?}", at.exceptions());
    assert_eq!(
        at.caption(),
        vec![
            "line_chart",
            "area_chart",
            "bar_chart",
            "scatter_chart",
            "vega_lite_chart",
            "plotly_chart",
            "plotters",
            "graphviz_chart",
            "map"
        ]
    );
    let line = at.chart(0);
    assert_eq!(line.series(), vec!["north", "south"]);
    assert_eq!(line.x_axis().scale, brooklet::protocol::AxisScale::Time);
    assert_eq!(at.chart(2).series(), vec!["north", "south", "east"]);
    assert!(at.chart(3).element().size.is_some());
    assert_eq!(
        at.vega_lite_chart(0)
            .data()
            .and_then(|d| d.as_array().map(Vec::len)),
        Some(150)
    );
    assert_eq!(
        at.plotly_chart(0).figure["data"].as_array().map(Vec::len),
        Some(2)
    );
    assert!(at.svg_chart(0).svg.contains("<svg"));
    assert!(at.svg_chart(1).svg.contains("model"));
    assert_eq!(at.map(0).count, 10);
    // A brush on the Vega-Lite chart reaches the run.
    at.vega_lite_chart(0)
        .select(
            "brush",
            serde_json::json!({"petal": [4.0, 7.0], "sepal": [0.0, 10.0]}),
        )
        .run()
        .expect("brush");
    let brushed = at.text();
    assert_eq!(brushed.len(), 1);
    assert!(brushed[0].starts_with("Brushed: "), "{brushed:?}");
}

#[test]
fn big_chart_draws_the_walk_and_prints_the_brushed_range() {
    let mut at = AppTest::new(big_chart::app);
    at.run().expect("run");
    assert_eq!(at.caption(), vec!["Points: 1000000"]);
    let chart = at.chart(0);
    assert_eq!(chart.rows(), 1_000_000);
    let first = chart.points(1000);
    assert!(first.aggregated && first.x.len() <= 4 * 1002);
    chart.select_x(1000.4, 250_000.0).run().expect("brush");
    assert_eq!(at.text(), vec!["Selected: 1000..250000"]);
    at.number_input("Points")
        .set_value(2000)
        .run()
        .expect("fewer points");
    assert_eq!(at.caption(), vec!["Points: 2000"]);
    assert_eq!(at.chart(0).rows(), 2000);
    assert!(!at.chart(0).points(1000).aggregated);
}

#[path = "../examples/files.rs"]
mod files;
#[path = "../examples/media.rs"]
mod media;

#[test]
fn files_reads_a_csv_offers_the_filled_rows_and_shows_a_picture() {
    let mut at = AppTest::new(files::app);
    at.run().expect("first run");
    let csv = b"name,count,note\nax,1,x\n,2,empty name\nbe,3,\ncy,4,z\n";
    at.file_uploader("Upload a CSV")
        .upload("data.csv", "text/csv", csv)
        .run()
        .expect("runs");
    assert_eq!(at.caption(), vec!["Rows: 4, columns: 3"]);
    let downloaded = String::from_utf8(at.download("Download filtered CSV")).expect("utf-8");
    let lines: Vec<&str> = downloaded.lines().collect();
    assert_eq!(lines.first(), Some(&"name,count,note"));
    assert_eq!(lines.len(), 4, "{downloaded}");
    assert!(
        lines.iter().all(|line| !line.starts_with(',')),
        "{downloaded}"
    );
    // Not a CSV: a clear error, the rest of the page as before.
    at.file_uploader("Upload a CSV")
        .upload("bad.csv", "text/csv", b"a,b\n1,2,3,4\n\"x")
        .run()
        .expect("runs");
    assert!(
        at.texts("alert")
            .iter()
            .any(|t| t.contains("bad.csv is not a CSV")),
        "{:?}",
        at.texts("alert")
    );

    let png = include_bytes!("../crates/brooklet/tests/data/dot.png");
    at.file_uploader("Upload an image")
        .upload("dot.png", "image/png", png)
        .run()
        .expect("runs");
    let image = at.image(0);
    assert_eq!(image.images[0].caption.as_deref(), Some("Your image (8×8)"));
}

#[test]
fn media_shows_each_kind_and_the_photo_taken() {
    let mut at = AppTest::new(media::app);
    at.run().expect("first run");
    assert!(at.exceptions().is_empty(), "{:?}", at.exceptions());
    assert_eq!(
        at.image(0).images[0].caption.as_deref(),
        Some("A gradient drawn pixel by pixel")
    );
    assert_eq!(at.audio(0).mime, "audio/wav");
    let video = at.video(0);
    assert_eq!(video.mime, "video/webm");
    assert_eq!(video.subtitles.len(), 1);
    assert!(at
        .media_bytes(&at.pdf(0).url)
        .is_some_and(|b| b.starts_with(b"%PDF-")));
    let png = include_bytes!("../crates/brooklet/tests/data/dot.png");
    at.camera_input("Take a photo")
        .upload("camera.jpg", "image/png", png)
        .run()
        .expect("runs");
    assert_eq!(
        at.image(1).images[0].caption.as_deref(),
        Some("Your photo (8×8)")
    );
}
