import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appendPoints, decodePoints, FLAG_AGGREGATED, FLAG_APPEND } from '../src/charts/chartdata';
import {
  afterUrl,
  brushValue,
  categoryLabel,
  chartLabel,
  clickValue,
  devicePx,
  dotSize,
  extraIndex,
  formatX,
  MAX_PX,
  minGap,
  nearest,
  panRange,
  rangeUrl,
  sameRange,
  sameSelection,
  sequentialColor,
  seriesColors,
  wholeRange,
  wholeUrl,
  yRange,
  zoomRange,
} from '../src/charts/simple';
import type { ChartEl } from '../src/protocol';

function chart(over: Partial<ChartEl> = {}): ChartEl {
  return {
    kind: 'chart',
    chart: 'c'.repeat(32),
    mark: 'line',
    data: '/_brooklet/chart/owner/key.bin',
    rows: 3,
    x: { title: '', scale: 'number', min: 0, max: 2 },
    y: { title: 'v', scale: 'number', min: 1, max: 3 },
    series: [{ name: 'a', color: null }],
    stack: 'none',
    horizontal: false,
    height: 320,
    width: null,
    legend: false,
    ...over,
  };
}

/** An answer of the points endpoint, laid out as data/m4.rs writes it. */
function answer(flags: number, x: number[], ys: number[][], extras: number[][] = [], x0 = 0, x1 = 1, rows = x.length) {
  const n = x.length;
  const buf = new ArrayBuffer(48 + (1 + ys.length + extras.length) * n * 8);
  const view = new DataView(buf);
  [0x3143_4b42, flags, n, ys.length, extras.length, 0].forEach((w, i) => view.setUint32(i * 4, w, true));
  [x0, x1, rows].forEach((v, i) => view.setFloat64(24 + i * 8, v, true));
  [x, ...ys, ...extras].forEach((array, k) => array.forEach((v, i) => view.setFloat64(48 + (k * n + i) * 8, v, true)));
  return buf;
}

