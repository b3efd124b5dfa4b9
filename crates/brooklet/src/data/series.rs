//! A frame prepared for a simple chart: x ascending and every series as
//! `f64`s (stacked, when the chart stacks), ready for the points endpoint
//! (`m4.rs`) to cut ranges of.
//!
//! Preparing is one pass over the columns, and costs no copy in the common
//! case (an `f64` column without empty values, rows already in x order): the
//! chart then shares the frame's buffers. A prepared chart is kept while
//! some page shows it (the chart registry holds it) and found again by the
//! next run that draws the same data the same way, so a rerun of a
//! 10,000,000-point chart prepares nothing.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef};
use arrow_buffer::ScalarBuffer;
use arrow_schema::{DataType, TimeUnit};

use super::Frame;
use crate::protocol::{AxisScale, ChannelSpec, ChartAxis, ChartMark, ChartStack};

/// What went wrong preparing a chart's data: said in place of the chart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// A column name that is not in the data.
    #[error("there is no column `{name}` (the columns are: {known})")]
    UnknownColumn {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: String,
    },
    /// A column whose type the chart cannot use where it was asked to.
    #[error("column `{column}` ({data_type}) cannot be {role}")]
    ColumnType {
        /// The column.
        column: String,
        /// Its Arrow type.
        data_type: String,
        /// What it was asked to be ("the y values", "dot sizes", …).
        role: &'static str,
    },
    /// NaN or an infinity in the data.
    #[error("column `{column}` row {row} is {value}: charts take finite numbers (leave a value out with None for a gap)")]
    NotFinite {
        /// The column.
        column: String,
        /// The row (from 0).
        row: usize,
        /// "NaN", "inf" or "-inf".
        value: String,
    },
    /// Nothing to draw on y.
    #[error("there is no numeric column to draw (the columns are: {known})")]
    NoValues {
        /// The columns there are.
        known: String,
    },
    /// Options that do not go together.
    #[error("{0}")]
    Options(String),
    /// The data could not be read.
    #[error("{0}")]
    Data(String),
}

/// How the chart's series get their colours.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum ColorBy {
    /// The theme's palette.
    #[default]
    Palette,
    /// One series per distinct value of this column (scatter: a numeric
    /// column colours the dots on a scale instead).
    Column(String),
    /// These CSS colours, one per y column in turn.
    Fixed(Vec<String>),
}

/// What to draw of a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SeriesOptions {
    pub mark: ChartMark,
    /// None: the row position.
    pub x: Option<String>,
    /// Empty: every numeric column but the others named here.
    pub y: Vec<String>,
    pub color: ColorBy,
    /// Scatter: dot sizes from this numeric column.
    pub size: Option<String>,
    pub stack: ChartStack,
}

/// The x of each point: the row positions (no memory at all), or values.
#[derive(Debug, Clone)]
pub(crate) enum XValues {
    Index(usize),
    Values(ScalarBuffer<f64>),
}

/// A frame prepared for one chart. `ys` and `extras` have the length of x.
/// Cloning is cheap (the arrays are shared).
#[derive(Debug, Clone)]
pub(crate) struct ChartData {
    /// The identity of data and options (32 hex digits).
    pub key: String,
    pub x: XValues,
    pub ys: Vec<ScalarBuffer<f64>>,
    /// Scatter: dot sizes, then colour values, as the chart has them.
    pub extras: Vec<ScalarBuffer<f64>>,
    pub x_axis: ChartAxis,
    pub y_axis: ChartAxis,
    /// Series names, in order.
    pub names: Vec<String>,
    /// Series colours (`Fixed`), by position.
    pub colors: Vec<Option<String>>,
    pub size: Option<ChannelSpec>,
    pub color: Option<ChannelSpec>,
    /// Whether point i is row i of the frame (x came in order, one point
    /// per row): then rows appended by `add_rows` are points appended.
    in_row_order: bool,
    /// The frame it was prepared from (for selections' rows and add_rows).
    pub frame: Frame,
    pub options: SeriesOptions,
}

impl ChartData {
    /// How many points.
    pub(crate) fn len(&self) -> usize {
        match &self.x {
            XValues::Index(n) => *n,
            XValues::Values(v) => v.len(),
        }
    }

    /// The x of point `i`.
    pub(crate) fn x_at(&self, i: usize) -> f64 {
        match &self.x {
            XValues::Index(_) => i as f64,
            XValues::Values(v) => v[i],
        }
    }

