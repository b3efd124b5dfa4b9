// examples/dataframe.rs in a real browser: ten million rows that stay on the
// server. The page holds only the rows in view and asks for others over the
// WebSocket (`window` messages) as it scrolls (scaled: the scrollbar still
// reaches the last row), sorts and searches; rows are selected by their
// original positions; the CSV download is the view on screen.
//
// One app and one browser serve the whole file: the debug binary takes
// seconds to build the frame. The tests run in order and each leaves the
// grid as it found it (unsorted, no search, no selection, all columns).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoCspViolations, recordSent, gridRows, startApp, startBrowser, waitIdle } from '../lib.mjs';

const ROWS = 10_000_000;
const LAST = ROWS - 1;
/** The frame's columns, by name, in display order. */
const NAMES = ['id', 'region', 'product', 'units', 'price', 'score', 'flag', 'date'];
/** Server work on ten million rows in a debug build (sort, search) takes seconds. */
const SLOW = { timeout: 30_000 };

let app;
let browser;
let page;
/** Every `window` request the page sent, parsed. */
const windowRequests = [];

before(async () => {
  app = await startApp('dataframe');
  browser = await startBrowser();
  page = browser.page;
  await page.setViewportSize({ width: 1280, height: 800 });
  recordSent(page, 'window', windowRequests);
  await page.goto(app.url);
  // The first run builds the frame (about 12 s in a debug build).
  await page.getByText('Rows: 10000000').waitFor({ timeout: 120_000 });
  await waitIdle(page);
  await ready();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

// ----- reading the grid -----

const grid = () => page.locator('.bk-el.bk-dataframe .bk-df-scroll');
const footer = () => page.locator('.bk-el.bk-dataframe .bk-df-count');

/** Wait until the rows in view of the current view are all here. */
async function ready(options = SLOW) {
  await page.waitForSelector('.bk-el.bk-dataframe .bk-df-box[data-state="ready"]', options);
}

/** The example's column labels, read back as the column names. */
const LABELS = { Price: 'price', Score: 'score', Flag: 'flag', Date: 'date', Units: 'units' };

/** The rows in the DOM (see `gridRows`), cells keyed by column name. */
async function readRows() {
  return gridRows(page.locator('.bk-el.bk-dataframe'), LABELS);
}

/** The wholly visible, current rows. */
async function visibleRows() {
  return (await readRows()).filter((row) => row.visible && !row.stale && !row.pending);
}

/** Wait until `predicate(visibleRows)` holds (checked in the page, polling). */
async function waitRows(what, predicate, timeout = SLOW.timeout) {
  const deadline = Date.now() + timeout;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await visibleRows();
    if (rows.length > 0 && predicate(rows)) return rows;
    await page.waitForTimeout(100);
  }
  assert.fail(`timed out waiting for ${what}; visible rows: ${JSON.stringify(rows.map((r) => r.cells).slice(0, 5))}…`);
}

/** Poll `get` (in Node) until it returns something truthy. */
async function waitFor(what, get, timeout = SLOW.timeout) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const got = get();
    if (got) return got;
    await page.waitForTimeout(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** "$1,234.56" → 1234.56 */
function dollars(text) {
  const m = /^\$([\d,]+\.\d\d)$/.exec(text);
  assert.ok(m, `a price: ${JSON.stringify(text)}`);
  return Number(m[1].replaceAll(',', ''));
}

const header = (label) => page.locator('.bk-el.bk-dataframe .bk-df-hcell', { has: page.locator('.bk-df-label', { hasText: new RegExp(`^${label}$`) }) });

async function scrollTo(top) {
  await grid().evaluate((el, t) => {
    el.scrollTop = t === 'end' ? el.scrollHeight : t;
  }, top);
}

const activeDescendant = () => grid().getAttribute('aria-activedescendant');

/** The view position and column of the active cell, from its id (…-<row>-<col>). */
async function activeCell() {
  const id = await activeDescendant();
  assert.ok(id, 'the grid names its active cell');
  const m = /-(h|\d+)-(\d+)$/.exec(id);
  assert.ok(m, `an active cell id: ${id}`);
  const cell = page.locator(`[id="${id}"]`);
  assert.equal(await cell.count(), 1, `the active cell ${id} is in the DOM`);
  assert.match(await cell.getAttribute('class'), /\bbk-df-active\b/, 'the active cell is marked');
  return { row: m[1] === 'h' ? -1 : Number(m[1]), col: Number(m[2]) };
}

/**
 * How far each column's header label sits from its first row's content,
 * along the column's alignment (px; 0 = lined up): the right edges of a
 * right-aligned column, the centres of a centred one, the left edges
 * otherwise. By column label.
 */
async function headerOffsets() {
  return grid().evaluate((scroll) => {
    const out = {};
    const heads = Array.from(scroll.querySelectorAll('.bk-df-head .bk-df-hcell'));
    const row = Array.from(scroll.querySelectorAll('.bk-df-row')).find((r) => !r.classList.contains('bk-df-pending'));
    const cells = Array.from(row.querySelectorAll('.bk-df-cell'));
    heads.forEach((h, i) => {
      const label = h.querySelector('.bk-df-label');
      const content = cells[i]?.firstElementChild;
      if (!label || !content) return;
      const a = label.getBoundingClientRect();
      const b = content.getBoundingClientRect();
      const offset = h.classList.contains('bk-df-right')
        ? a.right - b.right
        : h.classList.contains('bk-df-center')
          ? (a.left + a.right) / 2 - (b.left + b.right) / 2
          : a.left - b.left;
      out[label.textContent] = Math.round(offset * 10) / 10;
    });
    return out;
  });
}

// ----- the tests -----

test('ten million rows: the counts, and only a window of rows in the DOM', async () => {
  await page.getByText('Rows: 10000000', { exact: true }).waitFor();
  assert.equal(await footer().textContent(), '10,000,000 rows × 8 columns');
  assert.equal(await grid().getAttribute('aria-rowcount'), String(ROWS + 1));
  // Selection column + index column + 8 data columns.
  assert.equal(await grid().getAttribute('aria-colcount'), '10');
  assert.equal(await grid().getAttribute('aria-multiselectable'), 'true');
  const inDom = await page.locator('.bk-el.bk-dataframe .bk-df-row').count();
  assert.ok(inDom > 5 && inDom < 100, `only the rows near the view are drawn (${inDom})`);

  // The first screen is the head the element brought: the first rows, formatted by the server.
  const rows = await visibleRows();
  assert.ok(rows.length >= 10, `a screenful of rows (${rows.length})`);
  rows.forEach((row, i) => {
    assert.equal(row.r, i);
    assert.equal(row.rowindex, i + 2, 'aria-rowindex counts the header as 1');
    assert.equal(row.cells['#'], String(i), 'the index column');
    assert.equal(row.cells.id, String(i), 'ids count from 0');
    assert.match(row.cells.region, /^(North|South|East|West|Central)$/);
    assert.match(row.cells.price, /^\$\d{1,3}\.\d\d$/, 'prices in dollars');
    assert.match(row.cells.score, /^\d{1,2}\.\d\d$/, 'scores with two decimals');
    assert.match(row.cells.date, /^[A-Z][a-z]{2} \d{1,2}, 20(2[0-4])$/, 'dates as "Nov 24, 2023"');
    assert.equal(typeof row.cells.flag, 'boolean', 'flags are checkboxes');
    assert.equal(row.cells.sel, false, 'nothing selected');
  });
  assert.deepEqual(windowRequests, [], 'the first screen came with the element: no window asked for');
  // Scaled scrolling: the spacer is capped far below 10,000,000 × 32 px.
  const height = await grid().evaluate((el) => el.scrollHeight);
  assert.ok(height > 1_000_000 && height <= 8_100_000, `the scroll height is capped (${height} px)`);
});

test('the toolbar sits in the footer line under the grid, always shown, covering nothing', async () => {
  await page.mouse.move(0, 0);
  const facts = await page.locator('.bk-el.bk-dataframe .bk-df-box').evaluate((box) => {
    const rect = (el) => el.getBoundingClientRect();
    const tools = box.querySelector('.bk-df-tools');
    const scroll = box.querySelector('.bk-df-scroll');
    const count = box.querySelector('.bk-df-count');
    const t = rect(tools);
    const c = rect(count);
    return {
      opacity: getComputedStyle(tools).opacity,
      position: getComputedStyle(tools).position,
      belowGrid: t.top >= rect(scroll).bottom,
      insideBox: t.left >= rect(box).left && t.right <= rect(box).right + 0.5 && t.bottom <= rect(box).bottom + 0.5,
      rightAligned: Math.abs(t.right - rect(box).right) < 1,
      sameLine: t.top < c.bottom && c.top < t.bottom,
      names: Array.from(tools.querySelectorAll('.bk-df-tool')).map((b) => b.getAttribute('aria-label')),
    };
  });
  assert.deepEqual(facts, {
    opacity: '1',
    position: 'static',
    belowGrid: true,
    insideBox: true,
    rightAligned: true,
    sameLine: true,
    names: ['Search', 'Download as CSV', 'Fullscreen', 'Show/hide columns'],
  });

  // Fullscreen: the footer line (with the toolbar) stays in view, under the grid.
  await page.getByRole('button', { name: 'Fullscreen', exact: true }).click();
  const exit = page.getByRole('button', { name: 'Exit fullscreen' });
  await exit.waitFor();
  const full = await page.locator('.bk-el.bk-dataframe .bk-df-box').evaluate((box) => {
    const t = box.querySelector('.bk-df-tools').getBoundingClientRect();
    const s = box.querySelector('.bk-df-scroll').getBoundingClientRect();
    return { inView: t.top >= 0 && t.bottom <= window.innerHeight, belowGrid: t.top >= s.bottom };
  });
  assert.deepEqual(full, { inView: true, belowGrid: true });
  await exit.click();
  await page.getByRole('button', { name: 'Fullscreen', exact: true }).waitFor();
});

test('header labels line up with their cells (right, centred and left columns)', async () => {
  const offsets = await headerOffsets();
  for (const [label, offset] of Object.entries(offsets)) {
    assert.ok(Math.abs(offset) <= 0.5, `${label}: the header is ${offset} px off its cells (${JSON.stringify(offsets)})`);
  }
  assert.ok('Units' in offsets && 'Flag' in offsets && 'region' in offsets, `right, centred and left columns: ${JSON.stringify(offsets)}`);
});

test('scrolling to the very bottom shows the last row', async () => {
  const before = windowRequests.length;
  await scrollTo('end');
  const rows = await waitRows('row 9,999,999', (rs) => rs.some((r) => r.cells['#'] === String(LAST)));
  const last = rows[rows.length - 1];
  assert.equal(last.r, LAST, 'the last visible row is the last row of the view');
  assert.equal(last.cells['#'], String(LAST));
  assert.equal(last.cells.id, String(LAST));
  assert.equal(last.rowindex, ROWS + 1);
  // The rows above it are the ones before it, in order.
  rows.forEach((row, i) => assert.equal(row.cells.id, String(LAST - (rows.length - 1 - i))));
  const asked = windowRequests.slice(before);
  assert.ok(
    asked.some((w) => w.start + w.count === ROWS && w.sort === null && w.search === ''),
    `the rows were asked for over the WebSocket: ${JSON.stringify(asked)}`,
  );
  assert.ok((await page.locator('.bk-el.bk-dataframe .bk-df-row').count()) < 100, 'still only a window of rows');
  await ready();

  // And back to the top.
  await scrollTo(0);
  await waitRows('row 0 at the top', (rs) => rs[0].cells.id === '0');
});

test('keyboard: arrows and Page Down move the active cell; Ctrl+End reaches the last row', async () => {
  await grid().focus();
  await page.keyboard.press('Control+Home');
  assert.deepEqual(await activeCell(), { row: 0, col: 0 });

  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await activeCell(), { row: 1, col: 0 });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await activeCell(), { row: 1, col: 2 });

  // A screen is the rows that fit below the header.
  const screen = await grid().evaluate((el) => Math.floor((el.clientHeight - 34) / 32));
  assert.ok(screen >= 5, `rows in a screen: ${screen}`);
  await page.keyboard.press('PageDown');
  assert.deepEqual(await activeCell(), { row: 1 + screen, col: 2 });
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  const active = 1 + 3 * screen;
  assert.deepEqual(await activeCell(), { row: active, col: 2 });
  // The grid scrolled to keep the active row in view.
  const rows = await waitRows(`row ${active} in view`, (rs) => rs.some((r) => r.r === active));
  assert.equal(rows.find((r) => r.r === active).cells.id, String(active));
  assert.ok((await grid().evaluate((el) => el.scrollTop)) > 0, 'the grid scrolled down');

  await page.keyboard.press('Control+End');
  assert.deepEqual(await activeCell(), { row: LAST, col: 9 }, 'Ctrl+End: the last cell');
  const end = await waitRows('the last row after Ctrl+End', (rs) => rs.some((r) => r.cells.id === String(LAST)));
  assert.equal(end[end.length - 1].cells['#'], String(LAST));
  await ready();

  await page.keyboard.press('Control+Home');
  assert.deepEqual(await activeCell(), { row: 0, col: 0 });
  await waitRows('row 0 after Ctrl+Home', (rs) => rs[0].cells.id === '0');
});

