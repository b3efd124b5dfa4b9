//! Vega-Lite charts: any spec, drawn by vega-embed in the browser (loaded
//! the first time a page shows one). The data rides beside the spec, as a
//! JSON array in the app-wide payload store, so a rerun that draws the
//! same data sends nothing again. With [`VegaLite::on_select`] the chart is
//! a widget whose value is its selection parameters.

use std::collections::BTreeMap;
use std::panic::Location;

use serde::Serialize;
use serde_json::{Map, Value};

use super::Common;
use crate::data::{Frame, FrameError, IntoFrame};
use crate::protocol::{Element, VegaLiteChart, VegaSelection, WidgetKind};
use crate::run::AppError;
use crate::ui::{Ui, Widget};

/// The largest spec accepted (its JSON), without the data.
pub const MAX_SPEC_BYTES: usize = 1 << 20;

/// Vega-Lite's marks (`mark` or `mark.type` of a single view).
const MARKS: [&str; 17] = [
    "arc",
    "area",
    "bar",
    "boxplot",
    "circle",
    "errorband",
    "errorbar",
    "geoshape",
    "image",
    "line",
    "point",
    "rect",
    "rule",
    "square",
    "text",
    "tick",
    "trail",
];

/// Keys of which a Vega-Lite spec has at least one (a single view has a
/// mark; the others compose views).
const VIEW_KEYS: [&str; 8] = [
    "mark", "layer", "concat", "hconcat", "vconcat", "facet", "repeat", "spec",
];

impl Ui {
    /// A Vega-Lite chart: `spec` is any Vega-Lite spec (a
    /// `serde_json::json!` value, or anything `Serialize`), `data` the rows
    /// it draws (rows of a `Serialize` type, a [`Frame`], …), named by
    /// their column names in the spec's encodings. The Rust counterpart of
    /// Streamlit's `st.vega_lite_chart` and `st.altair_chart`; see
    /// [`VegaLite`] for the options and selections.
    #[track_caller]
    pub fn vega_lite_chart<S: Serialize + ?Sized>(
        &self,
        spec: &S,
        data: impl IntoFrame,
    ) -> crate::ui::Drawn {
        self.add(VegaLite::new(spec).data(data))
    }
}

/// A Vega-Lite chart; the short form is [`Ui::vega_lite_chart`].
///
/// The spec is sent as it is, but for its data (when
/// [`data`](VegaLite::data) is given: a URL to the rows as JSON), its size
/// (with [`height`](VegaLite::height), and the container's width unless
/// [`use_container_width(false)`](VegaLite::use_container_width)) and, unless
/// [`theme(false)`](VegaLite::theme), the app's colours and fonts. Vega runs
/// without `eval` (its expression interpreter), inside the app's
/// Content-Security-Policy. A spec that Vega-Lite cannot compile shows its
/// error in place of the chart.
///
/// ```
/// use brooklet::prelude::*;
/// use serde_json::json;
///
/// #[derive(serde::Serialize)]
/// struct Fruit {
///     name: &'static str,
///     count: u32,
/// }
///
/// fn app(ui: &Ui) {
///     let rows = [Fruit { name: "apples", count: 3 }, Fruit { name: "pears", count: 5 }];
///     let spec = json!({
///         "mark": "bar",
///         "encoding": {
///             "x": {"field": "name", "type": "nominal"},
///             "y": {"field": "count", "type": "quantitative"}
///         }
///     });
///     ui.vega_lite_chart(&spec, &rows);
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # let chart = at.vega_lite_chart(0);
/// # assert_eq!(chart.data().unwrap()[1]["count"], 5);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct VegaLite {
    spec: Result<Value, String>,
    data: Option<Result<Frame, FrameError>>,
    height: Option<u32>,
    use_container_width: bool,
    theme: bool,
    location: &'static Location<'static>,
}

