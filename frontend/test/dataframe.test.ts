import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { columnWidths, nextSort, sortOrder, visibleWindow } from '../src/dataframe';
import type { Json } from '../src/protocol';

const rows: Json[][] = [
  ['b', 10],
  ['a', 2],
  [null, 5],
  ['c', null],
  ['B', 2],
];

describe('sorting', () => {
  test('header clicks cycle asc, desc, none', () => {
    let s = nextSort(null, 1);
    assert.deepEqual(s, { col: 1, dir: 'asc' });
    s = nextSort(s, 1);
    assert.deepEqual(s, { col: 1, dir: 'desc' });
    assert.equal(nextSort(s, 1), null);
    assert.deepEqual(nextSort({ col: 0, dir: 'desc' }, 1), { col: 1, dir: 'asc' });
  });

  test('no sort is the identity order', () => {
    assert.deepEqual(Array.from(sortOrder(rows, null)), [0, 1, 2, 3, 4]);
  });

  test('numbers sort numerically, ties keep row order, empty cells last', () => {
    assert.deepEqual(Array.from(sortOrder(rows, { col: 1, dir: 'asc' })), [1, 4, 2, 0, 3]);
    assert.deepEqual(Array.from(sortOrder(rows, { col: 1, dir: 'desc' })), [0, 2, 1, 4, 3]);
  });

  test('strings sort like localeCompare', () => {
    const order = Array.from(sortOrder(rows, { col: 0, dir: 'asc' }));
    const names = order.map((i) => rows[i]?.[0]);
    const expected = ['b', 'a', 'c', 'B'].sort((x, y) => x.localeCompare(y));
    assert.deepEqual(names, [...expected, null]);
  });

  test('sorting does not touch the rows', () => {
    const copy = JSON.stringify(rows);
    sortOrder(rows, { col: 0, dir: 'desc' });
    assert.equal(JSON.stringify(rows), copy);
  });

  test('100,000 rows sort quickly', () => {
    const big: Json[][] = Array.from({ length: 100_000 }, (_, i) => [`name ${(i * 7919) % 100_000}`, (i * 31) % 1000]);
    const t0 = performance.now();
    const order = sortOrder(big, { col: 0, dir: 'asc' });
    sortOrder(big, { col: 1, dir: 'desc' });
    const ms = performance.now() - t0;
    assert.equal(order.length, 100_000);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });
});

describe('visible window', () => {
  test('top of the table', () => {
    assert.deepEqual(visibleWindow(0, 320, 32, 100_000, 8), { start: 0, end: 19 });
  });

  test('scrolled into the middle', () => {
    // Row 1000 is at the top; 10 rows fit, plus one partial, plus overscan.
    assert.deepEqual(visibleWindow(32_000, 320, 32, 100_000, 8), { start: 992, end: 1019 });
  });

  test('clamped at the end and for short tables', () => {
    assert.deepEqual(visibleWindow(3_200_000, 320, 32, 100_000, 8), { start: 99_992, end: 100_000 });
    assert.deepEqual(visibleWindow(0, 320, 32, 3, 8), { start: 0, end: 3 });
    assert.deepEqual(visibleWindow(500, 320, 32, 0, 8), { start: 0, end: 0 });
  });

  test('draws a bounded number of rows whatever the table size', () => {
    const { start, end } = visibleWindow(1_234_567, 400, 32, 1_000_000, 8);
    assert.ok(end - start <= Math.ceil(400 / 32) + 1 + 16);
  });
});

test('column widths follow content, within bounds', () => {
  const w = columnWidths(['id', 'a long description column'], [[1, 'x'.repeat(500)]]);
  assert.equal(w.length, 2);
  assert.equal(w[0], 64);
  assert.equal(w[1], 320);
});
