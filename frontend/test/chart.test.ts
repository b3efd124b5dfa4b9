import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appendPoints, decodePoints, FLAG_AGGREGATED, FLAG_APPEND } from '../src/charts/chartdata';
import {
  afterUrl,
  APPEND_BUDGET_PER_PX,
  AXIS_GAP,
  AXIS_LINE,
  AXIS_TICK,
  axisExtent,
  barGeometry,
  barRect,
  brushValue,
  categoryLabel,
  categorySplits,
  categoryStep,
  chartLabel,
  chartPlan,
  clickValue,
  devicePx,
  dotSize,
  dotStyle,
  extraIndex,
  formatX,
  isAggregated,
  MAX_PX,
  mergeAppended,
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
  withAlpha,
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

describe('decoding, more', () => {
  test('flags, header numbers and extra arrays come through', () => {
    const p = decodePoints(answer(FLAG_APPEND, [10, 11, 12], [[1, 2, 3], [4, 5, 6]], [[7, 8, 9]], 10, 12, 3));
    assert.equal(p.flags, FLAG_APPEND);
    assert.ok(!isAggregated(p));
    assert.equal(p.ys.length, 2);
    assert.deepEqual([...(p.ys[1] ?? [])], [4, 5, 6]);
    assert.deepEqual([...(p.extras[0] ?? [])], [7, 8, 9]);
    assert.ok(isAggregated(decodePoints(answer(FLAG_AGGREGATED | FLAG_APPEND, [1], [[1]]))));
  });

  test('an empty answer is valid; a longer one than its header says is not', () => {
    const empty = decodePoints(answer(0, [], [[]]));
    assert.equal(empty.x.length, 0);
    assert.equal(empty.ys[0]?.length, 0);
    const long = new Uint8Array(answer(0, [1], [[1]]).byteLength + 8);
    long.set(new Uint8Array(answer(0, [1], [[1]])));
    assert.throws(() => decodePoints(long.buffer), /bytes, not/);
    assert.throws(() => decodePoints(new ArrayBuffer(0)), /cut short \(0 bytes\)/);
  });
});

describe('add_rows', () => {
  const base = () => decodePoints(answer(0, [0, 1], [[1, 2]], [], 0, 1));
  test('appended rows follow the whole range', () => {
    const { points, refetch } = mergeAppended(base(), decodePoints(answer(FLAG_APPEND, [2, 3], [[3, 4]], [], 2, 3)), 100);
    assert.deepEqual([...points.x], [0, 1, 2, 3]);
    assert.equal(points.rows, 4);
    assert.equal(points.x1, 3);
    assert.ok(!refetch);
  });

  test('the whole range instead of an append replaces the points', () => {
    const whole = decodePoints(answer(FLAG_AGGREGATED, [0, 5, 9], [[1, 0, 2]], [], 0, 9, 1000));
    const { points, refetch } = mergeAppended(base(), whole, 100);
    assert.equal(points, whole);
    assert.ok(!refetch);
  });

  test('past the budget the whole range is asked for again', () => {
    const px = 2;
    const n = APPEND_BUDGET_PER_PX * px;
    const x = Array.from({ length: n }, (_, i) => i + 2);
    const more = decodePoints(answer(FLAG_APPEND, x, [x]));
    assert.ok(mergeAppended(base(), more, px).refetch);
    const aggregated = decodePoints(answer(FLAG_AGGREGATED, [0, 1], [[1, 2]]));
    const merged = mergeAppended(aggregated, decodePoints(answer(FLAG_APPEND, [2], [[3]])), 100).points;
    assert.ok(isAggregated(merged), 'an aggregated whole stays aggregated');
    assert.ok(!(merged.flags & FLAG_APPEND));
  });
});

describe('plans', () => {
  const three = [
    { name: 'a', color: null },
    { name: 'b', color: '#000000' },
    { name: 'c', color: null },
  ];
  const palette = ['#4477aa', '#ee6677', '#228833'];

  test('fills take the colour with some alpha', () => {
    assert.equal(withAlpha('#4477aa', 0.5), 'rgba(68, 119, 170, 0.5)');
    assert.equal(withAlpha('#fff', 0.2), 'rgba(255, 255, 255, 0.2)');
    assert.equal(withAlpha('rgb(1, 2, 3)', 0.3), 'rgba(1, 2, 3, 0.3)');
    assert.equal(withAlpha('teal', 0.3), 'teal', 'named colours as they are');
  });

  test('line: lines in the palette, own colours kept, no fills', () => {
    const plan = chartPlan(chart({ series: three, x: { title: 'day', scale: 'number', min: 0, max: 1 } }), palette);
    assert.deepEqual(
      plan.series.map((s) => [s.label, s.color, s.paths, s.fill]),
      [
        ['a', '#4477aa', 'line', null],
        ['b', '#000000', 'line', null],
        ['c', '#228833', 'line', null],
      ],
    );
    assert.deepEqual(plan.bands, []);
    assert.equal(plan.fromZero, false);
    assert.deepEqual(plan.xAxis, { side: 2, title: 'day' });
    assert.deepEqual(plan.yAxis, { side: 3, title: 'v' });
    assert.equal(plan.drag, 'zoom');
    assert.ok(plan.cursorPoints);
    assert.equal(plan.categories, null);
    assert.equal(plan.time, false);
  });

  test('area: fills to zero, stacked as bands between neighbours', () => {
    const plain = chartPlan(chart({ mark: 'area', series: three }), palette);
    assert.ok(plain.series.every((s) => s.fillTo === 0 && s.fill !== null));
    assert.deepEqual(plain.bands, []);
    assert.ok(plain.fromZero);
    const stacked = chartPlan(chart({ mark: 'area', stack: 'stacked', series: three }), palette);
    assert.deepEqual(
      stacked.series.map((s) => [s.fill, s.fillTo]),
      [
        ['rgba(68, 119, 170, 0.5)', 0],
        [null, null],
        [null, null],
      ],
    );
    assert.deepEqual(stacked.bands, [
      { upper: 2, lower: 1, fill: 'rgba(0, 0, 0, 0.5)' },
      { upper: 3, lower: 2, fill: 'rgba(34, 136, 51, 0.5)' },
    ]);
  });

  test('bar: grouped or stacked positions, categories, horizontal axes', () => {
    const categories = ['Q1', 'Q2'];
    const x = { title: 'quarter', scale: 'category' as const, categories, min: 0, max: 1 };
    const grouped = chartPlan(chart({ mark: 'bar', series: three, x }), palette);
    assert.deepEqual(grouped.series.map((s) => [s.paths, s.bar, s.fill]), [
      ['bars', 0, '#4477aa'],
      ['bars', 1, '#000000'],
      ['bars', 2, '#228833'],
    ]);
    assert.deepEqual(grouped.categories, categories);
    assert.ok(grouped.fromZero && !grouped.horizontal && !grouped.stacked);
    const stacked = chartPlan(chart({ mark: 'bar', stack: 'normalize', series: three, x }), palette);
    assert.ok(stacked.stacked);
    assert.deepEqual(stacked.series.map((s) => s.bar), [0, 0, 0]);
    const across = chartPlan(chart({ mark: 'bar', horizontal: true, series: three, x }), palette);
    assert.ok(across.horizontal);
    assert.deepEqual([across.xAxis.side, across.yAxis.side], [3, 2], 'categories down the left, values along the bottom');
    const lines = chartPlan(chart({ horizontal: true }), palette);
    assert.ok(!lines.horizontal, 'only bars lie down');
  });

  test('scatter: no paths (dots are drawn apart), no hover dots', () => {
    const plan = chartPlan(chart({ mark: 'scatter', series: three }), palette);
    assert.ok(plan.series.every((s) => s.paths === 'none' && s.fill === null));
    assert.ok(!plan.cursorPoints);
  });

  test('time axis and selections', () => {
    const plan = chartPlan(
      chart({
        x: { title: '', scale: 'time', min: 0, max: 1 },
        selection: { id: 'w', point: true, interval: true, value: {} },
      }),
      [],
    );
    assert.ok(plan.time);
    assert.equal(plan.drag, 'brush', 'an interval selection brushes; zoom is the wheel');
    assert.equal(plan.series[0]?.color, '#4477aa', 'the fallback palette');
    const points = chartPlan(chart({ selection: { id: 'w', point: true, interval: false, value: {} } }), []);
    assert.equal(points.drag, 'zoom');
  });
});

describe('drawing helpers', () => {
  test('grouped bars share 80% of the slot, stacked bars take it all', () => {
    assert.deepEqual(barGeometry(0, 1, false, 100), { offset: -40, width: 80 });
    assert.deepEqual(barGeometry(0, 4, false, 100), { offset: -40, width: 20 });
    assert.deepEqual(barGeometry(3, 4, false, 100), { offset: 20, width: 20 });
    assert.deepEqual(barGeometry(2, 4, true, 100), { offset: -40, width: 80 });
    assert.deepEqual(barGeometry(0, 1, false, -100), { offset: -40, width: 80 }, 'a reversed axis');
    assert.equal(barGeometry(0, 2, false, 0.1).width, 0.5, 'at least a pixel per group');
  });

  test('bar rectangles, upright and lying down', () => {
    const g = { offset: -10, width: 20 };
    assert.deepEqual(barRect(100, 50, 200, g, false), [90, 50, 20, 150]);
    assert.deepEqual(barRect(100, 250, 200, g, false), [90, 200, 20, 50], 'a negative bar hangs down');
    assert.deepEqual(barRect(100, 300, 40, g, true), [40, 90, 260, 20]);
  });

  test('dots: sized and coloured by their columns, else the defaults', () => {
    const channel = (min: number, max: number) => ({ column: 'c', min, max });
    const el = chart({ mark: 'scatter', size: channel(0, 10), color: channel(0, 1) });
    assert.deepEqual(dotStyle(el, [10], [0], 0, 'red'), { diameter: 24, color: 'rgb(68, 1, 84)' });
    assert.deepEqual(dotStyle(chart({ mark: 'scatter' }), null, null, 0, 'red'), { diameter: 6, color: 'red' });
    assert.deepEqual(dotStyle(chart({ mark: 'scatter', point_size: 11 }), null, null, 0, 'red').diameter, 11);
  });

  test('category labels that do not fit are thinned', () => {
    assert.equal(categoryStep(5, 800, 60), 1);
    assert.equal(categoryStep(5, 200, 60), 2);
    assert.equal(categoryStep(100, 300, 40), 15, '7 fit: every 15th');
    assert.equal(categoryStep(1, 10, 100), 1);
    assert.deepEqual(categorySplits(5, -0.5, 4.5, 1), [0, 1, 2, 3, 4]);
    assert.deepEqual(categorySplits(5, -0.5, 4.5, 2), [0, 2, 4]);
    assert.deepEqual(categorySplits(10, 2.6, 7.2, 2), [4, 6], 'steady under panning: multiples of the step');
  });

  test('axes are as wide as their labels', () => {
    const measure = (s: string) => s.length * 7;
    assert.equal(axisExtent(3, ['TypeScript', 'Go'], measure), Math.ceil(AXIS_TICK + AXIS_GAP + 70 + 4));
    assert.equal(axisExtent(3, null, measure), AXIS_TICK + AXIS_GAP + 16 + 4, 'before the labels are known');
    assert.equal(axisExtent(2, ['Jan\n2024', 'Feb'], measure), AXIS_TICK + AXIS_GAP + 2 * AXIS_LINE + 2);
    assert.equal(axisExtent(2, ['1', '2'], measure), AXIS_TICK + AXIS_GAP + AXIS_LINE + 2);
  });
});