impl VegaLite {
    /// A chart of `spec` (its data inline, or given with
    /// [`data`](VegaLite::data)).
    #[track_caller]
    pub fn new<S: Serialize + ?Sized>(spec: &S) -> VegaLite {
        VegaLite {
            spec: serde_json::to_value(spec).map_err(|e| e.to_string()),
            data: None,
            height: None,
            use_container_width: true,
            theme: true,
            location: Location::caller(),
        }
    }
    /// The rows the spec draws (replacing any `data` it has).
    pub fn data(mut self, data: impl IntoFrame) -> VegaLite {
        self.data = Some(data.into_frame());
        self
    }
    /// The plot's height in pixels (default: the spec's, else Vega-Lite's).
    pub fn height(mut self, pixels: u32) -> VegaLite {
        self.height = Some(pixels.clamp(40, 4_000));
        self
    }
    /// Fill the container's width (default true), or keep the spec's width.
    pub fn use_container_width(mut self, fill: bool) -> VegaLite {
        self.use_container_width = fill;
        self
    }
    /// Use the app's colours and fonts (default true), or Vega-Lite's own.
    pub fn theme(mut self, theme: bool) -> VegaLite {
        self.theme = theme;
        self
    }
    /// Report the spec's selection parameters (its `params` with a
    /// `select`) to the run: the chart becomes a widget whose value is the
    /// [`VegaSelection`](VegaLiteSelection). Pass the parameter names, or
    /// an empty list for all of them.
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// use serde_json::json;
    ///
    /// fn app(ui: &Ui) {
    ///     let rows: Vec<(f64, f64)> = (0..20).map(|i| (f64::from(i), f64::from(i % 4))).collect();
    ///     let spec = json!({
    ///         "mark": "point",
    ///         "params": [{"name": "brush", "select": {"type": "interval", "encodings": ["x"]}}],
    ///         "encoding": {
    ///             "x": {"field": "0", "type": "quantitative"},
    ///             "y": {"field": "1", "type": "quantitative"}
    ///         }
    ///     });
    ///     let picked = ui.add(VegaLite::new(&spec).data(&rows).on_select(["brush"]));
    ///     if let Some((lo, hi)) = picked.interval("brush", "0") {
    ///         ui.text(format!("{lo}..{hi}: {} rows", picked.rows.len()));
    ///     }
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # at.vega_lite_chart(0).select("brush", json!({"0": [2.0, 4.5]})).run().unwrap();
    /// # assert_eq!(at.text(), vec!["2..4.5: 3 rows"]);
    /// ```
    pub fn on_select<S: Into<String>>(
        self,
        params: impl IntoIterator<Item = S>,
    ) -> SelectableVegaLite {
        SelectableVegaLite {
            chart: self,
            params: params.into_iter().map(Into::into).collect(),
            common: Common::new("vega_lite_chart"),
        }
    }
}

/// A Vega-Lite chart whose selections reach the run; made by
/// [`VegaLite::on_select`]. [`Ui::add`] returns its [`VegaLiteSelection`].
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct SelectableVegaLite {
    chart: VegaLite,
    params: Vec<String>,
    common: Common,
}

impl SelectableVegaLite {
    /// Identify the selection by this key (needed for two selectable
    /// charts of the same spec), and mirror it in session state.
    pub fn key(mut self, key: impl Into<String>) -> SelectableVegaLite {
        self.common.key = Some(key.into());
        self
    }
}

on_change_option!(SelectableVegaLite);

/// What is selected in a Vega-Lite chart: each selection parameter's value
/// as Vega reports it (an interval: field → `[low, high]`; points: field →
/// the values), and the rows of the data inside every selection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VegaLiteSelection {
    /// Parameter name → its value (absent: nothing selected).
    pub params: BTreeMap<String, Value>,
    /// The rows of the chart's data inside every selection, ascending.
    pub rows: Vec<usize>,
}

