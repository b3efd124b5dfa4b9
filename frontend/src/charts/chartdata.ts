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

/** Points of a simple chart, decoded (`ys[s][i]`: NaN = no value). */
export interface Points {
  flags: number;
  x0: number;
  x1: number;
  rows: number;
  x: Float64Array;
  ys: Float64Array[];
  extras: Float64Array[];
}

export const FLAG_AGGREGATED = 1;
export const FLAG_APPEND = 2;
const MAGIC = 0x3143_4b42;
const HEADER = 48;

/** The points in an answer of the points endpoint; throws on a malformed one. */
export function decodePoints(buf: ArrayBuffer): Points {
  if (buf.byteLength < HEADER) throw new Error(`the chart's points are cut short (${buf.byteLength} bytes)`);
  const head = new DataView(buf, 0, HEADER);
  if (head.getUint32(0, true) !== MAGIC) throw new Error("the chart's points are not in Brooklet's format");
  const flags = head.getUint32(4, true);
  const n = head.getUint32(8, true);
  const s = head.getUint32(12, true);
  const e = head.getUint32(16, true);
  const expected = HEADER + (1 + s + e) * n * 8;
  if (buf.byteLength !== expected) {
    throw new Error(`the chart's points are ${buf.byteLength} bytes, not ${expected}`);
  }
  // Little-endian f64s at 8-byte offsets: typed-array views, no copy (every
  // browser Brooklet supports is little-endian).
  const array = (k: number) => new Float64Array(buf, HEADER + k * n * 8, n);
  return {
    flags,
    x0: head.getFloat64(24, true),
    x1: head.getFloat64(32, true),
    rows: head.getFloat64(40, true),
    x: array(0),
    ys: Array.from({ length: s }, (_, k) => array(1 + k)),
    extras: Array.from({ length: e }, (_, k) => array(1 + s + k)),
  };
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** `base` followed by `more` (an answer to `after=`: the rows add_rows appended). */
export function appendPoints(base: Points, more: Points): Points {
  if (more.ys.length !== base.ys.length || more.extras.length !== base.extras.length) {
    throw new Error('appended points have other series than the chart');
  }
  return {
    flags: base.flags & FLAG_AGGREGATED,
    x0: base.x.length > 0 ? base.x0 : more.x0,
    x1: more.x.length > 0 ? more.x1 : base.x1,
    rows: base.rows + more.rows,
    x: concat(base.x, more.x),
    ys: base.ys.map((y, k) => concat(y, more.ys[k] ?? new Float64Array(0))),
    extras: base.extras.map((y, k) => concat(y, more.extras[k] ?? new Float64Array(0))),
  };
}