test('sorting by Price on the server: ascending, descending, then back', async () => {
  const price = header('Price');
  assert.equal(await price.getAttribute('aria-sort'), 'none');

  await price.click();
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('.bk-dataframe .bk-df-hcell')).some(
      (h) => h.textContent.includes('Price') && h.getAttribute('aria-sort') === 'ascending',
    ),
  );
  let rows = await waitRows('the cheapest first', (rs) => rs[0].r === 0 && rs[0].cells.price === '$1.00');
  assert.equal(await price.locator('.bk-df-sort-mark').textContent(), '↑');
  // The arrow takes no room: the label stays over its numbers, the arrow left of it.
  assert.equal((await headerOffsets()).Price, 0);
  const mark = await price.locator('.bk-df-sort-mark').evaluate((m) => {
    const range = document.createRange();
    range.selectNodeContents(m);
    const glyph = range.getBoundingClientRect();
    const label = m.parentElement.querySelector('.bk-df-label').getBoundingClientRect();
    const cell = m.parentElement.getBoundingClientRect();
    return { leftOfLabel: glyph.right <= label.left + 0.5, inCell: glyph.left >= cell.left };
  });
  assert.deepEqual(mark, { leftOfLabel: true, inCell: true });
  let prices = rows.map((r) => dollars(r.cells.price));
  assert.deepEqual(prices, [...prices].sort((a, b) => a - b), 'prices ascend');
  // The rows came from all over the frame (the index column is the original position).
  assert.ok(rows.some((r) => r.cells['#'] !== String(r.r)), 'the index column keeps original positions');
  rows.forEach((r) => assert.equal(r.cells['#'], r.cells.id, 'index and id stay together'));
  const asked = windowRequests.at(-1);
  assert.deepEqual(asked.sort, { column: 'price', descending: false }, 'the sort was asked of the server');
  assert.equal(await footer().textContent(), '10,000,000 rows × 8 columns');

  // The sorted view ends with the dearest.
  await scrollTo('end');
  rows = await waitRows('the sorted view\'s last row', (rs) => rs.at(-1).r === LAST);
  assert.equal(rows.at(-1).cells.price, '$499.99');
  await scrollTo(0);
  await waitRows('the sorted view\'s first row', (rs) => rs[0].r === 0);

  await price.click();
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('.bk-dataframe .bk-df-hcell')).some(
      (h) => h.textContent.includes('Price') && h.getAttribute('aria-sort') === 'descending',
    ),
  );
  rows = await waitRows('the dearest first', (rs) => rs[0].r === 0 && rs[0].cells.price === '$499.99');
  assert.equal(await price.locator('.bk-df-sort-mark').textContent(), '↓');
  prices = rows.map((r) => dollars(r.cells.price));
  assert.deepEqual(prices, [...prices].sort((a, b) => b - a), 'prices descend');
  // The CSV is this view: sorted the same way on the server.
  const csv = await download(rows.length + 1);
  assert.deepEqual(csv.query, { sort: 'price', desc: '1' });
  csv.lines.slice(1).forEach((line, i) => {
    const fields = line.split(',');
    assert.equal(fields[0], rows[i].cells.id, `CSV line ${i + 1} is the row on screen`);
    assert.equal(fields[4], '499.99');
  });

  // Selecting in a sorted view selects by original position: the app sums
  // the prices of the rows it was given.
  const top = rows[0];
  await page.getByRole('checkbox', { name: `Select row ${top.cells['#']}`, exact: true }).click();
  await page.getByText('Selected rows: 1', { exact: true }).waitFor();
  await page.getByText('Sum of selected prices: 499.99', { exact: true }).waitFor();
  await page.getByRole('checkbox', { name: `Select row ${top.cells['#']}`, exact: true }).click();
  await page.getByText('Selected rows: 0', { exact: true }).waitFor();
  await waitIdle(page);
  assert.equal(await price.getAttribute('aria-sort'), 'descending', 'the rerun kept the sort');

  // A third click: unsorted again, the frame's order.
  await price.click();
  rows = await waitRows('the frame order again', (rs) => rs[0].r === 0 && rs[0].cells.id === '0' && rs[1].cells.id === '1');
  assert.equal(await price.getAttribute('aria-sort'), 'none');
  await ready();
});