impl VegaLiteSelection {
    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// The interval of `param` on `field`, low to high.
    pub fn interval(&self, param: &str, field: &str) -> Option<(f64, f64)> {
        let range = self.params.get(param)?.get(field)?.as_array()?;
        match range.as_slice() {
            [lo, hi] => {
                let (lo, hi) = (lo.as_f64()?, hi.as_f64()?);
                Some((lo.min(hi), lo.max(hi)))
            }
            _ => None,
        }
    }

    /// The selected values of `field` in the point selection `param`.
    pub fn values(&self, param: &str, field: &str) -> Vec<Value> {
        self.params
            .get(param)
            .and_then(|p| p.get(field))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }
}

impl Widget for VegaLite {
    type Output = crate::ui::Drawn;
    fn add_to(self, ui: &Ui) -> crate::ui::Drawn {
        let element = match prepare(ui, &self) {
            Some((element, _)) => element,
            None => return crate::ui::Drawn::from(None),
        };
        crate::ui::Drawn::from(ui.draw(Element::VegaLiteChart(Box::new(element))))
    }
}

impl Widget for SelectableVegaLite {
    type Output = VegaLiteSelection;
    fn add_to(self, ui: &Ui) -> VegaLiteSelection {
        let Some((mut element, rows)) = prepare(ui, &self.chart) else {
            return VegaLiteSelection::default();
        };
        // The parameters reported: those named, or every selection.
        let declared = selection_params(&element.spec);
        let params: Vec<String> = if self.params.is_empty() {
            declared.clone()
        } else {
            self.params.clone()
        };
        if let Some(missing) = params.iter().find(|p| !declared.contains(p)) {
            ui.show_error(&AppError::located(
                format!(
                    "vega_lite_chart: the spec has no selection parameter `{missing}` (it has: {})",
                    declared.join(", ")
                ),
                self.chart.location,
            ));
            return VegaLiteSelection::default();
        }
        let id = self
            .common
            .id(WidgetKind::VegaLiteChart)
            .with(element.spec.to_string())
            .with(params.join(","))
            .finish();
        let known = params.clone();
        let decode = move |raw: &Value| decode_selection(raw, &known);
        let known = params.clone();
        let identity = self
            .common
            .identity(WidgetKind::VegaLiteChart, id)
            .with_state(
                |value: &Map<String, Value>| value.clone(),
                move |value| decode_selection(&Value::Object(value.clone()), &known),
            );
        let value = ui.widget(
            identity,
            Map::new(),
            decode,
            |value| Value::Object(value.clone()),
            |base, value| {
                element.selection = Some(VegaSelection {
                    id: base.id,
                    params,
                    value: value.clone(),
                });
                Element::VegaLiteChart(Box::new(element))
            },
        );
        VegaLiteSelection {
            rows: selected_rows(&rows, &value),
            params: value.into_iter().collect(),
        }
    }
}

/// The element (its data in the payload store) and the data's rows as
/// JSON objects, or the reason there is none, shown in its place.
fn prepare(ui: &Ui, chart: &VegaLite) -> Option<(VegaLiteChart, Vec<Value>)> {
    let fail = |message: String| {
        ui.show_error(&AppError::located(
            format!("vega_lite_chart: {message}"),
            chart.location,
        ));
        None
    };
    let mut spec = match &chart.spec {
        Ok(spec) => spec.clone(),
        Err(error) => return fail(format!("the spec is not JSON: {error}")),
    };
    if let Err(message) = check_spec(&spec) {
        return fail(message);
    }
    let mut rows = Vec::new();
    let mut url = None;
    if let Some(data) = &chart.data {
        let frame = match data {
            Ok(frame) => frame,
            Err(error) => return fail(error.to_string()),
        };
        rows = match frame_rows(frame) {
            Ok(rows) => rows,
            Err(error) => return fail(error),
        };
        let bytes = serde_json::to_vec(&rows).unwrap_or_default();
        match ui.put_payload(bytes, "application/json") {
            Ok(Some(payload)) => url = Some(payload.url),
            Ok(None) => return None,
            Err(error) => return fail(error.to_string()),
        }
        if let (Some(url), Some(object)) = (&url, spec.as_object_mut()) {
            object.insert(
                "data".into(),
                serde_json::json!({ "url": url, "format": { "type": "json" } }),
            );
        }
    }
    Some((
        VegaLiteChart {
            spec,
            data: url,
            height: chart.height,
            use_container_width: chart.use_container_width,
            theme: chart.theme,
            selection: None,
            location: ui.location_for_errors(chart.location),
        },
        rows,
    ))
}

