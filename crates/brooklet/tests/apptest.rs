//! Runtime rules, checked headlessly with `AppTest`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use brooklet::prelude::*;
use brooklet::protocol::{Element, RunStatus, WidgetKind};
use brooklet::testing::AppTest;

fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}

#[test]
fn ui_is_clone_send_sync() {
    assert_send_sync_clone::<Ui>();
    assert_send_sync_clone::<SessionState>();
}

#[test]
fn a_panic_shows_message_and_location_and_the_next_run_works() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.text("before");
        if ui.checkbox("Fail") {
            panic!("the app failed on purpose");
        }
        ui.text("after");
    });
    at.run().expect("run");
    at.checkbox("Fail").check().run().expect("run");
    assert_eq!(at.statuses().last(), Some(&RunStatus::Error));
    let exceptions = at.exceptions();
    assert_eq!(exceptions.len(), 1);
    let Element::Exception {
        message, location, ..
    } = exceptions[0]
    else {
        unreachable!()
    };
    assert_eq!(message, "the app failed on purpose");
    assert!(
        location
            .as_deref()
            .unwrap_or_default()
            .contains("apptest.rs"),
        "{location:?}"
    );
    assert_eq!(
        at.text(),
        vec!["before"],
        "elements after the panic are removed"
    );

    at.checkbox("Fail").uncheck().run().expect("run");
    assert_eq!(at.statuses().last(), Some(&RunStatus::Complete));
    assert!(at.exceptions().is_empty());
    assert_eq!(at.text(), vec!["before", "after"]);
}

#[test]
fn duplicate_widgets_are_an_error_that_asks_for_a_key() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.checkbox("Same");
        ui.checkbox("Same");
        ui.add(Checkbox::new("Keyed").key("a"));
        ui.add(Checkbox::new("Keyed").key("b"));
    });
    at.run().expect("run");
    let exceptions = at.exceptions();
    assert_eq!(exceptions.len(), 1, "{exceptions:?}");
    let text = exceptions[0].text().unwrap_or_default();
    assert!(text.contains("Same") && text.contains("key"), "{text}");
}

#[test]
fn widget_values_survive_reruns_and_other_widgets_appearing() {
    let mut at = AppTest::new(|ui: &Ui| {
        if ui.checkbox("Show extra") {
            ui.text_input("Extra");
        }
        let name = ui.text_input("Name");
        ui.text(format!("name={name}"));
    });
    at.run().expect("run");
    at.text_input("Name").set_text("Ada").run().expect("run");
    at.checkbox("Show extra").check().run().expect("run");
    assert_eq!(
        at.text(),
        vec!["name=Ada"],
        "a widget appearing above keeps the value below"
    );
    at.text_input("Extra").set_text("x").run().expect("run");
    at.checkbox("Show extra").uncheck().run().expect("run");
    at.checkbox("Show extra").check().run().expect("run");
    assert_eq!(
        at.text_input("Extra").value(),
        "",
        "a widget not drawn by a finished run loses its value"
    );
    assert_eq!(at.text_input("Name").value(), "Ada");
}

#[test]
fn values_from_the_browser_are_validated() {
    let mut at = AppTest::new(|ui: &Ui| {
        let n = ui.add(NumberInput::new("N", 5_u8).min(1).max(10));
        let pick = ui.selectbox("Pick", &["a", "b"]);
        ui.text(format!("{n} {pick}"));
    });
    at.run().expect("run");
    // Valid, non-default values first: otherwise "fell back to the default"
    // and "kept the previous value" look the same.
    at.number_input("N").set_number(7.0);
    at.selectbox("Pick").select("b");
    at.run().expect("run");
    assert_eq!(at.text(), vec!["7 b"]);
    at.number_input("N").set_value("not a number");
    at.selectbox("Pick").set_value(7);
    at.run().expect("run");
    assert_eq!(
        at.text(),
        vec!["5 a"],
        "invalid values fall back to the default"
    );
    at.number_input("N").set_number(-3.0).run().expect("run");
    assert_eq!(at.text(), vec!["1 a"], "numbers are clamped");
}