test('selecting two rows: the app gets their original positions and sums their prices', async () => {
  const rows = await waitRows('rows 1 and 3', (rs) => rs.some((r) => r.r === 3));
  const picked = [rows[1], rows[3]];
  for (const row of picked) {
    await page.getByRole('checkbox', { name: `Select row ${row.cells['#']}`, exact: true }).click();
  }
  await page.getByText('Selected rows: 2', { exact: true }).waitFor();
  await waitIdle(page);
  const sum = picked.reduce((s, row) => s + dollars(row.cells.price), 0);
  await page.getByText(`Sum of selected prices: ${sum.toFixed(2)}`, { exact: true }).waitFor();

  const now = await visibleRows();
  for (const row of now) {
    const on = row.r === 1 || row.r === 3;
    assert.equal(row.selected, String(on), `row ${row.r}: aria-selected`);
    assert.equal(row.cells.sel, on, `row ${row.r}: its checkbox`);
  }
  // The selection survives scrolling away and back (it is the server's value).
  await scrollTo('end');
  await waitRows('the last row', (rs) => rs.at(-1).r === LAST);
  await scrollTo(0);
  const back = await waitRows('row 0', (rs) => rs[0].r === 0);
  assert.deepEqual(back.filter((r) => r.selected === 'true').map((r) => r.r), [1, 3]);

  for (const row of picked) {
    await page.getByRole('checkbox', { name: `Select row ${row.cells['#']}`, exact: true }).click();
  }
  await page.getByText('Selected rows: 0', { exact: true }).waitFor();
  await page.getByText('Sum of selected prices: 0.00', { exact: true }).waitFor();
  await waitIdle(page);
});

