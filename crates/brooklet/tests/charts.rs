//! Charts, checked headlessly with `AppTest`: what each element carries,
//! the points the server sends for it, selections, and bad input.

use brooklet::data::Frame;
use brooklet::prelude::*;
use brooklet::protocol::{AxisScale, ChartMark, ChartStack, Element};
use brooklet::testing::AppTest;

#[derive(serde::Serialize)]
struct Sale {
    month: &'static str,
    region: &'static str,
    units: f64,
}

fn sales() -> Vec<Sale> {
    [
        ("jan", "north", 3.0),
        ("jan", "south", 5.0),
        ("feb", "north", 4.0),
        ("feb", "south", 1.0),
        ("mar", "north", 2.0),
    ]
    .into_iter()
    .map(|(month, region, units)| Sale {
        month,
        region,
        units,
    })
    .collect()
}

/// The message of each in-page error, with its location.
fn errors(at: &AppTest) -> Vec<(String, Option<String>)> {
    at.exceptions()
        .into_iter()
        .filter_map(|el| match el {
            Element::Exception {
                message, location, ..
            } => Some((message.clone(), location.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_line_chart_of_every_numeric_column() {
    #[derive(serde::Serialize)]
    struct Row {
        a: f64,
        b: i32,
        label: &'static str,
    }
    let mut at = AppTest::new(|ui: &Ui| {
        let rows: Vec<Row> = (0..100)
            .map(|i| Row {
                a: f64::from(i) * 0.5,
                b: -i,
                label: "x",
            })
            .collect();
        ui.line_chart(&rows);
    });
    at.run().expect("run");
    let chart = at.chart(0);
    assert_eq!(chart.mark(), ChartMark::Line);
    assert_eq!(chart.series(), vec!["a", "b"]);
    assert_eq!(chart.rows(), 100);
    assert_eq!((chart.x_axis().min, chart.x_axis().max), (0.0, 99.0));
    assert_eq!((chart.y_axis().min, chart.y_axis().max), (-99.0, 49.5));
    assert!(chart.element().legend, "two series have a legend");
    let points = chart.points(800);
    assert!(!points.aggregated);
    assert_eq!(points.ys[1][99], -99.0);
}

#[test]
fn a_long_series_is_sent_per_pixel_and_exactly_when_zoomed() {
    let mut at = AppTest::new(|ui: &Ui| {
        let walk: Vec<f64> = (0..200_000)
            .map(|i| {
                (f64::from(i) * 0.001)
                    .sin()
                    .mul_add(100.0, f64::from(i % 7))
            })
            .collect();
        ui.line_chart(&walk);
    });
    at.run().expect("run");
    let chart = at.chart(0);
    let whole = chart.points(500);
    assert!(whole.aggregated);
    assert!(whole.x.len() <= 4 * 502, "{} points", whole.x.len());
    assert_eq!(whole.rows, 200_000);
    let zoomed = chart.points_in(1_000.0, 1_099.0, 500);
    assert!(!zoomed.aggregated);
    assert_eq!(zoomed.x.len(), 102, "the hundred rows and one on each side");
}

#[test]
fn bars_by_category_split_by_a_colour_column_and_stacked() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.add(
            SimpleChart::bar(&sales())
                .x("month")
                .y("units")
                .color_by("region")
                .horizontal(true),
        );
    });
    at.run().expect("run");
    let chart = at.chart(0);
    assert_eq!(chart.x_axis().scale, AxisScale::Category);
    assert_eq!(chart.x_axis().categories, ["jan", "feb", "mar"]);
    assert_eq!(chart.series(), vec!["north", "south"]);
    assert_eq!(chart.element().stack, ChartStack::Stacked);
    assert!(chart.element().horizontal);
    let points = chart.points(400);
    assert_eq!(points.x, vec![0.0, 1.0, 2.0]);
    assert_eq!(points.ys[0], vec![3.0, 4.0, 2.0]);
    // Stacked: south sits on north; mar has no south (its top is north's).
    assert_eq!(points.ys[1], vec![8.0, 5.0, 2.0]);
}

#[test]
fn grouped_bars_fixed_colours_labels_and_sizes() {
    let mut at = AppTest::new(|ui: &Ui| {
        let rows = [(1.0, 2.0), (2.0, 3.0)];
        ui.add(
            SimpleChart::bar(&rows)
                .stack(Stack::None)
                .colors(["#ff6600", "teal"])
                .x_label("when")
                .y_label("how many")
                .height(200)
                .width(300),
        );
    });
    at.run().expect("run");
    let chart = at.chart(0);
    let el = chart.element();
    assert_eq!(el.stack, ChartStack::None);
    assert_eq!(el.series[0].color.as_deref(), Some("#ff6600"));
    assert_eq!(el.series[1].color.as_deref(), Some("teal"));
    assert_eq!(
        (el.x.title.as_str(), el.y.title.as_str()),
        ("when", "how many")
    );
    assert_eq!((el.height, el.width), (200, Some(300)));
}

#[test]
fn scatter_dots_sized_and_coloured_by_columns() {
    #[derive(serde::Serialize)]
    struct Dot {
        x: f64,
        y: f64,
        weight: f64,
        heat: f64,
    }
    let mut at = AppTest::new(|ui: &Ui| {
        let dots: Vec<Dot> = (0..50)
            .map(|i| Dot {
                x: f64::from(50 - i),
                y: f64::from(i % 9),
                weight: f64::from(i),
                heat: f64::from(i % 5),
            })
            .collect();
        ui.add(
            SimpleChart::scatter(&dots)
                .x("x")
                .y("y")
                .size("weight")
                .color_by("heat"),
        );
    });
    at.run().expect("run");
    let chart = at.chart(0);
    let el = chart.element();
    let size = el.size.as_ref().expect("a size channel");
    assert_eq!(
        (size.column.as_str(), size.min, size.max),
        ("weight", 0.0, 49.0)
    );
    let color = el.color.as_ref().expect("a colour channel");
    assert_eq!((color.min, color.max), (0.0, 4.0));
    // x came descending: the points are sorted by x.
    let points = chart.points(800);
    assert_eq!(points.x.first(), Some(&1.0));
    assert_eq!(points.ys[0][0], f64::from(49 % 9));
}

#[test]
fn a_date_column_makes_a_time_axis() {
    use brooklet::data::arrow::array::{ArrayRef, Date32Array, Float64Array, RecordBatch};
    use std::sync::Arc;
    let mut at = AppTest::new(|ui: &Ui| {
        let days = Date32Array::from(vec![19_000, 19_001, 19_002]);
        let values = Float64Array::from(vec![1.0, 3.0, 2.0]);
        let batch = RecordBatch::try_from_iter([
            ("day", Arc::new(days) as ArrayRef),
            ("value", Arc::new(values) as ArrayRef),
        ])
        .expect("batch");
        ui.add(SimpleChart::area(Frame::from_batch(batch)).x("day"));
    });
    at.run().expect("run");
    let chart = at.chart(0);
    assert_eq!(chart.x_axis().scale, AxisScale::Time);
    assert_eq!(chart.x_axis().min, 19_000.0 * 86_400.0);
}

#[test]
fn an_interval_selection_reaches_the_run_with_its_rows() {
    let mut at = AppTest::new(|ui: &Ui| {
        let picked = ui.add(
            SimpleChart::bar(&sales())
                .x("month")
                .color_by("region")
                .on_select([ChartSelectMode::Interval, ChartSelectMode::Point]),
        );
        ui.text(format!("range {:?} rows {:?}", picked.x, picked.rows));
        for point in &picked.points {
            ui.text(format!("point {} {}", point.x, point.series));
        }
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["range None rows []"]);
    at.chart(0).select_x(0.0, 1.0).run().expect("run");
    assert_eq!(at.text(), vec!["range Some((0.0, 1.0)) rows [0, 1, 2, 3]"]);
    // The page shows the selection it sent.
    assert_eq!(at.chart(0).selection().and_then(|s| s.x), Some([0.0, 1.0]));
    at.chart(0)
        .select_points(&[(1.0, 5.0, "south")])
        .run()
        .expect("run");
    assert_eq!(
        at.text(),
        vec!["range None rows [3]", "point 1 south"],
        "the clicked bar's row"
    );
    at.chart(0).clear_selection().run().expect("run");
    assert_eq!(at.text(), vec!["range None rows []"]);
}

#[test]
fn add_rows_appends_points_without_a_new_chart() {
    let mut at = AppTest::new(|ui: &Ui| {
        let mut feed = ui.line_chart(&[1.0, 2.0]);
        for v in [3.0, 9.0] {
            feed.add_rows(&[v]).expect("appends");
        }
        let err = feed.add_rows(&["text"]).expect_err("other columns");
        ui.text(err.to_string());
    });
    at.run().expect("run");
    let chart = at.chart(0);
    assert_eq!(chart.rows(), 4);
    assert_eq!(chart.y_axis().max, 9.0);
    assert_eq!(chart.points(100).ys[0], vec![1.0, 2.0, 3.0, 9.0]);
    assert_eq!(
        at.elements()
            .iter()
            .filter(|el| el.kind() == "chart")
            .count(),
        1
    );
    assert!(at.text()[0].contains("columns"), "{:?}", at.text());
}

#[test]
fn bad_input_is_a_clear_error_at_the_callers_line() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.line_chart(&[1.0, f64::NAN, 3.0]);
        ui.add(SimpleChart::line(&sales()).y("price"));
        ui.bar_chart(&Vec::<f64>::new());
        ui.add(SimpleChart::line(&sales()).y("month"));
        ui.add(SimpleChart::line(&[1.0, 2.0]).colors(["red", "green", "blue"]));
        ui.text("still running");
    });
    at.run().expect("run");
    let errors = errors(&at);
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(
        errors[0]
            .0
            .starts_with("line_chart: column `value` row 1 is NaN"),
        "{errors:?}"
    );
    assert!(errors[1].0.contains("no column `price`"), "{errors:?}");
    assert!(
        errors[2]
            .0
            .starts_with("bar_chart: there is no numeric column"),
        "{errors:?}"
    );
    assert!(
        errors[3]
            .0
            .contains("column `month` (Utf8) cannot be the y values"),
        "{errors:?}"
    );
    assert!(errors[4].0.contains("3 colours for 1 series"), "{errors:?}");
    for (_, location) in &errors {
        let location = location.as_deref().unwrap_or("");
        assert!(location.contains("tests/charts.rs"), "{location}");
    }
    assert_eq!(at.text(), vec!["still running"]);
}