    /// The first point whose x does not satisfy `pred` (x ascends).
    pub(crate) fn partition_point(&self, pred: impl Fn(f64) -> bool) -> usize {
        self.partition_point_in(0, self.len(), pred)
    }

    /// The first point of `start..end` whose x does not satisfy `pred`.
    pub(crate) fn partition_point_in(
        &self,
        start: usize,
        end: usize,
        pred: impl Fn(f64) -> bool,
    ) -> usize {
        match &self.x {
            XValues::Index(_) => {
                // Positions ascend: binary search on the integers.
                let (mut lo, mut hi) = (start, end);
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if pred(mid as f64) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                lo
            }
            XValues::Values(v) => start + v[start..end].partition_point(|x| pred(*x)),
        }
    }

    /// Whether rows appended to the frame are points appended to the end.
    pub(crate) fn appendable(&self) -> bool {
        self.in_row_order
    }

    /// The rows of the frame whose x lies in `lo..=hi` (an interval
    /// selection), ascending.
    pub(crate) fn rows_in(&self, lo: f64, hi: f64) -> Vec<usize> {
        let Ok(xs) = self.frame_x() else {
            return Vec::new();
        };
        (0..self.frame.num_rows())
            .filter(|&row| {
                let x = xs.get(row);
                x >= lo && x <= hi
            })
            .collect()
    }

    /// The rows of the frame at `x` in series `series` (a clicked point).
    pub(crate) fn rows_at(&self, x: f64, series: usize) -> Vec<usize> {
        let Ok(xs) = self.frame_x() else {
            return Vec::new();
        };
        let of_series: Option<Vec<Option<usize>>> = match &self.options.color {
            ColorBy::Column(column) if self.color.is_none() => self
                .frame
                .column(column)
                .map(|c| series_of_rows(c, &self.names)),
            _ => None,
        };
        (0..self.frame.num_rows())
            .filter(|&row| {
                xs.get(row) == x
                    && of_series
                        .as_ref()
                        .is_none_or(|of| of.get(row).copied().flatten() == Some(series))
            })
            .collect()
    }

    /// The x of each row of the frame, as the chart reads it.
    fn frame_x(&self) -> Result<RowX, ChartError> {
        match &self.options.x {
            None => Ok(RowX::Index),
            Some(name) => {
                let column = column(&self.frame, name)?;
                if self.x_axis.scale == AxisScale::Category {
                    let at: HashMap<&str, f64> = self
                        .x_axis
                        .categories
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (c.as_str(), i as f64))
                        .collect();
                    let texts = texts(name, column)?;
                    Ok(RowX::Values(
                        texts
                            .iter()
                            .map(|t| {
                                t.as_deref()
                                    .and_then(|t| at.get(t))
                                    .copied()
                                    .unwrap_or(f64::NAN)
                            })
                            .collect(),
                    ))
                } else {
                    let (values, _) = numbers(name, column, "the x values")?;
                    Ok(RowX::Values(values.to_vec()))
                }
            }
        }
    }

    /// A chart of `ys` over the row positions, for tests of the aggregation.
    #[cfg(test)]
    pub(crate) fn for_test(x: Option<Vec<f64>>, ys: Vec<Vec<f64>>) -> ChartData {
        let n = ys.first().map_or(0, Vec::len);
        ChartData {
            key: String::new(),
            x: match x {
                Some(x) => XValues::Values(ScalarBuffer::from(x)),
                None => XValues::Index(n),
            },
            ys: ys.into_iter().map(ScalarBuffer::from).collect(),
            extras: Vec::new(),
            x_axis: axis(AxisScale::Number),
            y_axis: axis(AxisScale::Number),
            names: Vec::new(),
            colors: Vec::new(),
            size: None,
            color: None,
            in_row_order: true,
            frame: Frame::from_rows::<u8>(&[]).expect("empty"),
            options: SeriesOptions {
                mark: ChartMark::Line,
                x: None,
                y: Vec::new(),
                color: ColorBy::Palette,
                size: None,
                stack: ChartStack::None,
            },
        }
    }
}

enum RowX {
    Index,
    Values(Vec<f64>),
}

impl RowX {
    fn get(&self, row: usize) -> f64 {
        match self {
            RowX::Index => row as f64,
            RowX::Values(v) => v.get(row).copied().unwrap_or(f64::NAN),
        }
    }
}