/** Read the first `lines` lines of the CSV at `url` (without downloading all of it). */
async function csvHead(url, lines) {
  const response = await fetch(url);
  assert.equal(response.status, 200, `GET ${url}`);
  assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.split('\n').length <= lines) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text.split('\n').slice(0, lines);
}

/**
 * Click "Download as CSV": the browser starts the download (of hundreds of
 * MB: it is cancelled) and its first `lines` lines are read from the server.
 */
async function download(lines) {
  const [started] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download as CSV' }).click(),
  ]);
  const url = new URL(started.url());
  await started.cancel();
  assert.match(url.pathname, /^\/_brooklet\/frame\/[^/]+\/[0-9a-f]{32}\.csv$/);
  assert.match(started.suggestedFilename(), /\.csv$/);
  return { query: Object.fromEntries(url.searchParams), lines: await csvHead(url.href, lines) };
}

/** A CSV date ("2023-11-24") as the grid shows it ("Nov 24, 2023"). */
const shownDate = (iso) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

test('download as CSV: every row, raw values, the frame\'s columns', async () => {
  const rows = await waitRows('row 0', (rs) => rs[0].r === 0 && rs[0].cells.id === '0');
  const { query, lines } = await download(6);
  assert.deepEqual(query, {}, 'no sort, search or column choice');
  assert.equal(lines[0], NAMES.join(','));
  lines.slice(1).forEach((line, i) => {
    const [id, region, product, units, price, score, flag, date] = line.split(',');
    const row = rows[i].cells;
    assert.equal(line.split(',').length, NAMES.length, `a row: ${line}`);
    assert.deepEqual(
      { id, region, product, units, price: Number(price).toFixed(2), score: Number(score).toFixed(2), flag, date: shownDate(date) },
      {
        id: row.id,
        region: row.region,
        product: row.product,
        units: row.units,
        price: row.price.slice(1),
        score: row.score,
        flag: String(row.flag),
        date: row.date,
      },
      `CSV line ${i + 1} is row ${i}`,
    );
  });
});

