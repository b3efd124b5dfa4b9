import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deltaTone, jsonOpen, metricChart, tableColumns, valuesLabel } from '../src/display';

describe('static table columns', () => {
  test('kinds and alignment per column', () => {
    const cols = tableColumns({
      columns: ['name', 'pop', 'ok'],
      kinds: ['text', 'number', 'checkbox'],
      align: ['left', 'right', 'center'],
    });
    assert.deepEqual(cols, [
      { label: 'name', type: 'text', align: 'left' },
      { label: 'pop', type: 'number', align: 'right' },
      { label: 'ok', type: 'checkbox', align: 'center' },
    ]);
  });

  test('empty, missing, short or unknown kinds and alignments: text at the left', () => {
    const plain = [
      { label: 'a', type: 'text', align: 'left' },
      { label: 'b', type: 'text', align: 'left' },
    ];
    assert.deepEqual(tableColumns({ columns: ['a', 'b'], kinds: [], align: [] }), plain);
    assert.deepEqual(tableColumns({ columns: ['a', 'b'] }), plain);
    assert.deepEqual(
      tableColumns({ columns: ['a', 'b'], kinds: ['sparkle' as never], align: ['justify' as never] }),
      plain,
    );
    assert.deepEqual(tableColumns({ columns: ['a', 'b'], kinds: ['link'], align: ['right'] }), [
      { label: 'a', type: 'link', align: 'right' },
      { label: 'b', type: 'text', align: 'left' },
    ]);
    assert.deepEqual(tableColumns({ columns: undefined as never }), []);
  });
});

describe('metric delta', () => {
  test('an increase is good, a decrease bad; inverse swaps them; off is grey', () => {
    assert.deepEqual(deltaTone({ delta: '+4%' }), { down: false, tone: 'good' });
    assert.deepEqual(deltaTone({ delta: '-18 ms' }), { down: true, tone: 'bad' });
    assert.deepEqual(deltaTone({ delta: '−3' }), { down: true, tone: 'bad' });
    assert.deepEqual(deltaTone({ delta: '-18 ms', delta_color: 'inverse' }), { down: true, tone: 'good' });
    assert.deepEqual(deltaTone({ delta: '5', delta_color: 'inverse' }), { down: false, tone: 'bad' });
    assert.deepEqual(deltaTone({ delta: '5', delta_color: 'off' }), { down: false, tone: 'off' });
  });

  test('no delta: none', () => {
    assert.equal(deltaTone({ delta: null }), null);
    assert.equal(deltaTone({}), null);
    assert.equal(deltaTone({ delta: '  ' }), null);
  });
});

describe('metric chart', () => {
  test('no values, or no numbers: nothing to draw', () => {
    assert.equal(metricChart(undefined, 'line', 100, 40), null);
    assert.equal(metricChart(null, 'line', 100, 40), null);
    assert.equal(metricChart([], 'area', 100, 40), null);
    assert.equal(metricChart([null, null], 'bar', 100, 40), null);
  });

  test('a line spans the box, the lowest value at the bottom and the highest at the top (inside the stroke)', () => {
    const c = metricChart([1, 3, 2], 'line', 100, 40);
    assert.ok(c);
    assert.equal(c.kind, 'line');
    assert.equal(c.line, 'M0 38L50 2L100 20');
    assert.equal(c.fill, '');
    assert.deepEqual(c.values, [1, 3, 2]);
  });

  test('one value, or a constant series: a flat line across the middle', () => {
    const one = metricChart([7], 'line', 100, 40);
    assert.equal(one?.line, 'M0 20L100 20');
    const flat = metricChart([5, 5, 5], 'line', 100, 40);
    assert.equal(flat?.line, 'M0 20L50 20L100 20');
    const area = metricChart([7], 'area', 100, 40);
    assert.equal(area?.fill, 'M0 20L100 20L100 40L0 40Z');
  });

  test('an area closes each run of the line down to the bottom', () => {
    const c = metricChart([1, 3, null, 2, 2], 'area', 100, 40);
    assert.ok(c);
    assert.equal(c.kind, 'area');
    assert.equal(c.line, 'M0 38L25 2 M75 20L100 20');
    assert.equal(c.fill, 'M0 40L0 38L25 2L25 40ZM75 40L75 20L100 20L100 40Z');
  });

  test('bars, one per value, from zero', () => {
    const c = metricChart([1, 2, 4], 'bar', 30, 40);
    assert.ok(c);
    assert.equal(c.kind, 'bar');
    assert.equal(c.bars.length, 3);
    assert.deepEqual(c.bars[2], { x: 21, y: 0, w: 8, h: 40 });
    assert.equal(metricChart([3, 3], 'bar', 30, 40)?.bars.length, 2, 'a constant series still has its bars');
  });

  test('an unknown chart type draws a line; non-numbers are gaps', () => {
    const c = metricChart([1, 'x', 2], 'pie' as never, 100, 40);
    assert.equal(c?.kind, 'line');
    assert.equal(c?.line, 'M0 38 M100 2');
  });

  test('the accessible list of values', () => {
    assert.equal(valuesLabel([1, 2.5, null]), '1, 2.5, –');
    assert.ok(valuesLabel(Array.from({ length: 100 }, (_, i) => i * 1000)).endsWith('…'));
  });
});

describe('JSON depth', () => {
  test('without depth: the top follows `expanded`, the levels below open down to level 4', () => {
    const el = { expanded: true };
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((l) => jsonOpen(l, el)), [true, true, true, true, true, false, false]);
    const closed = { expanded: false };
    assert.equal(jsonOpen(0, closed), false);
    assert.equal(jsonOpen(1, closed), true, 'opening the top shows its children open, as before');
    assert.equal(jsonOpen(1, { expanded: true, depth: null }), true, 'a null depth is no depth');
  });

  test('depth 0: closed; 1: the top open, its children closed; n: n levels open', () => {
    assert.equal(jsonOpen(0, { expanded: false, depth: 0 }), false);
    assert.equal(jsonOpen(1, { expanded: false, depth: 0 }), false);
    assert.deepEqual([0, 1, 2].map((l) => jsonOpen(l, { expanded: true, depth: 1 })), [true, false, false]);
    assert.deepEqual([0, 1, 2, 3].map((l) => jsonOpen(l, { expanded: true, depth: 2 })), [true, true, false, false]);
    assert.deepEqual([0, 5, 9, 10].map((l) => jsonOpen(l, { expanded: true, depth: 10 })), [true, true, true, false]);
  });

  test('depth decides over `expanded`', () => {
    assert.equal(jsonOpen(0, { expanded: false, depth: 2 }), true);
    assert.equal(jsonOpen(0, { expanded: true, depth: 0 }), false);
  });
});
