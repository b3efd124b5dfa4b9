import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  asSelection,
  csvUrl,
  ensureVisible,
  firstRow,
  footerText,
  foundText,
  geometry,
  gridHeight,
  GridRows,
  gridKey,
  HEADER_HEIGHT,
  layoutColumns,
  MAX_DRAWN,
  MAX_SPACER_PX,
  nextSort,
  planFetch,
  posFromScroll,
  rowsToDraw,
  rowTop,
  safeHref,
  safeImage,
  scrollFromPos,
  scrollLeftFor,
  SEARCHING,
  searchState,
  sparkline,
  toggleColumn,
  toggleRow,
  trimToMissing,
  viewKey,
  visibleRows,
  WindowCache,
  type Cursor,
  type GridDims,
} from '../src/dataframe';
import type { ColumnSpec, Json, WindowReply, WindowRequest, WindowRows } from '../src/protocol';

const RH = 32;

describe('scaled scrolling', () => {
  test('a small frame scrolls 1:1: a px of scroll is a px of rows', () => {
    const g = geometry(1000, 320);
    assert.equal(g.scaled, false);
    assert.equal(g.spacer, 32_000);
    assert.equal(g.scrollMax, 32_000 - 320);
    assert.equal(posFromScroll(0, g), 0);
    assert.equal(posFromScroll(320, g), 10);
    assert.equal(posFromScroll(330, g), 10.3125);
    assert.equal(firstRow(320, g), 10);
    assert.equal(firstRow(319, g), 9);
    // Rows sit where their real offset is, whatever the scroll.
    for (const top of [0, 17, 320, 12_345]) {
      const pos = posFromScroll(top, g);
      assert.equal(rowTop(500, pos, top), 500 * RH);
    }
    assert.equal(scrollFromPos(10, g), 320);
  });

  test('a frame that fits does not scroll', () => {
    const g = geometry(3, 366);
    assert.equal(g.scrollMax, 0);
    assert.equal(g.maxPos, 0);
    assert.equal(posFromScroll(100, g), 0);
    assert.deepEqual(visibleRows(0, g), { first: 0, end: 3 });
    assert.deepEqual(rowsToDraw(0, 0, g), { start: 0, end: 3 });
  });

  test('10,000,000 rows fit in a spacer under the browser limit, and the scrollbar reaches every row', () => {
    const total = 10_000_000;
    const viewport = 400 - HEADER_HEIGHT - 2;
    const g = geometry(total, viewport);
    assert.equal(g.scaled, true);
    assert.equal(g.spacer, MAX_SPACER_PX);
    assert.ok(g.spacer + HEADER_HEIGHT < 33_554_432);
    // Top of the scrollbar: row 0 at the top.
    assert.equal(firstRow(0, g), 0);
    assert.equal(rowTop(0, posFromScroll(0, g), 0), 0);
    // Bottom of the scrollbar: the last row ends exactly at the bottom of the viewport.
    const top = g.scrollMax;
    const pos = posFromScroll(top, g);
    assert.equal(pos, total - viewport / RH);
    const { start, end } = rowsToDraw(pos, top, g);
    assert.equal(end, total, 'the last row is drawn');
    assert.equal(rowTop(total - 1, pos, top) + RH, top + viewport, 'at the bottom of the viewport');
    assert.ok(end - start <= MAX_DRAWN);
    // Nothing is drawn below the spacer (that would stretch the scroll range).
    assert.ok(rowTop(end - 1, pos, top) + RH <= g.spacer);
  });

  test('the mapping is linear, monotonic and invertible', () => {
    const g = geometry(10_000_000, 366);
    let last = -1;
    for (let top = 0; top <= g.scrollMax; top += 997_003) {
      const pos = posFromScroll(top, g);
      assert.ok(pos > last);
      last = pos;
      assert.ok(Math.abs(scrollFromPos(pos, g) - top) < 1e-6);
    }
    // Halfway down the scrollbar is halfway through the rows.
    const mid = posFromScroll(g.scrollMax / 2, g);
    assert.ok(Math.abs(mid - g.maxPos / 2) < 1e-6);
    // Out of range scrolls are clamped.
    assert.equal(posFromScroll(-5, g), 0);
    assert.equal(posFromScroll(g.scrollMax * 2, g), g.maxPos);
  });

  test('a bounded number of rows is drawn wherever the scroll is', () => {
    for (const total of [0, 10, 1000, 100_000, 10_000_000]) {
      const g = geometry(total, 1400);
      for (const frac of [0, 0.25, 0.5, 0.999, 1]) {
        const top = g.scrollMax * frac;
        const pos = posFromScroll(top, g);
        const { start, end } = rowsToDraw(pos, top, g);
        assert.ok(end - start <= MAX_DRAWN, `${total} at ${frac}: ${end - start}`);
        assert.ok(start >= 0 && end <= total);
        const vis = visibleRows(pos, g);
        assert.ok(start <= vis.first && end >= vis.end, 'every visible row is drawn');
      }
    }
  });

  test('ensureVisible moves as little as possible', () => {
    const g = geometry(1000, 320); // 10 rows in view
    assert.equal(ensureVisible(50, 55, g), 50, 'already visible');
    assert.equal(ensureVisible(50, 40, g), 40, 'above: it goes to the top');
    assert.equal(ensureVisible(50, 70, g), 61, 'below: it goes to the bottom');
    assert.equal(ensureVisible(50, 999, g), 990);
    assert.equal(ensureVisible(3.5, 3, g), 3, 'a partly hidden row is shown whole');
  });

  test('Ctrl+End on 10,000,000 rows scrolls to the end of the scrollbar', () => {
    const g = geometry(10_000_000, 366);
    const pos = ensureVisible(0, 9_999_999, g);
    assert.equal(pos, g.maxPos);
    assert.equal(scrollFromPos(pos, g), g.scrollMax);
  });

  test('auto height fits the rows up to 400 px', () => {
    assert.equal(gridHeight(0, 3), HEADER_HEIGHT + 3 * RH + 2);
    assert.equal(gridHeight(0, 1000), 400);
    assert.equal(gridHeight(250, 1000), 250);
    assert.equal(gridHeight(0, 0), HEADER_HEIGHT + RH + 2, 'an empty frame keeps one row of room');
  });
});