describe('points', () => {
  test('decode the documented layout', () => {
    const p = decodePoints(answer(FLAG_AGGREGATED, [1, 2], [[5, NaN]], [[7, 8]], 1, 2, 10));
    assert.equal(p.flags, FLAG_AGGREGATED);
    assert.deepEqual([p.x0, p.x1, p.rows], [1, 2, 10]);
    assert.deepEqual([...p.x], [1, 2]);
    assert.equal(p.ys[0]?.[0], 5);
    assert.ok(Number.isNaN(p.ys[0]?.[1]));
    assert.deepEqual([...(p.extras[0] ?? [])], [7, 8]);
  });

  test('refuse what is not the layout', () => {
    assert.throws(() => decodePoints(new ArrayBuffer(10)), /cut short/);
    const bad = answer(0, [1], [[1]]);
    new DataView(bad).setUint32(0, 7, true);
    assert.throws(() => decodePoints(bad), /not in Brooklet's format/);
    const short = answer(0, [1, 2], [[1, 2]]).slice(0, 60);
    assert.throws(() => decodePoints(short), /not \d+/);
  });

  test('appended points follow the ones there', () => {
    const base = decodePoints(answer(0, [0, 1], [[1, 2]], [], 0, 1));
    const more = decodePoints(answer(FLAG_APPEND, [2], [[3]], [], 2, 2));
    const all = appendPoints(base, more);
    assert.deepEqual([...all.x], [0, 1, 2]);
    assert.deepEqual([...(all.ys[0] ?? [])], [1, 2, 3]);
    assert.equal(all.rows, 3);
    assert.equal(all.x1, 2);
    const other = decodePoints(answer(FLAG_APPEND, [2], [[3], [4]]));
    assert.throws(() => appendPoints(base, other), /other series/);
  });
});

describe('requests', () => {
  test('URLs of the three requests', () => {
    assert.equal(wholeUrl('/c.bin', 800), '/c.bin?px=800');
    assert.equal(rangeUrl('/c.bin', 1.5, 2e6, 800), '/c.bin?x0=1.5&x1=2000000&px=800');
    assert.equal(afterUrl('/c.bin', 40, 800), '/c.bin?after=40&px=800');
  });

  test('the width in device pixels is whole and within the server limit', () => {
    assert.equal(devicePx(640, 2), 1280);
    assert.equal(devicePx(640.4, 1), 640);
    assert.equal(devicePx(0, 1), 1);
    assert.equal(devicePx(100_000, 1), MAX_PX);
    assert.equal(devicePx(300, NaN), 300);
  });
});

describe('looks', () => {
  test('series take their own colour, else the palette in turn', () => {
    const el = chart({ series: [{ name: 'a', color: 'teal' }, { name: 'b', color: null }, { name: 'c', color: null }] });
    assert.deepEqual(seriesColors(el, ['#111111', '#222222']), ['teal', '#222222', '#111111']);
    assert.equal(seriesColors(el, [])[1], '#ee6677', 'the fallback palette when the page sets none');
  });

  test('the sequential scale runs from dark to light', () => {
    assert.equal(sequentialColor(0, 0, 10), 'rgb(68, 1, 84)');
    assert.equal(sequentialColor(10, 0, 10), 'rgb(253, 231, 37)');
    assert.equal(sequentialColor(99, 0, 10), 'rgb(253, 231, 37)', 'clamped');
    assert.match(sequentialColor(5, 5, 5), /^rgb\(/, 'a one-value column');
  });

  test('dot sizes grow with the value, by area', () => {
    assert.equal(dotSize(0, 0, 10), 4);
    assert.equal(dotSize(10, 0, 10), 24);
    const mid = dotSize(5, 0, 10);
    assert.ok(mid > 14 && mid < 24, `${mid}`);
    assert.equal(dotSize(NaN, 0, 10), 4);
  });

  test('extra arrays: size first, then colour', () => {
    const channel = { column: 'c', min: 0, max: 1 };
    assert.deepEqual(extraIndex(chart({ size: channel, color: channel })), { size: 0, color: 1 });
    assert.deepEqual(extraIndex(chart({ color: channel })), { size: -1, color: 0 });
    assert.deepEqual(extraIndex(chart()), { size: -1, color: -1 });
  });

  test('category labels and x as the axis reads it', () => {
    const el = chart({ x: { title: '', scale: 'category', categories: ['jan', 'feb'], min: 0, max: 1 } });
    assert.equal(categoryLabel(el.x.categories, 1), 'feb');
    assert.equal(categoryLabel(el.x.categories, 0.5), '');
    assert.equal(formatX(el, 0.2), 'jan');
    const time = chart({ x: { title: '', scale: 'time', min: 0, max: 1 } });
    assert.equal(formatX(time, 86_400), '1970-01-02');
    assert.equal(formatX(time, 90_061), '1970-01-02 01:01:01');
    assert.equal(formatX(chart(), 1234.5678), '1,234.57');
  });

  test('the aria-label names the kind, series and size', () => {
    assert.equal(chartLabel(chart({ rows: 1_000_000 })), 'Line chart of a (1,000,000 points)');
  });
});

describe('ranges', () => {
  test('the whole range: bars get half a slot on each side', () => {
    assert.deepEqual(wholeRange(chart(), 1), [0, 2]);
    assert.deepEqual(wholeRange(chart({ mark: 'bar' }), 1), [-0.5, 2.5]);
    assert.deepEqual(wholeRange(chart({ x: { title: '', scale: 'number', min: 3, max: 3 } }), 1), [2, 4]);
    assert.equal(minGap([0, 2, 3, 7], chart()), 1);
    assert.equal(minGap([5], chart()), 1);
  });

  test('zoom around a point, kept inside the data', () => {
    assert.deepEqual(zoomRange(0, 100, 50, 0.5, [0, 100]), [25, 75]);
    assert.deepEqual(zoomRange(0, 100, 0, 0.5, [0, 100]), [0, 50]);
    assert.deepEqual(zoomRange(20, 60, 40, 4, [0, 100]), [0, 100], 'zoomed out past the data: the whole');
    const [lo, hi] = zoomRange(80, 100, 95, 1.5, [0, 100]);
    assert.ok(lo >= 0 && hi === 100, `${lo}..${hi}`);
  });

  test('pan keeps the span and stays inside', () => {
    assert.deepEqual(panRange(10, 20, 5, [0, 100]), [15, 25]);
    assert.deepEqual(panRange(10, 20, -50, [0, 100]), [0, 10]);
    assert.deepEqual(panRange(80, 90, 50, [0, 100]), [90, 100]);
  });

  test('y from zero for bars, with room', () => {
    assert.deepEqual(yRange(2, 10, true), [0, 10.5]);
    assert.deepEqual(yRange(-4, -2, true), [-4.2, 0]);
    assert.deepEqual(yRange(5, 5, false), [4, 6]);
    assert.deepEqual(yRange(NaN, 1, false), [0, 1]);
    assert.ok(sameRange(0, 1, 1e-12, 1));
    assert.ok(!sameRange(0, 1, 0.1, 1));
  });
});

describe('selections', () => {
  test('the nearest drawn point within the radius', () => {
    const at = (s: number, i: number): [number, number] | null => (s === 1 && i === 2 ? null : [i * 10, s * 10]);
    assert.deepEqual(nearest(3, [0, 1], at, 11, 9, 5), { series: 1, index: 1 });
    assert.deepEqual(nearest(3, [0, 1], at, 19, 1, 5), { series: 0, index: 2 });
    assert.equal(nearest(3, [0, 1], at, 500, 500, 5), null);
  });

  test('brush and click values', () => {
    assert.deepEqual(brushValue(5, 2), { x: [2, 5] });
    const p = { x: 1, y: 2, series: 0 };
    const q = { x: 3, y: 4, series: 1 };
    assert.deepEqual(clickValue({}, p, false), { points: [p] });
    assert.deepEqual(clickValue({ points: [p] }, q, true), { points: [p, q] });
    assert.deepEqual(clickValue({ points: [p, q] }, p, true), { points: [q] }, 'shift-click on a selected point removes it');
    assert.deepEqual(clickValue({ points: [p] }, null, false), {}, 'a click on nothing clears');
    assert.ok(sameSelection({ x: [1, 2] }, { x: [1, 2], points: [] }));
    assert.ok(!sameSelection({ x: [1, 2] }, {}));
    assert.ok(!sameSelection({ points: [p] }, { points: [q] }));
  });
});

test('scatter charts get room at the edges', () => {
  assert.deepEqual(wholeRange(chart({ mark: 'scatter', x: { title: '', scale: 'number', min: 0, max: 100 } }), 1), [-3, 103]);
});