let pendingFooter = null;

test('search on the server: only Central rows, about a fifth; the CSV is the view', async () => {
  const box = page.locator('.bk-el.bk-dataframe .bk-df-box');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const search = page.getByRole('searchbox', { name: 'Search rows' });
  await search.waitFor();
  assert.ok(await search.evaluate((el) => el === document.activeElement), 'the search box has the focus');
  // Lower case: the search ignores case.
  await search.fill('central');
  const asked = await waitFor('the search request', () => windowRequests.find((w) => w.search === 'central'));
  assert.equal(asked.start, 0);
  assert.equal(asked.sort, null);
  // The server searches ten million rows (seconds in a debug build). What the
  // grid says meanwhile, read in one go:
  pendingFooter = await box.evaluate((b) => ({
    count: b.querySelector('.bk-df-count').textContent,
    found: b.querySelector('.bk-df-found').textContent,
    rowcount: b.querySelector('.bk-df-scroll').getAttribute('aria-rowcount'),
    busy: b.querySelector('.bk-df-scroll').getAttribute('aria-busy'),
    state: b.getAttribute('data-state'),
  }));
  await ready({ timeout: 60_000 });
  const text = await footer().textContent();
  const m = /^([\d,]+) of 10,000,000 rows × 8 columns$/.exec(text);
  assert.ok(m, `the footer counts the matches: ${text}`);
  const matched = Number(m[1].replaceAll(',', ''));
  assert.ok(matched > 1_900_000 && matched < 2_100_000, `about a fifth of the rows match: ${text}`);
  assert.equal(await box.locator('.bk-df-found').textContent(), `${m[1]} rows`);
  assert.equal(await grid().getAttribute('aria-rowcount'), String(matched + 1));

  let rows = await waitRows('Central rows', (rs) => rs[0].r === 0);
  assert.ok(rows.length >= 10);
  for (const row of rows) assert.equal(row.cells.region, 'Central', `row ${row.cells.id}`);
  const ids = rows.map((r) => Number(r.cells.id));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in the frame\'s order');
  assert.equal(ids[0], 0, 'row 0 is Central');
  assert.ok(ids.at(-1) > rows.length, 'rows of other regions are left out');

  // The CSV of this view, without the Flag column: only Central rows.
  await page.getByRole('button', { name: 'Show/hide columns' }).click();
  await page.getByRole('group', { name: 'Columns' }).getByRole('checkbox', { name: 'Flag' }).uncheck();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByRole('group', { name: 'Columns' }).count(), 0, 'Escape closes the menu');
  assert.equal(await header('Flag').count(), 0, 'Flag is hidden');
  assert.equal(await grid().getAttribute('aria-colcount'), '9');
  const { query, lines } = await download(40);
  assert.deepEqual(query, { search: 'central', columns: 'id,region,product,units,price,score,date' });
  assert.equal(lines[0], 'id,region,product,units,price,score,date', 'the visible columns, in order');
  const records = lines.slice(1).map((line) => line.split(','));
  for (const r of records) {
    assert.equal(r.length, 7, `a row: ${r}`);
    assert.equal(r[1], 'Central', `only matching rows: ${r}`);
  }
  assert.deepEqual(records.slice(0, rows.length).map((r) => r[0]), rows.map((r) => r.cells.id), 'the rows on screen come first');
  await page.getByRole('button', { name: 'Show/hide columns' }).click();
  await page.getByRole('group', { name: 'Columns' }).getByRole('checkbox', { name: 'Flag' }).check();
  await page.keyboard.press('Escape');
  assert.equal(await header('Flag').count(), 1, 'Flag is back');

  // The end of the filtered view is its last match.
  await scrollTo('end');
  rows = await waitRows('the last match', (rs) => rs.at(-1).r === matched - 1);
  for (const row of rows) assert.equal(row.cells.region, 'Central', `row ${row.cells.id}`);
  assert.ok(Number(rows.at(-1).cells.id) > LAST - 100, `the last match is near the end: ${rows.at(-1).cells.id}`);

  // Escape clears the search: every row again.
  await search.press('Escape');
  await footer().filter({ hasText: /^10,000,000 rows × 8 columns$/ }).waitFor();
  assert.equal(await grid().getAttribute('aria-rowcount'), String(ROWS + 1));
  await waitRows('row 0, unfiltered', (rs) => rs[0].r === 0 && rs[1].cells.id === '1');
  await search.press('Escape');
  assert.equal(await search.count(), 0, 'a second Escape closes the search box');
});

test('while a search is answered, the footer does not claim every row matches', () => {
  assert.ok(pendingFooter, 'the search test ran');
  assert.equal(pendingFooter.state, 'loading', 'read before the reply came');
  assert.doesNotMatch(pendingFooter.count, /^10,000,000 of 10,000,000 rows/);
  assert.notEqual(pendingFooter.found, '10,000,000 rows');
  assert.equal(pendingFooter.count, 'Searching…');
  assert.equal(pendingFooter.found, 'Searching…');
  // The grid keeps the last count it knew, and says it is busy.
  assert.equal(pendingFooter.rowcount, String(ROWS + 1));
  assert.equal(pendingFooter.busy, 'true');
});

test('no Content-Security-Policy violations', async () => {
  await assertNoCspViolations(page);
});