const win = (start: number, n: number, total: number, tag = 'r'): WindowRows => ({
  start,
  total,
  index: Array.from({ length: n }, (_, i) => 1000 + start + i),
  rows: Array.from({ length: n }, (_, i) => [`${tag}${start + i}`]),
});

describe('window cache', () => {
  test('rows are kept by view position with their original index', () => {
    const c = new WindowCache('k');
    assert.equal(c.total, null);
    assert.equal(c.covers(0, 1), false, 'nothing is known yet');
    c.put(win(10, 5, 100));
    assert.equal(c.total, 100);
    assert.deepEqual(c.get(12), { index: 1012, cells: ['r12'] });
    assert.equal(c.has(9), false);
    assert.equal(c.covers(10, 15), true);
    assert.equal(c.covers(10, 16), false);
    assert.equal(c.covers(98, 200), false);
  });

  test('the least recently used rows go first', () => {
    const c = new WindowCache('k', 10);
    c.put(win(0, 10, 100));
    c.get(0); // row 0 is now recent
    c.put(win(50, 3, 100));
    assert.equal(c.size, 10);
    assert.equal(c.has(0), true);
    assert.equal(c.has(1), false);
    assert.equal(c.has(2), false);
    assert.equal(c.has(3), false);
    assert.equal(c.has(4), true);
    assert.equal(c.has(52), true);
  });

  test('rows past the total are not kept', () => {
    const c = new WindowCache('k');
    c.put(win(0, 5, 3));
    assert.equal(c.size, 3);
    assert.equal(c.covers(0, 100), true);
  });

  test('trimToMissing', () => {
    const have = new Set([0, 1, 2, 7, 8, 9]);
    assert.deepEqual(trimToMissing(0, 10, (i) => have.has(i)), { start: 3, end: 7 });
    assert.equal(trimToMissing(0, 3, (i) => have.has(i)), null);
    assert.deepEqual(trimToMissing(5, 5, () => false), null);
  });
});