#[test]
fn every_press_counts_exactly_once() {
    // One press: one run reads it as clicked, and the run after does not.
    // Presses that arrive *during* a run are covered by the WebSocket tests
    // `a_click_mid_run_cancels_it_and_no_press_is_lost` and
    // `presses_of_different_buttons_during_a_slow_run_give_one_run_each`.
    let mut at = AppTest::new(|ui: &Ui| {
        if ui.button("Add").clicked() {
            ui.state().update("n", || 0_u32, |n| *n += 1);
        }
        let n: u32 = ui.state().get("n").unwrap_or(0);
        ui.text(format!("n={n}"));
    });
    at.run().expect("run");
    for expected in 1..=3 {
        at.button("Add").click().run().expect("run");
        assert_eq!(
            at.text(),
            vec![format!("n={expected}")],
            "the press counted"
        );
        at.rerun().expect("rerun without a click");
        assert_eq!(
            at.text(),
            vec![format!("n={expected}")],
            "a press is read by one run only"
        );
    }
}

#[test]
fn wrong_type_in_session_state_is_a_clear_error() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.state().set("x", "text".to_owned());
        let n: Option<i64> = ui.state().get("x");
        ui.text(format!("{n:?}"));
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["None"]);
    let message = at.exceptions()[0].text().unwrap_or_default().to_owned();
    assert!(
        message.contains("`x`") && message.contains("String") && message.contains("i64"),
        "{message}"
    );
}