/// `frame` prepared for a chart drawn with `options`: found again if some
/// page already shows the same, else prepared now.
pub(crate) fn prepare(
    frame: &Frame,
    options: &SeriesOptions,
) -> Result<Arc<ChartData>, ChartError> {
    static PREPARED: OnceLock<Mutex<HashMap<String, Weak<ChartData>>>> = OnceLock::new();
    static KEYS: OnceLock<std::hash::RandomState> = OnceLock::new();
    let mut hasher = KEYS.get_or_init(Default::default).build_hasher();
    hasher.write(format!("{options:?}").as_bytes());
    let key = format!("{}{:016x}", &frame.id()[..16], hasher.finish());
    let prepared = PREPARED.get_or_init(Mutex::default);
    if let Some(data) = crate::sync::lock(prepared)
        .get(&key)
        .and_then(Weak::upgrade)
    {
        return Ok(data);
    }
    let data = Arc::new(build(frame, options, key.clone())?);
    let mut prepared = crate::sync::lock(prepared);
    if prepared.len() >= 64 {
        prepared.retain(|_, data| data.strong_count() > 0);
    }
    prepared.insert(key, Arc::downgrade(&data));
    Ok(data)
}

fn axis(scale: AxisScale) -> ChartAxis {
    ChartAxis {
        title: String::new(),
        scale,
        categories: Vec::new(),
        min: 0.0,
        max: 0.0,
    }
}

fn column<'a>(frame: &'a Frame, name: &str) -> Result<&'a ArrayRef, ChartError> {
    frame.column(name).ok_or_else(|| ChartError::UnknownColumn {
        name: name.to_owned(),
        known: frame.column_names().join(", "),
    })
}

fn is_numeric(data_type: &DataType) -> bool {
    data_type.is_numeric()
        || matches!(
            data_type,
            DataType::Date32 | DataType::Date64 | DataType::Timestamp(..)
        )
}

fn is_temporal(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..)
    )
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Boolean
    ) || matches!(data_type, DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8))
}

/// A numeric or date column as `f64`s (dates and times as seconds since
/// 1970 UTC), empty values as NaN; shares the column's buffer when it is
/// `f64` without empty values. The bool says whether there were empty
/// values. NaN and infinities in the data are an error.
fn numbers(
    name: &str,
    array: &ArrayRef,
    role: &'static str,
) -> Result<(ScalarBuffer<f64>, bool), ChartError> {
    let wrong = || ChartError::ColumnType {
        column: name.to_owned(),
        data_type: array.data_type().to_string(),
        role,
    };
    let arrow = |e: arrow_schema::ArrowError| ChartError::Data(e.to_string());
    let values: ScalarBuffer<f64> = match array.data_type() {
        DataType::Float64 => array.as_primitive::<Float64Type>().values().clone(),
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..) => {
            let seconds_per = match array.data_type() {
                DataType::Date32 => 86_400.0,
                DataType::Date64 | DataType::Timestamp(TimeUnit::Millisecond, _) => 1e-3,
                DataType::Timestamp(TimeUnit::Second, _) => 1.0,
                DataType::Timestamp(TimeUnit::Microsecond, _) => 1e-6,
                _ => 1e-9,
            };
            let ints = arrow_cast::cast(array, &DataType::Int64).map_err(arrow)?;
            ints.as_primitive::<Int64Type>()
                .values()
                .iter()
                .map(|&v| v as f64 * seconds_per)
                .collect()
        }
        t if t.is_numeric() => {
            let floats = arrow_cast::cast(array, &DataType::Float64).map_err(arrow)?;
            floats.as_primitive::<Float64Type>().values().clone()
        }
        _ => return Err(wrong()),
    };
    if let Some(row) = values
        .iter()
        .enumerate()
        .position(|(row, v)| !v.is_finite() && array.is_valid(row))
    {
        let v = values[row];
        return Err(ChartError::NotFinite {
            column: name.to_owned(),
            row,
            value: if v.is_nan() {
                "NaN"
            } else if v > 0.0 {
                "inf"
            } else {
                "-inf"
            }
            .to_owned(),
        });
    }
    if array.null_count() == 0 {
        return Ok((values, false));
    }
    let with_gaps: Vec<f64> = values
        .iter()
        .enumerate()
        .map(|(row, &v)| if array.is_valid(row) { v } else { f64::NAN })
        .collect();
    Ok((ScalarBuffer::from(with_gaps), true))
}