describe('fetch planning', () => {
  const cached = (from: number, to: number) => (i: number) => i >= from && i < to;

  test('nothing is asked for when the rows in view and around them are here', () => {
    assert.equal(planFetch({ pos: 0, rows: 10, total: 50, has: cached(0, 50) }), null);
    assert.equal(planFetch({ pos: 20, rows: 10, total: 1000, has: cached(0, 50) }), null);
    // Half a screen past the view is here: no request yet, though the overscan is not all here.
    assert.equal(planFetch({ pos: 20, rows: 10, total: 1000, has: cached(0, 36) }), null);
    assert.deepEqual(planFetch({ pos: 22, rows: 10, total: 1000, has: cached(0, 36) }), { start: 36, count: 16 });
  });

  test('scrolling near the end of what is here prefetches the rows after it', () => {
    // Rows 0-49 here (the head), rows 40-49 in view, 5 rows of margin missing.
    const plan = planFetch({ pos: 40, rows: 10, total: 1000, has: cached(0, 50) });
    assert.deepEqual(plan, { start: 50, count: 20 }, 'from the first missing row to 20 past the view');
  });

  test('a jump asks for the rows in view with overscan on both sides', () => {
    const plan = planFetch({ pos: 5000, rows: 12, total: 10_000_000, has: cached(0, 50) });
    assert.deepEqual(plan, { start: 5000 - 20, count: 12 + 40 });
    const big = planFetch({ pos: 5000, rows: 40, total: 10_000_000, has: () => false });
    assert.deepEqual(big, { start: 4960, count: 120 }, 'a screen each side when a screen is over 20 rows');
  });

  test('windows are clamped to the view and to 1000 rows', () => {
    assert.deepEqual(planFetch({ pos: 0, rows: 10, total: 15, has: () => false }), { start: 0, count: 15 });
    const plan = planFetch({ pos: 9_999_990, rows: 10, total: 10_000_000, has: () => false });
    assert.deepEqual(plan, { start: 9_999_970, count: 30 });
    const huge = planFetch({ pos: 5000, rows: 900, total: 10_000_000, has: () => false });
    assert.equal(huge?.count, 1000);
    assert.equal(planFetch({ pos: 0, rows: 10, total: 0, has: () => false }), null);
  });

  test('rows in view already being fetched are not asked for again', () => {
    const pending = [{ start: 4980, end: 5032 }];
    assert.equal(planFetch({ pos: 5000, rows: 12, total: 1e7, has: () => false, pending }), null);
    // Scrolled past what is on its way: a new window.
    assert.ok(planFetch({ pos: 5100, rows: 12, total: 1e7, has: () => false, pending }));
  });

  test('a search not answered yet asks for its first rows, once', () => {
    assert.deepEqual(planFetch({ pos: 0, rows: 10, total: null, has: () => false }), { start: 0, count: 30 });
    // Deep in the old view: still from row 0 (past the end of the new view is an error).
    assert.deepEqual(planFetch({ pos: 5000, rows: 10, total: null, has: () => false }), { start: 0, count: 30 });
    const pending = [{ start: 0, end: 30 }];
    assert.equal(planFetch({ pos: 0, rows: 10, total: null, has: () => false, pending }), null);
  });
});

const head: WindowRows = win(0, 50, 1000, 'h');
const req = (over: Partial<WindowRequest> = {}): WindowRequest => ({
  type: 'window',
  view: 'v1',
  frame: 'F1',
  start: 50,
  count: 10,
  sort: null,
  search: '',
  ...over,
});
const reply = (r: WindowRequest, over: Partial<WindowReply> = {}): WindowReply => ({
  type: 'window',
  view: r.view,
  frame: r.frame,
  ...win(r.start, r.count, 1000, 's'),
  error: null,
  ...over,
});