#[test]
fn a_chart_is_kept_for_points_requests_only_while_shown() {
    let mut at = AppTest::new(|ui: &Ui| {
        if ui.checkbox("Show") {
            ui.line_chart(&[1.0, 2.0, 3.0]);
        }
    });
    at.run().expect("run");
    at.checkbox("Show").check().run().expect("run");
    assert_eq!(at.chart(0).points(10).x.len(), 3);
    at.checkbox("Show").uncheck().run().expect("run");
    assert!(at.elements().iter().all(|el| el.kind() != "chart"));
}

#[test]
fn a_vega_lite_chart_carries_its_spec_and_serves_its_rows() {
    use serde_json::json;
    let mut at = AppTest::new(|ui: &Ui| {
        let spec = json!({
            "mark": "bar",
            "encoding": {
                "x": {"field": "month", "type": "nominal"},
                "y": {"field": "units", "type": "quantitative", "aggregate": "sum"}
            }
        });
        ui.add(VegaLite::new(&spec).data(&sales()).height(200));
        // Inline data, no rows from the app.
        ui.add(VegaLite::new(
            &json!({"data": {"values": [{"a": 1}]}, "mark": "point"}),
        ));
    });
    at.run().expect("run");
    let chart = at.vega_lite_chart(0);
    let url = chart.element().data.clone().expect("a data URL");
    assert!(url.starts_with("/_brooklet/media/"), "{url}");
    assert_eq!(chart.spec()["data"]["url"], json!(url));
    assert_eq!(chart.element().height, Some(200));
    let rows = chart.data().expect("rows");
    assert_eq!(rows.as_array().map(Vec::len), Some(5));
    assert_eq!(
        rows[0],
        json!({"month": "jan", "region": "north", "units": 3.0})
    );
    let inline = at.vega_lite_chart(1);
    assert_eq!(inline.element().data, None);
    assert_eq!(inline.spec()["data"]["values"][0]["a"], 1);
}

