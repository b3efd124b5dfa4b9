// The binary answer of a simple chart's points endpoint (`ChartEl.data`),
// little-endian, every array 8-byte aligned:
//
//   offset  type      field
//   0       u32       magic 0x3143_4B42 ("BKC1" read as bytes B K C 1)
//   4       u32       flags: 1 = aggregated (per pixel column: first, min,
//                     max, last of each series — the M4 method; zoom in for
//                     exact points), 2 = append (these points follow the
//                     ones the client has: the answer to `after=`)
//   8       u32       n: points
//   12      u32       s: series (as `ChartEl.series`)
//   16      u32       e: extra arrays (scatter: `size` then `color`, as the
//                     element has them)
//   20      u32       0
//   24      f64       x0: start of the range these points cover
//   32      f64       x1: its end
//   40      f64       rows: data rows in that range
//   48      f64[n]    x, ascending
//   ...     f64[n]    y of each series in turn (NaN = no value: a gap)
//   ...     f64[n]    each extra array in turn
//
// An error is an HTTP status other than 200 with a text/plain reason.