describe('grid rows', () => {
  test('the head is drawn at once, with no round trip', () => {
    const d = new GridRows('F1', head);
    assert.equal(d.total(1000), 1000);
    assert.equal(d.ready(0, 12), true);
    assert.equal(d.row(3)?.row.cells[0], 'h3');
    assert.equal(d.ready(40, 60), false);
  });

  test('a reply fills the current view', () => {
    const d = new GridRows('F1', head);
    const r = req();
    assert.equal(d.accept(reply(r), r), true);
    assert.equal(d.row(55)?.row.cells[0], 's55');
    assert.equal(d.row(55)?.row.index, 1055);
    assert.equal(d.ready(40, 60), true);
  });

  test('replies for another frame or an earlier view are ignored', () => {
    const d = new GridRows('F1', head);
    const r = req();
    assert.equal(d.accept(reply(r, { frame: 'F0' }), r), false, 'another frame');
    d.setView('F1', { column: 'a', descending: false }, '', head);
    assert.equal(d.accept(reply(r), r), false, 'the view changed since it was asked');
    assert.equal(d.row(55), undefined);
    const sorted = req({ sort: { column: 'a', descending: false }, start: 0 });
    assert.equal(d.accept(reply(sorted), sorted), true);
  });

  test('a new view keeps showing the previous rows until its own arrive', () => {
    const d = new GridRows('F1', head);
    d.setView('F1', { column: 'a', descending: true }, '', head);
    assert.equal(d.row(2)?.stale, true);
    assert.equal(d.row(2)?.row.cells[0], 'h2');
    assert.equal(d.ready(0, 10), false);
    assert.equal(d.total(1000), 1000);
    const r = req({ sort: { column: 'a', descending: true }, start: 0, count: 30 });
    d.accept(reply(r), r);
    assert.equal(d.row(2)?.stale, false);
    assert.equal(d.row(2)?.row.cells[0], 's2');
    assert.equal(d.ready(0, 10), true);
    assert.equal(d.row(40), undefined, 'the old rows are gone once the new view has its own');
  });

  test('back to the plain view starts from the head again', () => {
    const d = new GridRows('F1', head);
    d.setView('F1', null, 'x', head);
    assert.equal(d.knownTotal(1000), null, 'a search has an unknown size');
    d.setView('F1', null, '', head);
    assert.equal(d.row(1)?.stale, false);
    assert.equal(d.ready(0, 10), true);
  });

  test('a search count comes from its reply; without a search it is the row count', () => {
    const d = new GridRows('F1', head);
    d.setView('F1', { column: 'a', descending: false }, '', head);
    assert.equal(d.knownTotal(1000), 1000);
    d.setView('F1', null, 'abc', head);
    assert.equal(d.total(1000), 1000, "the previous view's until the reply");
    const r = req({ search: 'abc', start: 0, count: 30 });
    d.accept(reply(r, { total: 7, index: [1, 2], rows: [['a'], ['b']] }), r);
    assert.equal(d.total(1000), 7);
    assert.equal(d.ready(0, 7), false, 'rows 2-6 are missing');
  });

  test('an error is kept, the rows too', () => {
    const d = new GridRows('F1', head);
    d.setView('F1', { column: 'tags', descending: false }, '', head);
    const r = req({ sort: { column: 'tags', descending: false }, start: 0 });
    assert.equal(d.accept(reply(r, { error: 'sort: column `tags` (a list) cannot be sorted', total: 0, index: [], rows: [] }), r), true);
    assert.equal(d.error, 'sort: column `tags` (a list) cannot be sorted');
    assert.equal(d.row(0)?.row.cells[0], 'h0', 'the old rows stay');
    assert.equal(d.ready(0, 1), false);
    d.setView('F1', null, '', head);
    assert.equal(d.error, null, 'another view clears it');
  });

  test('a new frame with the same view starts from its own head', () => {
    const d = new GridRows('F1', head);
    d.setView('F2', null, '', win(0, 3, 3, 'n'));
    assert.equal(d.total(3), 3);
    assert.equal(d.row(0)?.row.cells[0], 'n0');
    assert.equal(d.row(10), undefined);
  });

  test('view keys', () => {
    assert.equal(viewKey('F', null, ''), viewKey('F', null, ''));
    assert.notEqual(viewKey('F', { column: 'a', descending: false }, ''), viewKey('F', { column: 'a', descending: true }, ''));
    assert.notEqual(viewKey('F', null, 'a'), viewKey('G', null, 'a'));
  });
});