#[test]
fn vega_lite_selections_reach_the_run_with_their_rows() {
    use serde_json::json;
    let mut at = AppTest::new(|ui: &Ui| {
        let spec = json!({
            "mark": "bar",
            "params": [{"name": "pick", "select": {"type": "point", "fields": ["month"]}}],
            "encoding": {
                "x": {"field": "month", "type": "nominal"},
                "y": {"field": "units", "type": "quantitative"}
            }
        });
        let picked = ui.add(
            VegaLite::new(&spec)
                .data(&sales())
                .on_select(Vec::<String>::new()),
        );
        ui.text(format!(
            "{:?} rows {:?}",
            picked.values("pick", "month"),
            picked.rows
        ));
    });
    at.run().expect("run");
    assert_eq!(at.text(), vec!["[] rows []"]);
    at.vega_lite_chart(0)
        .select("pick", json!({"month": ["feb"]}))
        .run()
        .expect("run");
    assert_eq!(at.text(), vec![r#"[String("feb")] rows [2, 3]"#]);
}

#[test]
fn bad_vega_lite_specs_are_clear_errors_at_the_callers_line() {
    use serde_json::json;
    let mut at = AppTest::new(|ui: &Ui| {
        ui.vega_lite_chart(&json!(["not", "a", "spec"]), &sales());
        ui.vega_lite_chart(&json!({"encoding": {}}), &sales());
        ui.add(VegaLite::new(&json!({"mark": "bar"})).on_select(["brush"]));
        ui.text("still running");
    });
    at.run().expect("run");
    let errors = errors(&at);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].0.contains("must be a JSON object, not an array"),
        "{errors:?}"
    );
    assert!(errors[1].0.contains("has no mark"), "{errors:?}");
    assert!(
        errors[2].0.contains("no selection parameter `brush`"),
        "{errors:?}"
    );
    for (_, location) in &errors {
        assert!(location
            .as_deref()
            .unwrap_or("")
            .contains("tests/charts.rs"));
    }
    assert_eq!(at.text(), vec!["still running"]);
}