/// A numeric or date column as `f64`s, empty values as NaN (for maps).
pub(crate) fn column_numbers(name: &str, array: &ArrayRef) -> Result<Vec<f64>, ChartError> {
    Ok(numbers(name, array, "numbers")?.0.to_vec())
}

/// A text (or bool) column's values.
fn texts(name: &str, array: &ArrayRef) -> Result<Vec<Option<String>>, ChartError> {
    let strings = arrow_cast::cast(array, &DataType::Utf8).map_err(|_| ChartError::ColumnType {
        column: name.to_owned(),
        data_type: array.data_type().to_string(),
        role: "categories",
    })?;
    Ok(strings
        .as_string::<i32>()
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect())
}

/// Each row's series: the position of its colour column's value in `names`.
fn series_of_rows(array: &ArrayRef, names: &[String]) -> Vec<Option<usize>> {
    let at: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    texts("", array)
        .unwrap_or_default()
        .iter()
        .map(|t| at.get(t.as_deref().unwrap_or("")).copied())
        .collect()
}

/// Distinct values in order of first appearance, and each row's position
/// among them (empty values: "").
fn categories(values: &[Option<String>]) -> (Vec<String>, Vec<usize>) {
    let mut names: Vec<String> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let rows = values
        .iter()
        .map(|v| {
            let v = v.clone().unwrap_or_default();
            *at.entry(v.clone()).or_insert_with(|| {
                names.push(v);
                names.len() - 1
            })
        })
        .collect();
    (names, rows)
}

