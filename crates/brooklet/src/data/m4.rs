//! The points of a simple chart for one range of x at one width: every
//! point when there are few, else per pixel column the first, smallest,
//! largest and last value of each series (the M4 method of Jugel et al.,
//! VLDB 2014).
//!
//! Why M4: a line drawn through those four points per pixel column lights
//! exactly the pixels the line through all the points lights: the first and
//! last join the neighbouring columns, the smallest and largest span the
//! column's vertical stroke. So a 10,000,000-point series is drawn from
//! about 4 × width points, with every peak, and zooming in asks again for
//! the narrower range until the points themselves come back.
//!
//! The answer is binary (the layout is in `frontend/src/charts/chartdata.ts`):
//! little-endian `f64` arrays behind a 48-byte header, so the browser makes
//! typed arrays of it without parsing a number.

use super::series::ChartData;

/// Answers whose points are aggregated.
pub(crate) const FLAG_AGGREGATED: u32 = 1;
/// Answers whose points follow the ones the browser has (`after=`).
pub(crate) const FLAG_APPEND: u32 = 2;
/// "BKC1", read as a little-endian `u32`.
const MAGIC: u32 = u32::from_le_bytes(*b"BKC1");
/// The widest answer, in pixel columns.
pub(crate) const MAX_PX: u32 = 8192;
/// With at most this many points per pixel column the points themselves
/// are sent (aggregating would not make the answer smaller).
const RAW_PER_PX: usize = 4;

/// What the browser asks of a chart's points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum PointsRequest {
    /// The points between `x0` and `x1` (`None`: the data's ends) at `px`
    /// pixel columns.
    Range {
        x0: Option<f64>,
        x1: Option<f64>,
        px: u32,
    },
    /// The points of rows `after..`, which `add_rows` appended.
    After { after: u64, px: u32 },
}

/// Points ready to encode: a shared x and one y array per series (plus the
/// scatter's extra arrays), all of one length.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Points {
    pub flags: u32,
    pub x0: f64,
    pub x1: f64,
    /// Data rows in the range the points stand for.
    pub rows: u64,
    pub x: Vec<f64>,
    pub ys: Vec<Vec<f64>>,
    pub extras: Vec<Vec<f64>>,
}