/// What can be told of a spec on the server: an object, not too large,
/// with a view (the browser's Vega-Lite reports anything else).
fn check_spec(spec: &Value) -> Result<(), String> {
    let Some(object) = spec.as_object() else {
        return Err(format!(
            "the spec must be a JSON object, not {}",
            kind_of(spec)
        ));
    };
    let size = spec.to_string().len();
    if size > MAX_SPEC_BYTES {
        return Err(format!(
            "the spec is {size} bytes; at most {MAX_SPEC_BYTES} (pass large data with `.data(..)`)"
        ));
    }
    if !VIEW_KEYS.iter().any(|k| object.contains_key(*k)) {
        return Err(format!(
            "the spec has no mark (nor layer, concat, facet or repeat); its keys are: {}",
            object.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let mark = match object.get("mark") {
        Some(Value::Object(m)) => m.get("type").and_then(Value::as_str),
        Some(m) => m.as_str(),
        None => None,
    };
    if let Some(mark) = mark {
        if !MARKS.contains(&mark) {
            return Err(format!(
                "there is no mark `{mark}` in Vega-Lite (the marks are: {})",
                MARKS.join(", ")
            ));
        }
    }
    if let Some(schema) = object.get("$schema").and_then(Value::as_str) {
        if !schema.contains("vega-lite") {
            return Err(format!("`$schema` is {schema}: this draws Vega-Lite specs"));
        }
    }
    Ok(())
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The names of the spec's selection parameters (top level and in layers).
fn selection_params(spec: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut visit = vec![spec];
    while let Some(node) = visit.pop() {
        if let Some(params) = node.get("params").and_then(Value::as_array) {
            for param in params {
                if param.get("select").is_some() {
                    if let Some(name) = param.get("name").and_then(Value::as_str) {
                        if !names.iter().any(|n| n == name) {
                            names.push(name.to_owned());
                        }
                    }
                }
            }
        }
        for key in ["layer", "concat", "hconcat", "vconcat"] {
            if let Some(views) = node.get(key).and_then(Value::as_array) {
                visit.extend(views);
            }
        }
        if let Some(inner) = node.get("spec") {
            visit.push(inner);
        }
    }
    names
}

/// The frame's rows as JSON objects (column name → value). Dates and
/// times go as ISO 8601 text, which Vega parses (as a number they would
/// read as milliseconds).
fn frame_rows(frame: &Frame) -> Result<Vec<Value>, String> {
    use arrow_schema::DataType;
    if frame.num_columns() == 0 {
        return Ok(Vec::new());
    }
    let batch = frame.batch();
    let temporal = |t: &DataType| {
        matches!(
            t,
            DataType::Date32
                | DataType::Date64
                | DataType::Timestamp(..)
                | DataType::Time32(_)
                | DataType::Time64(_)
        )
    };
    let frame = if batch
        .schema()
        .fields()
        .iter()
        .any(|f| temporal(f.data_type()))
    {
        let mut fields = Vec::new();
        let mut columns = Vec::new();
        for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
            if temporal(field.data_type()) {
                let text = arrow_cast::cast(column, &DataType::Utf8).map_err(|e| e.to_string())?;
                fields.push(arrow_schema::Field::new(field.name(), DataType::Utf8, true));
                columns.push(text);
            } else {
                fields.push(field.as_ref().clone());
                columns.push(column.clone());
            }
        }
        let schema = std::sync::Arc::new(arrow_schema::Schema::new(fields));
        let batch =
            arrow_array::RecordBatch::try_new(schema, columns).map_err(|e| e.to_string())?;
        Frame::from_batch(batch)
    } else {
        frame.clone()
    };
    let rows: Vec<Map<String, Value>> = frame.to_rows().map_err(|e| e.to_string())?;
    Ok(rows.into_iter().map(Value::Object).collect())
}

/// The value the browser sent: an object of the known parameters only,
/// each an object (Vega's field → values form).
fn decode_selection(raw: &Value, known: &[String]) -> Option<Map<String, Value>> {
    let object = raw.as_object()?;
    let mut out = Map::new();
    for (name, value) in object {
        if !known.contains(name) {
            return None;
        }
        match value {
            Value::Object(fields) if fields.is_empty() => {}
            Value::Object(_) => {
                out.insert(name.clone(), value.clone());
            }
            Value::Null => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The rows inside every selection: for each field of each parameter, an
/// interval (`[low, high]` of numbers) or a list of values.
fn selected_rows(rows: &[Value], selection: &Map<String, Value>) -> Vec<usize> {
    if selection.is_empty() {
        return Vec::new();
    }
    (0..rows.len())
        .filter(|&i| {
            selection.values().all(|param| {
                param.as_object().is_some_and(|fields| {
                    fields.iter().all(|(field, wanted)| {
                        let value = &rows[i][field];
                        match wanted.as_array().map(Vec::as_slice) {
                            Some([lo, hi])
                                if lo.is_number() && hi.is_number() && value.is_number() =>
                            {
                                let (lo, hi, v) = (
                                    lo.as_f64().unwrap_or(f64::NAN),
                                    hi.as_f64().unwrap_or(f64::NAN),
                                    value.as_f64().unwrap_or(f64::NAN),
                                );
                                v >= lo.min(hi) && v <= lo.max(hi)
                            }
                            Some(values) => values.contains(value),
                            None => false,
                        }
                    })
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn specs_are_checked_before_they_are_sent() {
        assert!(check_spec(&json!({"mark": "bar"})).is_ok());
        assert!(check_spec(&json!({"layer": []})).is_ok());
        assert!(check_spec(&json!([1, 2]))
            .expect_err("invalid")
            .contains("not an array"));
        assert!(check_spec(&json!({"encoding": {}}))
            .expect_err("invalid")
            .contains("no mark"));
        let unknown = check_spec(&json!({"mark": {"type": "bars"}})).expect_err("no such mark");
        assert!(unknown.contains("no mark `bars`"), "{unknown}");
        let vega = json!({"$schema": "https://vega.github.io/schema/vega/v5.json", "mark": "bar"});
        assert!(check_spec(&vega)
            .expect_err("invalid")
            .contains("Vega-Lite"));
    }

    #[test]
    fn selections_name_their_params_and_pick_rows() {
        let spec = json!({
            "layer": [
                {"mark": "point", "params": [{"name": "brush", "select": "interval"}]},
                {"mark": "line", "params": [{"name": "size", "value": 3}]}
            ]
        });
        assert_eq!(selection_params(&spec), vec!["brush"]);
        let known = vec!["brush".to_owned()];
        assert!(decode_selection(&json!({"other": {}}), &known).is_none());
        assert!(decode_selection(&json!({"brush": 3}), &known).is_none());
        let value = decode_selection(&json!({"brush": {"x": [1, 2]}}), &known).expect("valid");
        let rows = vec![json!({"x": 0.5}), json!({"x": 1.5}), json!({"x": 2})];
        assert_eq!(selected_rows(&rows, &value), vec![1, 2]);
        let points = decode_selection(&json!({"brush": {"x": [0.5]}}), &known).expect("valid");
        assert_eq!(selected_rows(&rows, &points), vec![0]);
    }
}