describe('keyboard', () => {
  const dims: GridDims = { rows: 1000, cols: 4, page: 10 };
  const key = (cur: Cursor, k: string, ctrl = false, d = dims) => gridKey(cur, { key: k, ctrl }, d);
  const moved = (cur: Cursor, k: string, ctrl = false, d = dims) => {
    const a = key(cur, k, ctrl, d);
    assert.equal(a?.type, 'move', k);
    return a && a.type === 'move' ? a.cursor : null;
  };

  test('arrows move one cell and stop at the edges; up from the first row is the header', () => {
    assert.deepEqual(moved({ row: 5, col: 1 }, 'ArrowDown'), { row: 6, col: 1 });
    assert.deepEqual(moved({ row: 5, col: 1 }, 'ArrowRight'), { row: 5, col: 2 });
    assert.deepEqual(moved({ row: 5, col: 3 }, 'ArrowRight'), { row: 5, col: 3 });
    assert.deepEqual(moved({ row: 5, col: 0 }, 'ArrowLeft'), { row: 5, col: 0 });
    assert.deepEqual(moved({ row: 0, col: 2 }, 'ArrowUp'), { row: -1, col: 2 });
    assert.deepEqual(moved({ row: -1, col: 2 }, 'ArrowUp'), { row: -1, col: 2 });
    assert.deepEqual(moved({ row: 999, col: 2 }, 'ArrowDown'), { row: 999, col: 2 });
  });

  test('Page Up/Down move by a screen', () => {
    assert.deepEqual(moved({ row: 5, col: 1 }, 'PageDown'), { row: 15, col: 1 });
    assert.deepEqual(moved({ row: 995, col: 1 }, 'PageDown'), { row: 999, col: 1 });
    assert.deepEqual(moved({ row: 15, col: 1 }, 'PageUp'), { row: 5, col: 1 });
    assert.deepEqual(moved({ row: 5, col: 1 }, 'PageUp'), { row: 0, col: 1 });
    assert.deepEqual(moved({ row: 0, col: 1 }, 'PageUp'), { row: -1, col: 1 });
  });

  test('Home/End go to the first/last column; with Ctrl to the first/last row', () => {
    assert.deepEqual(moved({ row: 5, col: 2 }, 'Home'), { row: 5, col: 0 });
    assert.deepEqual(moved({ row: 5, col: 1 }, 'End'), { row: 5, col: 3 });
    assert.deepEqual(moved({ row: 5, col: 2 }, 'Home', true), { row: 0, col: 0 });
    const big = { rows: 10_000_000, cols: 8, page: 11 };
    assert.deepEqual(moved({ row: 5, col: 2 }, 'End', true, big), { row: 9_999_999, col: 7 });
  });

  test('Enter on a header sorts, Space toggles the selection', () => {
    assert.deepEqual(key({ row: -1, col: 2 }, 'Enter'), { type: 'activate-header', col: 2 });
    assert.deepEqual(key({ row: 7, col: 2 }, ' '), { type: 'toggle-row', row: 7 });
    assert.deepEqual(key({ row: -1, col: 1 }, ' '), { type: 'toggle-column', col: 1 });
    assert.deepEqual(key({ row: 7, col: 2 }, 'Enter'), { type: 'activate-cell', cursor: { row: 7, col: 2 } });
    assert.equal(key({ row: 7, col: 2 }, 'a'), null);
    assert.equal(key({ row: 7, col: 2 }, 'Tab'), null, 'Tab leaves the grid');
  });

  test('an empty view has only the header row', () => {
    const empty = { rows: 0, cols: 3, page: 10 };
    assert.deepEqual(moved({ row: 4, col: 1 }, 'ArrowDown', false, empty), { row: -1, col: 1 });
    assert.deepEqual(moved({ row: -1, col: 1 }, 'End', true, empty), { row: -1, col: 2 });
  });

  test('a cursor left out of range (the view shrank) is brought back', () => {
    const small = { rows: 10, cols: 2, page: 5 };
    assert.deepEqual(moved({ row: 500, col: 7 }, 'ArrowUp', false, small), { row: 8, col: 1 });
  });
});

describe('sorting', () => {
  test('header clicks cycle ascending, descending, none', () => {
    let s = nextSort(null, 'price');
    assert.deepEqual(s, { column: 'price', descending: false });
    s = nextSort(s, 'price');
    assert.deepEqual(s, { column: 'price', descending: true });
    assert.equal(nextSort(s, 'price'), null);
    assert.deepEqual(nextSort({ column: 'a', descending: true }, 'b'), { column: 'b', descending: false });
  });
});

describe('CSV link', () => {
  test('the plain view is the download url as it is', () => {
    assert.equal(csvUrl('/_brooklet/frame/o/f.csv', { sort: null, search: '', columns: null }), '/_brooklet/frame/o/f.csv');
  });

  test('sort, direction, search and visible columns, encoded', () => {
    const url = csvUrl('/_brooklet/frame/o/f.csv', {
      sort: { column: 'unit price', descending: true },
      search: 'a&b=c',
      columns: ['id', 'unit price', 'x,y'],
    });
    assert.equal(url, '/_brooklet/frame/o/f.csv?sort=unit%20price&desc=1&search=a%26b%3Dc&columns=id,unit%20price,x%2Cy');
    const q = new URL(url, 'http://h').searchParams;
    assert.equal(q.get('sort'), 'unit price');
    assert.equal(q.get('search'), 'a&b=c');
  });

  test('ascending has no desc; a url with a query gets &', () => {
    assert.equal(csvUrl('/f.csv?t=1', { sort: { column: 'a', descending: false }, search: '', columns: null }), '/f.csv?t=1&sort=a');
  });
});