#[test]
fn ui_current_is_the_run_on_its_thread_and_an_error_elsewhere() {
    let mut at = AppTest::new(|ui: &Ui| {
        Ui::current()
            .expect("bound on the script thread")
            .text("via current");
        let off_thread = std::thread::spawn(|| Ui::current().is_err())
            .join()
            .unwrap_or(false);
        ui.text(format!("off thread: {off_thread}"));
        let _ = ui;
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["via current", "off thread: true"]);
    let error = Ui::current().expect_err("no run here");
    assert!(error.to_string().contains("pass a `Ui`"), "{error}");
}

#[test]
fn scoped_threads_write_into_their_own_containers_in_order() {
    let mut at = AppTest::new(|ui: &Ui| {
        let boxes: Vec<Ui> = (0..4).map(|_| ui.container()).collect();
        std::thread::scope(|scope| {
            for (i, b) in boxes.iter().enumerate() {
                scope.spawn(move || {
                    for j in 0..25 {
                        b.text(format!("{i}:{j}"));
                    }
                });
            }
        });
    });
    at.run().expect("run");
    let texts = at.text();
    assert_eq!(texts.len(), 100);
    for i in 0..4 {
        let mine: Vec<String> = texts
            .iter()
            .filter(|t| t.starts_with(&format!("{i}:")))
            .cloned()
            .collect();
        let expected: Vec<String> = (0..25).map(|j| format!("{i}:{j}")).collect();
        assert_eq!(mine, expected, "container {i} keeps its order");
    }
    // Containers are contiguous in page order: all of 0, then all of 1, ...
    assert!(texts[..25].iter().all(|t| t.starts_with("0:")));
}

#[test]
fn a_ui_kept_past_its_run_writes_nothing() {
    let kept: Arc<Mutex<Option<Ui>>> = Arc::default();
    let keep = kept.clone();
    let mut at = AppTest::new(move |ui: &Ui| {
        keep.lock().expect("lock").get_or_insert_with(|| ui.clone());
        ui.text("drawn by the run");
    });
    at.run().expect("run");
    let old = kept.lock().expect("lock").clone().expect("kept");
    assert!(!old.is_running(), "the run is over");
    assert!(
        !old.is_cancelled(),
        "it finished normally: nothing cancelled it"
    );
    assert!(matches!(
        old.text("leaked write").result(),
        Err(brooklet::Error::RunEnded)
    ));
    // Look at the page *before* any rerun: a rerun truncates whatever its
    // run did not draw, so it would hide a leaked element. `wait_for`
    // applies what the session queued.
    at.wait_for(|_| true).expect("drain");
    assert_eq!(at.text(), vec!["drawn by the run"], "nothing was queued");
    // A write from another thread after the run is refused as well.
    let refused = std::thread::spawn(move || old.text("leaked from a thread").result())
        .join()
        .expect("thread");
    assert!(matches!(refused, Err(brooklet::Error::RunEnded)));
    at.wait_for(|_| true).expect("drain");
    assert_eq!(at.text(), vec!["drawn by the run"]);
}

#[test]
fn slots_progress_spinner_and_sidebar() {
    let mut at = AppTest::new(|ui: &Ui| {
        let slot = ui.empty();
        slot.text("first");
        slot.text("second");
        let bar = ui.progress(0.0);
        for i in 0..=1000 {
            bar.set(i as f64 / 1000.0);
        }
        let out = ui.spinner("thinking", || 41 + 1);
        ui.sidebar().text(format!("side {out}"));
        ui.write("**bold** <script>x</script>");
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["second", "side 42"]);
    assert!(matches!(at.find_progress(), Some(v) if (v - 1.0).abs() < 1e-9));
    assert_eq!(at.sidebar().len(), 1);
    let html = at
        .elements()
        .into_iter()
        .find_map(|el| match el {
            Element::Markdown { html, .. } => Some(html.clone()),
            _ => None,
        })
        .expect("markdown");
    assert!(
        html.contains("<strong>bold</strong>") && html.contains("&lt;script&gt;"),
        "{html}"
    );
}

trait FindProgress {
    fn find_progress(&self) -> Option<f64>;
}

impl FindProgress for AppTest {
    fn find_progress(&self) -> Option<f64> {
        self.elements().into_iter().find_map(|el| match el {
            Element::Progress { value, .. } => Some(*value),
            _ => None,
        })
    }
}

#[test]
fn layout_blocks_nest() {
    let mut at = AppTest::new(|ui: &Ui| {
        let cols = ui.columns(3);
        for (i, col) in cols.iter().enumerate() {
            col.text(format!("col {i}"));
        }
        ui.add(Expander::new("More").expanded(true))
            .show(|ui| ui.text("inside"));
        let tabs = ui.tabs(&["A", "B"]);
        tabs[1].text("in B");
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["col 0", "col 1", "col 2", "inside", "in B"]);
    assert!(matches!(
        at.find("More"),
        Some(Element::Expander { expanded: true, .. })
    ));
    assert!(matches!(at.find("B"), Some(Element::Tab { .. })));
}

#[test]
fn checkpoint_lets_a_tight_loop_be_cancelled() {
    let mut at = AppTest::new(|ui: &Ui| {
        if ui.button("Start").clicked() {
            loop {
                ui.checkpoint();
                std::hint::spin_loop();
            }
        }
        ui.text("idle");
    })
    .timeout(Duration::from_millis(300));
    at.run().expect("run");
    let error = at
        .button("Start")
        .click()
        .run()
        .expect_err("the loop never ends");
    assert!(matches!(error, brooklet::Error::Timeout(_)));
    // The timeout stopped the loop through its checkpoint; the session works.
    let mut at = at.timeout(Duration::from_secs(5));
    at.rerun().expect("the session runs again");
    assert_eq!(at.text(), vec!["idle"]);
}

#[test]
fn widgets_can_be_found_by_key() {
    let mut at = AppTest::new(|ui: &Ui| {
        let a = ui.add(TextInput::new("Name").key("first"));
        let b = ui.add(TextInput::new("Name").key("second"));
        let (lo, hi) = ui.add(RangeSlider::new("Span", 0..=10).key("span"));
        ui.text(format!("{a}/{b}/{lo}-{hi}"));
    });
    at.run().expect("run");
    at.widget_by_key(WidgetKind::TextInput, "second")
        .set_text("B");
    at.widget_by_key(WidgetKind::Slider, "span")
        .set_range(2.0, 3.0);
    at.run().expect("run");
    assert_eq!(at.text(), vec!["/B/2-3"]);
}

#[test]
fn a_selectbox_without_options_is_an_error_at_the_callers_line() {
    let mut at = AppTest::new(|ui: &Ui| {
        let none: Vec<String> = Vec::new();
        ui.selectbox("Customer", &none); // the line the page must point at
    });
    at.run().expect("run");
    assert_eq!(at.statuses().last(), Some(&RunStatus::Error));
    let Some(Element::Exception {
        message, location, ..
    }) = at.exceptions().first().copied()
    else {
        panic!("an exception element");
    };
    assert!(
        message.contains("selectbox `Customer` has no options"),
        "{message}"
    );
    assert!(
        message.contains("Selectbox::new(..).optional()"),
        "{message}"
    );
    let location = location.clone().unwrap_or_default();
    assert!(
        location.starts_with("crates/brooklet/tests/apptest.rs:")
            || location.starts_with("tests/apptest.rs:"),
        "points at the app's line, not Brooklet's source: {location}"
    );
}

#[test]
fn optional_choices_start_empty_and_may_have_no_options() {
    let mut at = AppTest::new(|ui: &Ui| {
        let cities = ["Oslo", "Lima"];
        let none: Vec<&str> = Vec::new();
        let city = ui.add(
            Selectbox::new("City", &cities)
                .optional()
                .placeholder("Pick a city"),
        );
        let size = ui.add(Radio::new("Size", &["S", "L"]).optional());
        let nothing = ui.add(Selectbox::new("Nothing", &none).optional());
        ui.text(format!("{city:?} {size:?} {nothing:?}"));
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["None None None"]);
    assert!(at.exceptions().is_empty());
    let Element::Selectbox {
        index, placeholder, ..
    } = at.selectbox("City").element().clone()
    else {
        panic!("a selectbox");
    };
    assert_eq!((index, placeholder.as_deref()), (None, Some("Pick a city")));
    at.selectbox("City").select("Lima").run().expect("run");
    at.radio("Size").select("L").run().expect("run");
    assert_eq!(at.text(), vec![r#"Some("Lima") Some("L") None"#]);
}

#[test]
fn choices_take_their_defaults_by_value_or_by_index() {
    let mut at = AppTest::new(|ui: &Ui| {
        let cities = ["Oslo", "Lima", "Pune"];
        let city = ui.add(Selectbox::new("City", &cities).value(&"Pune"));
        let size = ui.add(Radio::new("Size", &["S", "M", "L"]).index(1));
        let tags = ui.add(Multiselect::new("Tags", &["a", "b", "c"]).values(&["c", "a"]));
        let missing = ui.add(Selectbox::new("Other", &cities).value(&"Rome"));
        ui.text(format!("{city} {size} {tags:?} {missing}"));
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec![r#"Pune M ["c", "a"] Oslo"#]);
    let errors: Vec<&str> = at.exceptions().iter().filter_map(|el| el.text()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("not among its options"), "{errors:?}");
}

#[test]
fn a_dataframe_selection_is_typed_survives_reruns_and_resets_with_new_data() {
    use brooklet::ui::widgets::SelectionMode;
    let calls = Arc::new(Mutex::new(0));
    let seen = calls.clone();
    let mut at = AppTest::new(move |ui: &Ui| {
        let big = ui.checkbox("More rows");
        let rows: Vec<u32> = (0..if big { 20 } else { 10 }).collect();
        let seen = seen.clone();
        let picked = ui.add(
            Dataframe::new(&rows)
                .on_select([SelectionMode::MultiRow, SelectionMode::SingleColumn])
                .on_change(move |_| *seen.lock().expect("lock") += 1),
        );
        ui.text(format!("{:?} {:?}", picked.rows, picked.columns));
        let _ = ui.button("Rerun");
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["[] []"]);
    // Rows out of range and unknown columns are dropped; rows come sorted.
    at.dataframe(0).select_rows(&[7, 2, 99]).run().expect("run");
    assert_eq!(at.text(), vec!["[2, 7] []"]);
    at.dataframe(0)
        .select_columns(&["value"])
        .run()
        .expect("run");
    assert_eq!(at.text(), vec![r#"[2, 7] ["value"]"#]);
    assert_eq!(
        *calls.lock().expect("lock"),
        2,
        "the callback ran per change"
    );
    assert_eq!(
        at.dataframe(0).selection().map(|s| s.rows.clone()),
        Some(vec![2, 7]),
        "the page shows the selection"
    );
    // A rerun with the same data keeps it.
    at.button("Rerun").click().run().expect("run");
    assert_eq!(at.text(), vec![r#"[2, 7] ["value"]"#]);
    // A column the grid does not show is dropped.
    at.dataframe(0)
        .select_columns(&["value2"])
        .run()
        .expect("run");
    assert_eq!(at.text(), vec!["[2, 7] []"]);
    // New data: a new grid, nothing selected.
    at.checkbox("More rows").check().run().expect("run");
    assert_eq!(at.text(), vec!["[] []"]);
    assert_eq!(at.dataframe(0).row_count(), 20);
}

#[test]
fn a_dataframe_formats_sorts_and_searches_on_the_server() {
    use brooklet::data::Column;
    #[derive(serde::Serialize)]
    struct Row {
        city: &'static str,
        price: f64,
        share: f64,
    }
    let mut at = AppTest::new(|ui: &Ui| {
        let rows = [
            Row {
                city: "Oslo",
                price: 1234.5,
                share: 0.25,
            },
            Row {
                city: "Lima",
                price: 17.880000000000003,
                share: 0.5,
            },
            Row {
                city: "Pune",
                price: 99.0,
                share: 1.0,
            },
        ];
        ui.add(
            Dataframe::new(&rows)
                .column("price", Column::number().format("dollar"))
                .column("share", Column::progress())
                .column("city", Column::text().label("City").pinned(true)),
        );
        ui.add(Dataframe::new(&rows).column("nope", "Nope"));
        ui.add(Dataframe::new(&rows).column("city", Column::number()));
    });
    at.run().expect("run");
    let errors: Vec<&str> = at.exceptions().iter().filter_map(|el| el.text()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("no column `nope`"), "{errors:?}");
    assert!(
        errors[1].contains("cannot be shown as a number"),
        "{errors:?}"
    );
    let grid = at.dataframe(0);
    assert_eq!(grid.cell_text(1, "price").as_deref(), Some("$17.88"));
    assert_eq!(grid.cell_text(0, "share").as_deref(), Some("25.00%"));
    assert_eq!(grid.grid().columns[0].label, "City");
    let sorted = grid
        .window(0, 10, Some(("price", true)), "")
        .expect("sorted");
    assert_eq!(sorted.index, [0, 2, 1]);
    let found = grid.window(0, 10, None, "PUNE").expect("searched");
    assert_eq!((found.total, found.index.clone()), (1, vec![2]));
    assert!(grid.window(0, 10, Some(("nope", false)), "").is_err());
}

#[test]
fn add_rows_appends_to_a_drawn_dataframe_while_the_run_goes_on() {
    #[derive(serde::Serialize)]
    struct Tick {
        at: u32,
    }
    let mut at = AppTest::new(|ui: &Ui| {
        let mut feed = ui.dataframe(&[Tick { at: 0 }]);
        let worker_feed = feed.clone();
        let worker = ui.spawn(move |_| {
            let mut feed = worker_feed;
            for at in 1..=3 {
                feed.add_rows(&[Tick { at }]).expect("same columns");
            }
        });
        worker.join().expect("worker");
        let wrong = feed.add_rows(&[1.5]).expect_err("other columns");
        ui.text(wrong.to_string());
    });
    at.run().expect("run");
    assert_eq!(at.dataframe(0).row_count(), 4);
    assert_eq!(at.dataframe(0).cell_text(3, "at").as_deref(), Some("3"));
    assert!(
        at.text()[0].contains("the frame has [at]"),
        "{:?}",
        at.text()
    );
}

#[test]
fn a_data_editor_returns_typed_rows_and_refuses_bad_edits() {
    use brooklet::data::Column;
    use brooklet::ui::widgets::{DataEditor, NumRows};
    use serde_json::json;
    #[derive(Clone, serde::Serialize, serde::Deserialize)]
    struct Item {
        name: String,
        units: u32,
        note: Option<String>,
    }
    let mut at = AppTest::new(|ui: &Ui| {
        let stock = vec![
            Item {
                name: "Kettle".into(),
                units: 4,
                note: None,
            },
            Item {
                name: "Toaster".into(),
                units: 2,
                note: None,
            },
        ];
        let edited = ui.add(
            DataEditor::new(&stock)
                .num_rows(NumRows::Dynamic)
                .column("note", Column::text().disabled(true))
                .column("units", Column::number().min(0.0).max(100.0)),
        );
        let total: u32 = edited.iter().map(|item| item.units).sum();
        let names: Vec<&str> = edited.iter().map(|item| item.name.as_str()).collect();
        ui.text(format!("{total} {names:?}"));
        let _ = ui.button("Rerun");
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec![r#"6 ["Kettle", "Toaster"]"#]);
    at.data_editor(0).edit(1, "units", 10).run().expect("run");
    assert_eq!(at.text(), vec![r#"14 ["Kettle", "Toaster"]"#]);
    // Edits are widget state: a rerun keeps them.
    at.button("Rerun").click().run().expect("run");
    assert_eq!(at.text(), vec![r#"14 ["Kettle", "Toaster"]"#]);
    // Out of range, the wrong type, a disabled column: dropped, the rest kept.
    at.data_editor(0).edit(0, "units", 500).run().expect("run");
    at.data_editor(0)
        .edit(0, "units", "many")
        .run()
        .expect("run");
    at.data_editor(0)
        .edit(0, "note", "fragile")
        .run()
        .expect("run");
    assert_eq!(at.text(), vec![r#"14 ["Kettle", "Toaster"]"#]);
    let edits = at.data_editor(0).edits().clone();
    assert_eq!(edits.edited.len(), 1, "only the valid edit: {edits:?}");
    // Rows: a complete new row counts, an incomplete one is left out with a note.
    at.data_editor(0)
        .add_row(&[("name", json!("Mixer")), ("units", json!(1))])
        .run()
        .expect("run");
    assert_eq!(at.text(), vec![r#"15 ["Kettle", "Toaster", "Mixer"]"#]);
    at.data_editor(0)
        .add_row(&[("units", json!(3))])
        .run()
        .expect("run");
    let warnings = at.texts("alert");
    assert!(
        warnings.iter().any(|w| w.contains("1 new row is left out")),
        "{warnings:?}"
    );
    at.data_editor(0).delete_rows(&[0]).run().expect("run");
    assert_eq!(at.text(), vec![r#"11 ["Toaster", "Mixer"]"#]);
    let shown = at.data_editor(0).editor().editor.shown.clone();
    assert_eq!(
        shown.edited["1"]["units"],
        json!("10"),
        "edited cells come formatted"
    );
}

#[test]
fn a_data_editor_in_a_form_holds_its_edits_until_submit() {
    use brooklet::ui::widgets::DataEditor;
    let mut at = AppTest::new(|ui: &Ui| {
        let rows = vec![1.5, 2.5];
        let edited = ui.form("stock", |ui| {
            let edited = ui.add(DataEditor::new(&rows));
            ui.form_submit_button("Save");
            edited
        });
        ui.text(format!("{edited:?}"));
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["[1.5, 2.5]"]);
    at.data_editor(0).edit(0, "value", 9.0).run().expect("run");
    assert_eq!(at.text(), vec!["[1.5, 2.5]"], "held for the submit");
    at.button("Save").click().run().expect("run");
    assert_eq!(at.text(), vec!["[9.0, 2.5]"]);
}

#[test]
fn empty_data_big_tables_and_bad_formats_are_clear() {
    #[derive(serde::Serialize)]
    struct Row {
        n: u32,
    }
    let mut at = AppTest::new(|ui: &Ui| {
        let none: Vec<Row> = Vec::new();
        ui.dataframe(&none);
        let many: Vec<Row> = (0..20_000).map(|n| Row { n }).collect();
        ui.table(&many);
        ui.add(Metric::new("Sales", "lots").format("dollar"));
        ui.add(Metric::new("Sales", 12).format("%q"));
        ui.add(Table::new(&[Row { n: 1 }]).column("n", Column::number().format("percent")));
    });
    at.run().expect("run");
    assert_eq!(
        at.dataframe(0).row_count(),
        0,
        "an empty table, not an error"
    );
    let errors: Vec<&str> = at.exceptions().iter().filter_map(|el| el.text()).collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].contains("20000 rows are too many for a static table"),
        "{errors:?}"
    );
    assert!(errors[1].contains("`lots` is not a number"), "{errors:?}");
    assert!(
        errors[2].contains("`%q` is not a number format"),
        "{errors:?}"
    );
    let tables: Vec<&Element> = at
        .elements()
        .into_iter()
        .filter(|el| el.kind() == "table")
        .collect();
    let Element::Table { rows, .. } = tables[0] else {
        panic!("a table")
    };
    assert_eq!(rows[0][0], "100.00%");
}

#[test]
fn add_rows_through_two_handles_keeps_every_row() {
    let mut at = AppTest::new(|ui: &Ui| {
        let mut first = ui.dataframe(&[0u32]);
        let mut second = first.clone();
        first.add_rows(&[1u32]).expect("appends");
        second.add_rows(&[2u32]).expect("appends");
        #[derive(serde::Serialize)]
        struct Maybe {
            note: Option<String>,
        }
        let mut notes = ui.dataframe(&[Maybe {
            note: Some("a".into()),
        }]);
        // Every new row leaves the column empty: it keeps the frame's type.
        notes
            .add_rows(&[Maybe { note: None }])
            .expect("same columns");
    });
    at.run().expect("run");
    assert_eq!(at.dataframe(0).row_count(), 3);
    assert_eq!(at.dataframe(0).cell_text(2, "value").as_deref(), Some("2"));
    assert_eq!(at.dataframe(1).row_count(), 2);
}

#[test]
fn a_hundred_megabyte_cell_is_cut_for_the_page_and_the_grid_keeps_working() {
    #[derive(serde::Serialize)]
    struct Row {
        id: u32,
        blob: String,
    }
    let mut at = AppTest::new(|ui: &Ui| {
        let rows = vec![
            Row {
                id: 0,
                blob: "x".repeat(100 * 1024 * 1024),
            },
            Row {
                id: 1,
                blob: "short".into(),
            },
        ];
        ui.dataframe(&rows);
    })
    .timeout(Duration::from_secs(60));
    at.run().expect("run");
    let grid = at.dataframe(0);
    let head_bytes = serde_json::to_string(&grid.grid().head)
        .expect("json")
        .len();
    assert!(
        head_bytes < 4_096,
        "the element carries a cut cell: {head_bytes} bytes"
    );
    let cell = grid.cell_text(0, "blob").expect("text");
    assert_eq!(
        cell.chars().count(),
        1_001,
        "1,000 characters and an ellipsis"
    );
    assert!(cell.ends_with('…'));
    // Sorting and searching the column still work.
    let sorted = grid.window(0, 2, Some(("blob", true)), "").expect("sorted");
    assert_eq!(sorted.index, [0, 1]);
    let found = grid.window(0, 2, None, "short").expect("searched");
    assert_eq!(found.index, [1]);
}

#[test]
fn add_rows_on_a_table_sends_only_the_new_rows() {
    let mut at = AppTest::new(|ui: &Ui| {
        let mut log = ui.table(&[0.5f64]);
        let worker_log = log.clone();
        ui.spawn(move |_| {
            let mut log = worker_log;
            log.add_rows(&[1.25f64, 2.0]).expect("same columns");
        })
        .join()
        .expect("worker");
        let wrong = log.add_rows(&["text"]).expect_err("other types");
        ui.text(wrong.to_string());
    });
    at.run().expect("run");
    let Element::Table { rows, .. } = at.elements()[0] else {
        panic!("a table")
    };
    let shown: Vec<&str> = rows.iter().filter_map(|r| r[0].as_str()).collect();
    assert_eq!(shown, ["0.5", "1.25", "2"]);
    assert!(
        at.text()[0].contains("the frame has [value]"),
        "{:?}",
        at.text()
    );
}