impl Points {
    /// The binary answer.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let n = self.x.len();
        let arrays = 1 + self.ys.len() + self.extras.len();
        let mut out = Vec::with_capacity(48 + arrays * n * 8);
        for word in [
            MAGIC,
            self.flags,
            n as u32,
            self.ys.len() as u32,
            self.extras.len() as u32,
            0,
        ] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        for value in [self.x0, self.x1, self.rows as f64] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        for array in std::iter::once(&self.x).chain(&self.ys).chain(&self.extras) {
            debug_assert_eq!(array.len(), n);
            for value in array {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        out
    }
}

/// The points `request` asks for.
pub(crate) fn points(data: &ChartData, request: PointsRequest) -> Points {
    match request {
        PointsRequest::Range { x0, x1, px } => range(data, x0, x1, px),
        PointsRequest::After { after, px } => {
            let rows = data.len();
            let after = (after as usize).min(rows);
            // Appended rows come after the browser's points only when the
            // data kept its order (x ascending in row order) and they are
            // few; otherwise the whole range, which replaces what it has.
            if data.appendable() && rows - after <= RAW_PER_PX * px.max(1) as usize {
                let mut points = raw(data, after, rows);
                points.flags |= FLAG_APPEND;
                points
            } else {
                range(data, None, None, px)
            }
        }
    }
}

/// The points between `x0` and `x1`.
fn range(data: &ChartData, x0: Option<f64>, x1: Option<f64>, px: u32) -> Points {
    let px = px.clamp(1, MAX_PX) as usize;
    let len = data.len();
    if len == 0 {
        return Points::default();
    }
    let (lo, hi) = (data.x_at(0), data.x_at(len - 1));
    let x0 = x0.filter(|v| v.is_finite()).unwrap_or(lo);
    let x1 = x1.filter(|v| v.is_finite()).unwrap_or(hi);
    let (x0, x1) = if x0 <= x1 { (x0, x1) } else { (x1, x0) };
    // The rows inside the range, and one more on each side so the lines
    // run on to the edges of the plot instead of stopping short.
    let start = data.partition_point(|x| x < x0);
    let end = data.partition_point(|x| x <= x1);
    let (start, end) = (start.saturating_sub(1), (end + 1).min(len));
    let inside = end.saturating_sub(start);
    let mut points = if inside <= RAW_PER_PX * px {
        raw(data, start, end)
    } else {
        aggregate(data, start, end, x0, x1, px)
    };
    points.x0 = x0;
    points.x1 = x1;
    points
}

/// Rows `start..end` as they are.
fn raw(data: &ChartData, start: usize, end: usize) -> Points {
    Points {
        flags: 0,
        x0: if end > start { data.x_at(start) } else { 0.0 },
        x1: if end > start { data.x_at(end - 1) } else { 0.0 },
        rows: (end - start) as u64,
        x: (start..end).map(|i| data.x_at(i)).collect(),
        ys: data.ys.iter().map(|y| y[start..end].to_vec()).collect(),
        extras: data.extras.iter().map(|e| e[start..end].to_vec()).collect(),
    }
}

/// One series' summary of one pixel column.
#[derive(Clone, Copy)]
struct Summary {
    first: usize,
    last: usize,
    min: usize,
    max: usize,
}

/// The summary of `values` (rows `offset..`): `None` when all are missing.
/// A tight loop over a slice: NaN compares false, so gaps are skipped
/// without a branch of their own.
fn summarize(values: &[f64], offset: usize) -> Option<Summary> {
    let first = values.iter().position(|v| !v.is_nan())?;
    let last = values.iter().rposition(|v| !v.is_nan()).unwrap_or(first);
    let (mut min, mut max) = (first, first);
    let (mut lo, mut hi) = (values[first], values[first]);
    for (i, &v) in values.iter().enumerate().skip(first + 1) {
        if v < lo {
            lo = v;
            min = i;
        }
        if v > hi {
            hi = v;
            max = i;
        }
    }
    Some(Summary {
        first: offset + first,
        last: offset + last,
        min: offset + min,
        max: offset + max,
    })
}

/// Rows `start..end` as first/min/max/last per pixel column of
/// `(x1 - x0) / px`.
fn aggregate(data: &ChartData, start: usize, end: usize, x0: f64, x1: f64, px: usize) -> Points {
    let width = (x1 - x0) / px as f64;
    // The pixel column of each x; the rows just outside the range (kept
    // for the lines' ends) get columns of their own at either end.
    let column = |x: f64| -> i64 {
        if width <= 0.0 {
            return 0;
        }
        ((x - x0) / width).floor().clamp(-1.0, px as f64) as i64
    };
    let single = data.ys.len() == 1;
    let mut out = Points {
        flags: FLAG_AGGREGATED,
        rows: (end - start) as u64,
        ys: vec![Vec::new(); data.ys.len()],
        extras: vec![Vec::new(); data.extras.len()],
        ..Points::default()
    };
    let mut summaries: Vec<Option<Summary>> = vec![None; data.ys.len()];
    let mut row = start;
    while row < end {
        // One pixel column: its rows end where x reaches the next column
        // (x ascends, so a binary search finds it).
        let col = column(data.x_at(row));
        let next = data
            .partition_point_in(row, end, |x| column(x) <= col)
            .max(row + 1);
        for (summary, y) in summaries.iter_mut().zip(&data.ys) {
            *summary = summarize(&y[row..next], row);
        }
        emit(data, &mut out, &summaries, row, next - 1, single);
        row = next;
    }
    out
}

/// Append one pixel column's samples: 1, 2 or 4 of them. With one series
/// they are its own rows (first, then min and max in the order they came,
/// then last); with several, the x of the column's first and last rows and
/// two between them, each series' values in the same order: within one
/// pixel column the x positions cannot be told apart, and a shared x keeps
/// the series aligned for the tooltip and for stacking.
fn emit(
    data: &ChartData,
    out: &mut Points,
    summaries: &[Option<Summary>],
    first: usize,
    last: usize,
    single: bool,
) {
    let rows = last - first + 1;
    if rows <= 2 {
        for r in first..=last {
            out.x.push(data.x_at(r));
            for (series, y) in data.ys.iter().enumerate() {
                out.ys[series].push(y[r]);
            }
            for (extra, e) in data.extras.iter().enumerate() {
                out.extras[extra].push(e[r]);
            }
        }
        return;
    }
    let ordered = |s: &Summary| -> [usize; 4] {
        let (a, b) = if s.min <= s.max {
            (s.min, s.max)
        } else {
            (s.max, s.min)
        };
        [s.first, a, b, s.last]
    };
    if single {
        let Some(s) = &summaries[0] else {
            // Every value in the column is missing: one gap.
            out.x.push(data.x_at(first));
            out.ys[0].push(f64::NAN);
            for (extra, e) in data.extras.iter().enumerate() {
                out.extras[extra].push(e[first]);
            }
            return;
        };
        for r in ordered(s) {
            out.x.push(data.x_at(r));
            out.ys[0].push(data.ys[0][r]);
            for (extra, e) in data.extras.iter().enumerate() {
                out.extras[extra].push(e[r]);
            }
        }
        return;
    }
    let (xa, xb) = (data.x_at(first), data.x_at(last));
    let step = (xb - xa) / 3.0;
    for (k, x) in [xa, xa + step, step.mul_add(2.0, xa), xb]
        .into_iter()
        .enumerate()
    {
        out.x.push(x);
        for (series, y) in data.ys.iter().enumerate() {
            out.ys[series].push(match &summaries[series] {
                Some(s) => y[ordered(s)[k]],
                None => f64::NAN,
            });
        }
        for (extra, e) in data.extras.iter().enumerate() {
            let r = summaries[0].as_ref().map_or(first, |s| ordered(s)[k]);
            out.extras[extra].push(e[r]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::series::ChartData;

    /// The points of the whole range at `px` pixel columns.
    fn whole(data: &ChartData, px: u32) -> Points {
        points(
            data,
            PointsRequest::Range {
                x0: None,
                x1: None,
                px,
            },
        )
    }

    fn walk(n: usize) -> Vec<f64> {
        let mut y = 0.0;
        let mut seed: u64 = 7;
        (0..n)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                y += ((seed >> 33) as f64 / (1u64 << 31) as f64) - 0.5;
                y
            })
            .collect()
    }

    #[test]
    fn few_points_come_back_exactly() {
        let y = walk(100);
        let data = ChartData::for_test(None, vec![y.clone()]);
        let p = whole(&data, 800);
        assert_eq!(p.flags & FLAG_AGGREGATED, 0);
        assert_eq!(p.ys[0], y);
        assert_eq!(p.x, (0..100).map(|i| i as f64).collect::<Vec<_>>());
    }

    #[test]
    fn aggregation_keeps_every_peak_of_each_pixel_column() {
        let n = 1_000_000;
        let y = walk(n);
        let data = ChartData::for_test(None, vec![y.clone()]);
        let px = 500;
        let p = whole(&data, px);
        assert_eq!(p.flags & FLAG_AGGREGATED, FLAG_AGGREGATED);
        assert!(p.x.len() <= 4 * (px as usize + 2), "{} points", p.x.len());
        // The global extremes and the true per-column extremes survive.
        let max = y.iter().cloned().fold(f64::MIN, f64::max);
        let min = y.iter().cloned().fold(f64::MAX, f64::min);
        assert!(p.ys[0].contains(&max) && p.ys[0].contains(&min));
        let width = (n - 1) as f64 / px as f64;
        for col in [0usize, 17, 250, 499] {
            let rows = (0..n).filter(|&i| ((i as f64) / width).floor() as usize == col);
            let (lo, hi) = rows.fold((f64::MAX, f64::MIN), |(lo, hi), i| {
                (lo.min(y[i]), hi.max(y[i]))
            });
            let shown: Vec<f64> =
                p.x.iter()
                    .zip(&p.ys[0])
                    .filter(|(x, _)| (**x / width).floor() as usize == col)
                    .map(|(_, v)| *v)
                    .collect();
            assert!(shown.contains(&lo) && shown.contains(&hi), "column {col}");
            // Every sample is a real point of the series.
        }
        for (x, v) in p.x.iter().zip(&p.ys[0]) {
            assert_eq!(y[*x as usize], *v);
        }
        // x ascends.
        assert!(p.x.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn zooming_in_to_fewer_points_than_pixels_returns_the_exact_points() {
        let y = walk(10_000_000);
        let data = ChartData::for_test(None, vec![y.clone()]);
        let p = points(
            &data,
            PointsRequest::Range {
                x0: Some(5_000_000.0),
                x1: Some(5_000_999.0),
                px: 1000,
            },
        );
        assert_eq!(p.flags & FLAG_AGGREGATED, 0);
        // The thousand rows inside, and one on each side.
        assert_eq!(p.x.first(), Some(&4_999_999.0));
        assert_eq!(p.x.last(), Some(&5_001_000.0));
        assert_eq!(p.ys[0], y[4_999_999..=5_001_000].to_vec());
    }

    #[test]
    fn several_series_share_x_and_keep_their_extremes() {
        let a = walk(100_000);
        let b: Vec<f64> = a.iter().map(|v| -v * 2.0).collect();
        let data = ChartData::for_test(None, vec![a.clone(), b.clone()]);
        let p = whole(&data, 100);
        assert_eq!(p.ys[0].len(), p.x.len());
        assert_eq!(p.ys[1].len(), p.x.len());
        let max_b = b.iter().cloned().fold(f64::MIN, f64::max);
        assert!(p.ys[1].contains(&max_b));
    }

    #[test]
    fn gaps_stay_gaps() {
        let mut y = walk(50_000);
        for v in &mut y[10_000..20_000] {
            *v = f64::NAN;
        }
        let data = ChartData::for_test(None, vec![y]);
        let p = whole(&data, 100);
        let gap: Vec<&f64> =
            p.x.iter()
                .zip(&p.ys[0])
                .filter(|(x, _)| **x > 10_600.0 && **x < 19_400.0)
                .map(|(_, v)| v)
                .collect();
        assert!(!gap.is_empty() && gap.iter().all(|v| v.is_nan()));
    }

    #[test]
    fn appended_rows_come_alone_when_in_order() {
        let data = ChartData::for_test(None, vec![walk(1_000)]);
        let p = points(
            &data,
            PointsRequest::After {
                after: 990,
                px: 500,
            },
        );
        assert_eq!(p.flags, FLAG_APPEND);
        assert_eq!(p.x, (990..1000).map(|i| i as f64).collect::<Vec<_>>());
    }

    #[test]
    fn the_encoding_is_the_documented_layout() {
        let p = Points {
            flags: 1,
            x0: 0.0,
            x1: 1.0,
            rows: 2,
            x: vec![0.0, 1.0],
            ys: vec![vec![5.0, f64::NAN]],
            extras: vec![],
        };
        let bytes = p.encode();
        assert_eq!(&bytes[0..4], b"BKC1");
        assert_eq!(bytes.len(), 48 + 2 * 2 * 8);
        assert_eq!(
            u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")),
            2
        );
        assert_eq!(
            f64::from_le_bytes(bytes[64..72].try_into().expect("8 bytes")),
            5.0
        );
    }
}