describe('selection', () => {
  const none = { rows: [], columns: [] };

  test('multi: rows toggle in and out, kept ascending', () => {
    let v = toggleRow(none, 17, 'multi');
    v = toggleRow(v, 3, 'multi');
    v = toggleRow(v, 9_999_999, 'multi');
    assert.deepEqual(v.rows, [3, 17, 9_999_999]);
    v = toggleRow(v, 17, 'multi');
    assert.deepEqual(v, { rows: [3, 9_999_999], columns: [] });
  });

  test('single: a row replaces the other; clicking it again clears it', () => {
    let v = toggleRow({ rows: [3], columns: ['a'] }, 5, 'single');
    assert.deepEqual(v, { rows: [5], columns: ['a'] }, 'columns are left alone');
    v = toggleRow(v, 5, 'single');
    assert.deepEqual(v.rows, []);
  });

  test('columns toggle in display order', () => {
    const order = ['id', 'name', 'price'];
    let v = toggleColumn(none, 'price', 'multi', order);
    v = toggleColumn(v, 'id', 'multi', order);
    assert.deepEqual(v.columns, ['id', 'price']);
    v = toggleColumn(v, 'id', 'multi', order);
    assert.deepEqual(v.columns, ['price']);
    assert.deepEqual(toggleColumn({ rows: [1], columns: ['id'] }, 'name', 'single', order), { rows: [1], columns: ['name'] });
  });

  test('toggling does not change the value it was given', () => {
    const v = { rows: [1, 2], columns: ['a'] };
    toggleRow(v, 3, 'multi');
    toggleColumn(v, 'b', 'multi', ['a', 'b']);
    assert.deepEqual(v, { rows: [1, 2], columns: ['a'] });
  });

  test('a malformed value reads as empty', () => {
    assert.deepEqual(asSelection(null), { rows: [], columns: [] });
    assert.deepEqual(asSelection({ rows: [1, 'x'], columns: 'a' } as unknown as Json), { rows: [1], columns: [] });
  });
});

const col = (name: string, over: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  label: name,
  type: 'text',
  width: 100,
  align: 'left',
  ...over,
});

describe('columns', () => {
  test('selection, index and pinned columns come first and stick at the left', () => {
    const l = layoutColumns([col('a'), col('b', { pinned: true }), col('c', { width: 50 })], {
      index: { width: 72 },
      selectRows: true,
    });
    assert.deepEqual(
      l.columns.map((c) => (c.kind === 'data' ? c.spec.name : c.kind)),
      ['select', 'index', 'b', 'a', 'c'],
    );
    assert.deepEqual(
      l.columns.map((c) => [c.left, c.sticky]),
      [
        [0, true],
        [36, true],
        [108, true],
        [208, false],
        [308, false],
      ],
    );
    assert.equal(l.stickyWidth, 208);
    assert.equal(l.width, 358);
    assert.equal(l.template, '36px 72px 100px 100px 50px');
    // Cells are read by the column's position in the element.
    const a = l.columns[3];
    assert.equal(a?.kind === 'data' && a.cell, 0);
  });

  test('hidden columns are not drawn; no index without one', () => {
    const l = layoutColumns([col('a'), col('b')], { index: null, selectRows: false, hidden: new Set(['a']) });
    assert.deepEqual(
      l.columns.map((c) => (c.kind === 'data' ? [c.spec.name, c.cell] : c.kind)),
      [['b', 1]],
    );
    assert.equal(l.stickyWidth, 0);
  });

  test('scrolling sideways to a column keeps it clear of the sticky ones', () => {
    const l = layoutColumns([col('p', { pinned: true }), ...'abcdef'.split('').map((n) => col(n))], {
      index: null,
      selectRows: false,
    });
    const f = l.columns[6]!; // left 600
    assert.equal(scrollLeftFor(f, 0, 400, l.stickyWidth), 300, 'to its right edge');
    const a = l.columns[1]!; // left 100
    assert.equal(scrollLeftFor(a, 300, 400, l.stickyWidth), 0, 'not under the pinned column');
    assert.equal(scrollLeftFor(l.columns[0]!, 300, 400, l.stickyWidth), 300, 'a pinned column is always in view');
  });
});