fn build(frame: &Frame, options: &SeriesOptions, key: String) -> Result<ChartData, ChartError> {
    let known = || frame.column_names().join(", ");
    let rows = frame.num_rows();
    let scatter = options.mark == ChartMark::Scatter;

    // x: positions, numbers, times or categories.
    let mut x_axis = axis(AxisScale::Number);
    let x_values: Option<ScalarBuffer<f64>> = match &options.x {
        None => None,
        Some(name) => {
            let array = column(frame, name)?;
            x_axis.title = name.clone();
            if is_numeric(array.data_type()) {
                if is_temporal(array.data_type()) {
                    x_axis.scale = AxisScale::Time;
                }
                Some(numbers(name, array, "the x values")?.0)
            } else if is_text(array.data_type()) {
                let (names, at) = categories(&texts(name, array)?);
                x_axis.scale = AxisScale::Category;
                x_axis.categories = names;
                Some(at.into_iter().map(|i| i as f64).collect())
            } else {
                return Err(ChartError::ColumnType {
                    column: name.clone(),
                    data_type: array.data_type().to_string(),
                    role: "the x axis",
                });
            }
        }
    };

    // The colour column: categories split the series; a numeric one on a
    // scatter chart colours the dots on a scale.
    let mut color_channel: Option<(String, ScalarBuffer<f64>)> = None;
    let mut color_series: Option<(Vec<String>, Vec<usize>)> = None;
    if let ColorBy::Column(name) = &options.color {
        let array = column(frame, name)?;
        if scatter && array.data_type().is_numeric() {
            color_channel = Some((name.clone(), numbers(name, array, "colours")?.0));
        } else if is_text(array.data_type()) || array.data_type().is_integer() {
            color_series = Some(categories(&texts(name, array)?));
        } else {
            return Err(ChartError::ColumnType {
                column: name.clone(),
                data_type: array.data_type().to_string(),
                role: "series (colours)",
            });
        }
    }

    // y: the columns named, or every numeric one not used otherwise.
    let used: Vec<&str> = [options.x.as_deref(), options.size.as_deref()]
        .into_iter()
        .flatten()
        .chain(match &options.color {
            ColorBy::Column(c) => Some(c.as_str()),
            _ => None,
        })
        .collect();
    let y_names: Vec<String> = if options.y.is_empty() {
        frame
            .schema()
            .fields()
            .iter()
            .filter(|f| f.data_type().is_numeric() && !used.contains(&f.name().as_str()))
            .map(|f| f.name().clone())
            .collect()
    } else {
        options.y.clone()
    };
    if y_names.is_empty() {
        return Err(ChartError::NoValues { known: known() });
    }
    let mut ys: Vec<ScalarBuffer<f64>> = Vec::with_capacity(y_names.len());
    for name in &y_names {
        let array = column(frame, name)?;
        if !array.data_type().is_numeric() {
            return Err(ChartError::ColumnType {
                column: name.clone(),
                data_type: array.data_type().to_string(),
                role: "the y values (they must be numbers)",
            });
        }
        ys.push(numbers(name, array, "the y values")?.0);
    }
    let mut extras: Vec<ScalarBuffer<f64>> = Vec::new();
    let mut size = None;
    if let Some(name) = &options.size {
        let array = column(frame, name)?;
        let (values, _) = numbers(name, array, "dot sizes")?;
        size = Some(channel(name, &values));
        extras.push(values);
    }
    let mut color = None;
    if let Some((name, values)) = color_channel {
        color = Some(channel(&name, &values));
        extras.push(values);
    }

    let mut names = y_names.clone();
    let mut colors: Vec<Option<String>> = match &options.color {
        ColorBy::Fixed(fixed) => {
            if fixed.len() != y_names.len() && fixed.len() != 1 {
                return Err(ChartError::Options(format!(
                    "{} colours for {} series ({})",
                    fixed.len(),
                    y_names.len(),
                    y_names.join(", ")
                )));
            }
            (0..y_names.len())
                .map(|i| Some(fixed[i.min(fixed.len() - 1)].clone()))
                .collect()
        }
        _ => vec![None; y_names.len()],
    };

    // Long form (one series per colour value): one y column, split.
    let mut in_row_order = true;
    let mut xs: Option<ScalarBuffer<f64>> = x_values.clone();
    if let Some((series_names, of_row)) = color_series {
        if ys.len() != 1 {
            return Err(ChartError::Options(format!(
                "with colours from a column, draw one y column (not {})",
                y_names.join(", ")
            )));
        }
        let y = &ys[0];
        let x_of = |row: usize| x_values.as_ref().map_or(row as f64, |x| x[row]);
        let s = series_names.len();
        in_row_order = false;
        if scatter {
            // Every row stays a point, in x order; each series has values
            // only at its own rows.
            let mut order: Vec<usize> = (0..rows).filter(|&r| !x_of(r).is_nan()).collect();
            order.sort_by(|&a, &b| x_of(a).total_cmp(&x_of(b)));
            let mut split = vec![vec![f64::NAN; order.len()]; s];
            for (i, &row) in order.iter().enumerate() {
                split[of_row[row]][i] = y[row];
            }
            xs = Some(order.iter().map(|&r| x_of(r)).collect());
            extras = extras
                .iter()
                .map(|e| order.iter().map(|&r| e[r]).collect())
                .collect();
            ys = split.into_iter().map(ScalarBuffer::from).collect();
        } else {
            // One point per distinct x; a series' values at one x add up
            // for bars, the last one counts for lines.
            let mut distinct: Vec<f64> = (0..rows).map(x_of).filter(|x| !x.is_nan()).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let mut split = vec![vec![f64::NAN; distinct.len()]; s];
            for row in 0..rows {
                let x = x_of(row);
                let Ok(i) = distinct.binary_search_by(|d| d.total_cmp(&x)) else {
                    continue;
                };
                let slot = &mut split[of_row[row]][i];
                if options.mark == ChartMark::Bar && !slot.is_nan() && !y[row].is_nan() {
                    *slot += y[row];
                } else if !y[row].is_nan() || slot.is_nan() {
                    *slot = y[row];
                }
            }
            xs = Some(ScalarBuffer::from(distinct));
            ys = split.into_iter().map(ScalarBuffer::from).collect();
        }
        names = series_names;
        colors = vec![None; names.len()];
    } else if let Some(x) = &x_values {
        // Wide form: rows in x order (sorted when they are not), without
        // rows that have no x.
        let ascending = x.windows(2).all(|w| w[0] <= w[1]) && !x.iter().any(|v| v.is_nan());
        let bars_repeat = options.mark == ChartMark::Bar && x.windows(2).any(|w| w[0] == w[1]);
        if !ascending || bars_repeat {
            in_row_order = false;
            let mut order: Vec<usize> = (0..rows).filter(|&r| !x[r].is_nan()).collect();
            order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
            let mut sorted_x: Vec<f64> = order.iter().map(|&r| x[r]).collect();
            let mut sorted_ys: Vec<Vec<f64>> = ys
                .iter()
                .map(|y| order.iter().map(|&r| y[r]).collect())
                .collect();
            if options.mark == ChartMark::Bar {
                // Bars at one x add up (as stacked bars would show them).
                let (mut at, mut keep) = (Vec::new(), 0usize);
                for i in 0..sorted_x.len() {
                    if i > 0 && sorted_x[i] == sorted_x[keep] {
                        for y in &mut sorted_ys {
                            y[keep] = nan_sum(y[keep], y[i]);
                        }
                    } else {
                        keep = i;
                        at.push(i);
                    }
                }
                sorted_x = at.iter().map(|&i| sorted_x[i]).collect();
                sorted_ys = sorted_ys
                    .iter()
                    .map(|y| at.iter().map(|&i| y[i]).collect())
                    .collect();
            }
            extras = extras
                .iter()
                .map(|e| order.iter().map(|&r| e[r]).collect())
                .collect();
            xs = Some(ScalarBuffer::from(sorted_x));
            ys = sorted_ys.into_iter().map(ScalarBuffer::from).collect();
        }
    }

    // Stacking: each series' values become the top of its band.
    let stack = match options.mark {
        ChartMark::Area | ChartMark::Bar => options.stack,
        _ => ChartStack::None,
    };
    if stack != ChartStack::None && !ys.is_empty() {
        let n = ys[0].len();
        let mut tops: Vec<Vec<f64>> = vec![vec![0.0; n]; ys.len()];
        for i in 0..n {
            let mut total = 0.0;
            for (s, y) in ys.iter().enumerate() {
                if !y[i].is_nan() {
                    total += y[i];
                }
                tops[s][i] = total;
            }
            if stack == ChartStack::Normalize {
                for top in &mut tops {
                    top[i] = if total == 0.0 { 0.0 } else { top[i] / total };
                }
            }
        }
        ys = tops.into_iter().map(ScalarBuffer::from).collect();
    }

    // The axes' ranges.
    let n = xs.as_ref().map_or(rows, ScalarBuffer::len);
    let x = match xs {
        Some(v) => XValues::Values(v),
        None => XValues::Index(rows),
    };
    if n > 0 {
        let (first, last) = match &x {
            XValues::Index(n) => (0.0, (*n - 1) as f64),
            XValues::Values(v) => (v[0], v[v.len() - 1]),
        };
        x_axis.min = first;
        x_axis.max = last;
    }
    let mut y_axis = axis(AxisScale::Number);
    if y_names.len() == 1 {
        y_axis.title = y_names[0].clone();
    }
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for y in &ys {
        for &v in y.iter() {
            if v < lo {
                lo = v;
            }
            if v > hi {
                hi = v;
            }
        }
    }
    if lo <= hi {
        if matches!(options.mark, ChartMark::Bar | ChartMark::Area) {
            lo = lo.min(0.0);
            hi = hi.max(0.0);
        }
        y_axis.min = lo;
        y_axis.max = hi;
    }
    Ok(ChartData {
        key,
        x,
        ys,
        extras,
        x_axis,
        y_axis,
        names,
        colors,
        size,
        color,
        in_row_order,
        frame: frame.clone(),
        options: options.clone(),
    })
}