#[test]
fn dates_reach_vega_lite_as_text_it_parses() {
    use brooklet::data::arrow::array::{ArrayRef, Date32Array, RecordBatch};
    use std::sync::Arc;
    let mut at = AppTest::new(|ui: &Ui| {
        let days = Date32Array::from(vec![19_000]);
        let batch =
            RecordBatch::try_from_iter([("day", Arc::new(days) as ArrayRef)]).expect("batch");
        ui.vega_lite_chart(
            &serde_json::json!({"mark": "tick", "encoding": {"x": {"field": "day", "type": "temporal"}}}),
            Frame::from_batch(batch),
        );
    });
    at.run().expect("run");
    let rows = at.vega_lite_chart(0).data().expect("rows");
    assert_eq!(rows[0]["day"], serde_json::json!("2022-01-08"));
}

#[test]
fn columns_of_different_lengths_are_an_error_in_place_of_the_chart() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.line_chart(Frame::from_columns([
            ("a", vec![1.0, 2.0]),
            ("b", vec![1.0]),
        ]));
        ui.line_chart(Frame::from_columns([
            ("a", vec![1.0, 2.0]),
            ("b", vec![3.0, 1.0]),
        ]));
    });
    at.run().expect("run");
    let errors = errors(&at);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .0
            .contains("column `b` has 1 value, but `a` has 2"),
        "{errors:?}"
    );
    assert_eq!(at.chart(0).series(), vec!["a", "b"]);
}

#[test]
fn browser_drawn_charts_carry_the_line_that_drew_them() {
    let mut at = AppTest::new(|ui: &Ui| {
        ui.vega_lite_chart(&serde_json::json!({"mark": "bar"}), &sales());
    });
    at.run().expect("run");
    let location = at.vega_lite_chart(0).element().location.clone();
    assert!(
        location
            .as_deref()
            .unwrap_or("")
            .contains("tests/charts.rs"),
        "{location:?}"
    );
}