describe('cells', () => {
  test('only http(s) and mailto become links; images from http(s) or data:image', () => {
    assert.ok(safeHref('https://example.com'));
    assert.ok(safeHref('mailto:a@b.c'));
    assert.ok(!safeHref('javascript:alert(1)'));
    assert.ok(!safeHref(' JavaScript:alert(1)'));
    assert.ok(!safeHref('/relative'));
    assert.ok(safeImage('data:image/png;base64,AAAA'));
    assert.ok(!safeImage('data:text/html,<b>'));
  });

  test('a line sparkline spans the box and breaks at empty values', () => {
    const s = sparkline([0, 10, null, 5], 'line', 30, 20);
    assert.equal(s.kind, 'line');
    assert.equal(s.kind === 'line' && s.d, 'M0 20L10 0 M30 10');
  });

  test('the shared y range of the column is used when given', () => {
    const s = sparkline([5], 'line', 10, 20, 0, 10);
    assert.equal(s.kind === 'line' && s.d, 'M5 10');
  });

  test('bars grow from zero', () => {
    const s = sparkline([2, -2, null, 4], 'bar', 40, 12);
    assert.equal(s.kind, 'bar');
    const bars = s.kind === 'bar' ? s.bars : [];
    assert.equal(bars.length, 3, 'no bar for an empty value');
    // Range [-2, 4]: zero is at y = 8.
    assert.deepEqual(bars[0], { x: 1, y: 4, w: 8, h: 4 });
    assert.deepEqual(bars[1], { x: 11, y: 8, w: 8, h: 4 });
    assert.deepEqual(bars[2], { x: 31, y: 0, w: 8, h: 8 });
  });
});

describe('search status', () => {
  test('no search: the footer counts every row', () => {
    const s = searchState('', '', 10_000_000, false);
    assert.deepEqual(s, { kind: 'none' });
    assert.equal(footerText(10_000_000, 8, s), '10,000,000 rows × 8 columns');
    assert.equal(footerText(1, 1, s), '1 row × 1 column');
    assert.equal(foundText(s), '');
  });

  test('while the server has not answered a search, nothing claims every row matches', () => {
    // The grid has switched to the new view, whose size no reply has said yet.
    const rows = new GridRows('f', { start: 0, total: 10_000_000, index: [0], rows: [['a']] });
    rows.setView('f', null, 'central', null);
    const s = searchState('central', 'central', rows.knownTotal(10_000_000), rows.error !== null);
    assert.deepEqual(s, { kind: 'pending' });
    assert.equal(footerText(10_000_000, 8, s), SEARCHING);
    assert.equal(foundText(s), SEARCHING);
    // The rows drawn meanwhile are the previous view's (the last known count).
    assert.equal(rows.total(10_000_000), 10_000_000);
  });

  test('while the search is being typed it is pending too', () => {
    assert.deepEqual(searchState('centr', '', 100, false), { kind: 'pending' });
    assert.deepEqual(searchState('central', 'centr', 40, false), { kind: 'pending' });
    // Clearing the box: pending until the plain view is shown.
    assert.deepEqual(searchState('', 'central', 20, false), { kind: 'pending' });
  });

  test('an answered search counts its matches', () => {
    const s = searchState('central', 'central', 1_998_244, false);
    assert.deepEqual(s, { kind: 'done', matched: 1_998_244 });
    assert.equal(footerText(10_000_000, 8, s), '1,998,244 of 10,000,000 rows × 8 columns');
    assert.equal(foundText(s), '1,998,244 rows');
    assert.equal(foundText(searchState('x', 'x', 1, false)), '1 row');
  });

  test('a failed search is not pending forever', () => {
    assert.deepEqual(searchState('central', 'central', null, true), { kind: 'none' });
    assert.deepEqual(searchState('centr', 'central', null, true), { kind: 'none' });
    assert.deepEqual(searchState('central', 'central', 12, true), { kind: 'done', matched: 12 });
  });
});