fn nan_sum(a: f64, b: f64) -> f64 {
    match (a.is_nan(), b.is_nan()) {
        (true, _) => b,
        (_, true) => a,
        _ => a + b,
    }
}

/// A channel's column and the range of its values.
fn channel(name: &str, values: &[f64]) -> ChannelSpec {
    let (lo, hi) = values
        .iter()
        .filter(|v| !v.is_nan())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    ChannelSpec {
        column: name.to_owned(),
        min: if lo.is_finite() { lo } else { 0.0 },
        max: if hi.is_finite() { hi } else { 0.0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(mark: ChartMark) -> SeriesOptions {
        SeriesOptions {
            mark,
            x: None,
            y: Vec::new(),
            color: ColorBy::Palette,
            size: None,
            stack: ChartStack::None,
        }
    }

    #[derive(serde::Serialize)]
    struct Sale {
        month: &'static str,
        region: &'static str,
        units: f64,
    }

    fn sales() -> Frame {
        let rows = [
            ("jan", "north", 3.0),
            ("jan", "south", 5.0),
            ("feb", "north", 4.0),
            ("feb", "south", 1.0),
            ("feb", "north", 2.0),
        ];
        Frame::from_rows(
            &rows
                .iter()
                .map(|&(month, region, units)| Sale {
                    month,
                    region,
                    units,
                })
                .collect::<Vec<_>>(),
        )
        .expect("rows")
    }

    #[test]
    fn an_f64_column_in_order_is_shared_not_copied() {
        let frame = Frame::from_rows(&(0..1000).map(f64::from).collect::<Vec<_>>()).expect("rows");
        let data = prepare(&frame, &options(ChartMark::Line)).expect("prepares");
        let column = frame.column("value").expect("value column");
        let shared = column.as_primitive::<Float64Type>().values();
        assert_eq!(data.ys[0].as_ptr(), shared.as_ptr());
        assert!(data.appendable());
        assert_eq!((data.y_axis.min, data.y_axis.max), (0.0, 999.0));
        // The same data drawn the same way is found again.
        let again = prepare(&frame, &options(ChartMark::Line)).expect("prepares");
        assert!(Arc::ptr_eq(&data, &again));
    }

    #[test]
    fn categories_on_x_and_series_from_a_colour_column() {
        let mut opts = options(ChartMark::Bar);
        opts.x = Some("month".into());
        opts.color = ColorBy::Column("region".into());
        opts.stack = ChartStack::Stacked;
        let data = prepare(&sales(), &opts).expect("prepares");
        assert_eq!(data.x_axis.scale, AxisScale::Category);
        assert_eq!(data.x_axis.categories, ["jan", "feb"]);
        assert_eq!(data.names, ["north", "south"]);
        // Bars at one x add up (feb north: 4 + 2), then stack.
        assert_eq!(&data.ys[0][..], &[3.0, 6.0]);
        assert_eq!(&data.ys[1][..], &[8.0, 7.0]);
        assert_eq!(data.rows_at(1.0, 0), vec![2, 4]);
        assert_eq!(data.rows_in(0.0, 0.0), vec![0, 1]);
    }

    #[test]
    fn normalized_stacks_end_at_one() {
        let mut opts = options(ChartMark::Area);
        opts.x = Some("month".into());
        opts.color = ColorBy::Column("region".into());
        opts.stack = ChartStack::Normalize;
        let data = prepare(&sales(), &opts).expect("prepares");
        assert!(data.ys[1].iter().all(|v| (*v - 1.0).abs() < 1e-12));
    }

    #[test]
    fn unsorted_x_is_sorted_and_dates_are_seconds() {
        #[derive(serde::Serialize)]
        struct P {
            at: f64,
            v: f64,
        }
        let frame =
            Frame::from_rows(&[P { at: 2.0, v: 20.0 }, P { at: 1.0, v: 10.0 }]).expect("rows");
        let mut opts = options(ChartMark::Line);
        opts.x = Some("at".into());
        let data = prepare(&frame, &opts).expect("prepares");
        assert_eq!(data.x_at(0), 1.0);
        assert_eq!(&data.ys[0][..], &[10.0, 20.0]);
        assert!(!data.appendable());

        let dates = arrow_array::Date32Array::from(vec![0, 1]);
        let values = arrow_array::Float64Array::from(vec![1.0, 2.0]);
        let batch = arrow_array::RecordBatch::try_from_iter([
            ("day", Arc::new(dates) as ArrayRef),
            ("v", Arc::new(values) as ArrayRef),
        ])
        .expect("batch");
        let mut opts = options(ChartMark::Line);
        opts.x = Some("day".into());
        let data = prepare(&Frame::from_batch(batch), &opts).expect("prepares");
        assert_eq!(data.x_axis.scale, AxisScale::Time);
        assert_eq!(data.x_at(1), 86_400.0);
    }

    #[test]
    fn bad_data_says_what_and_where() {
        let frame = Frame::from_rows(&[1.0, f64::NAN]).expect("rows");
        let err = prepare(&frame, &options(ChartMark::Line)).expect_err("NaN");
        assert!(err.to_string().contains("row 1 is NaN"), "{err}");
        let mut opts = options(ChartMark::Line);
        opts.y = vec!["nope".into()];
        let err = prepare(&frame, &opts).expect_err("missing");
        assert!(err.to_string().contains("no column `nope`"), "{err}");
        let words = Frame::from_rows(&["a", "b"]).expect("rows");
        let err = prepare(&words, &options(ChartMark::Line)).expect_err("no numbers");
        assert!(matches!(err, ChartError::NoValues { .. }), "{err}");
        // Empty values are gaps, not errors.
        let gaps = Frame::from_rows(&[Some(1.0), None, Some(3.0)]).expect("rows");
        let data = prepare(&gaps, &options(ChartMark::Line)).expect("gaps are fine");
        assert!(data.ys[0][1].is_nan());
    }
}
