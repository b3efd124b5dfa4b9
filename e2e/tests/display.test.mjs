// Display elements in a real browser, with a scripted server (any element,
// any content): a metric's border and chart of recent values, coloured as
// its delta; a static table's cells drawn by kind (as a dataframe's) and
// lined up by `align`; a JSON value opened to its `depth`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openScripted, wholeRun } from '../lib.mjs';

const metric = (label, value, extra = {}) => ({
  kind: 'metric',
  label,
  value,
  delta: null,
  delta_color: 'normal',
  help: null,
  border: false,
  chart_type: 'line',
  ...extra,
});

/** Draws `els` in the main area, one after the other, in one run. */
async function draw(t, els) {
  const server = await openScripted(t);
  server.send(wholeRun(1, els.map((el, i) => ({ op: 'set', path: [0, i], el }))));
  await server.page.locator(`.bk-el[data-path="0.${els.length - 1}"]`).waitFor();
  return server.page;
}

test('metric: a border, and a chart of recent values coloured as the delta', async (t) => {
  const page = await draw(t, [
    metric('Sales', '$1,234.50', { delta: '-$52.25', border: true, chart: [1100, 1180, 1290, 1234.5], chart_type: 'area' }),
    metric('Latency', '212 ms', { delta: '-18 ms', delta_color: 'inverse', chart: [250, 240, 212] }),
    metric('Users', '1,204', { delta: '+12', chart: [3, 5, 4], chart_type: 'bar' }),
    metric('Flat', '5', { chart: [5, 5, 5] }),
    metric('One', '7', { chart: [7] }),
    metric('None', '0', { chart: [] }),
    metric('Plain', '42'),
  ]);
  const facts = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.bk-el.bk-metric')).map((el) => {
      const box = el.querySelector('.bk-metric-box');
      const svg = box.querySelector('svg.bk-metric-chart');
      const style = getComputedStyle(box);
      const content = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return {
        label: box.querySelector('.bk-metric-label-text').textContent,
        border: style.borderTopWidth,
        rounded: parseFloat(style.borderTopLeftRadius) > 0,
        chart: svg
          ? {
              tone: Array.from(svg.classList).find((c) => c.startsWith('bk-chart-')),
              color: getComputedStyle(svg).color,
              fullWidth: Math.abs(svg.getBoundingClientRect().width - content) < 1,
              height: svg.getBoundingClientRect().height,
              fill: svg.querySelectorAll('.bk-chart-fill').length,
              bars: svg.querySelectorAll('rect').length,
              line: svg.querySelector('path:not(.bk-chart-fill)')?.getAttribute('d') ?? null,
              name: svg.getAttribute('aria-label'),
              belowValue: svg.getBoundingClientRect().top >= box.querySelector('.bk-metric-value').getBoundingClientRect().bottom,
            }
          : null,
      };
    }),
  );
  const [sales, latency, users, flat, one, none, plain] = facts;
  assert.equal(sales.border, '1px', 'border: a 1 px box');
  assert.ok(sales.rounded);
  assert.equal(latency.border, '0px', 'no border unless asked');
  assert.deepEqual(
    { tone: sales.chart.tone, color: sales.chart.color, fill: sales.chart.fill, full: sales.chart.fullWidth, height: sales.chart.height },
    { tone: 'bk-chart-bad', color: 'rgb(198, 47, 47)', fill: 1, full: true, height: 40 },
    'a decrease is red; an area has its fill; the chart spans the metric',
  );
  assert.ok(sales.chart.belowValue, 'the chart is under the value');
  assert.equal(sales.chart.name, 'Recent values: 1100, 1180, 1290, 1234.5');
  assert.equal(latency.chart.tone, 'bk-chart-good', 'inverse: a decrease is green');
  assert.equal(latency.chart.color, 'rgb(18, 128, 74)');
  assert.equal(latency.chart.fill, 0, 'a line has no fill');
  assert.deepEqual([users.chart.tone, users.chart.bars], ['bk-chart-good', 3], 'bars, one per value');
  assert.equal(flat.chart.tone, 'bk-chart-off', 'no delta: grey');
  assert.equal(flat.chart.line, 'M0 20L150 20L300 20', 'a constant series: a flat line in the middle');
  assert.equal(one.chart.line, 'M0 20L300 20', 'one value: a flat line across');
  assert.equal(none.chart, null, 'no values: no chart');
  assert.equal(plain.chart, null);
  await assertNoCspViolations(page);
});

test('table: cells drawn by kind, lined up by align; no kinds: text at the left', async (t) => {
  const page = await draw(t, [
    {
      kind: 'table',
      columns: ['name', 'price', 'ok', 'site', 'sold', 'tags', 'weekly'],
      kinds: ['text', 'number', 'checkbox', 'link', 'progress', 'list', 'line_chart'],
      align: ['left', 'right', 'center', 'left', 'left', 'left', 'left'],
      rows: [
        ['Kettle', '$39.50', true, ['https://example.com/kettle', 'Open'], [0.82, '82%'], ['kitchen', 'steel'], [3, 5, 4]],
        ['Toaster', '$1,249.00', false, ['javascript:alert(1)', 'bad'], [0.35, '35%'], ['kitchen'], null],
      ],
    },
    { kind: 'table', columns: ['a', 'b'], kinds: [], align: [], rows: [['x', '1']] },
  ]);
  const first = page.locator('.bk-el.bk-table').first();
  const rows = await first.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) =>
      Array.from(tr.cells).map((td) => ({
        text: td.textContent,
        align: getComputedStyle(td).textAlign,
        checkbox: td.querySelector('input[type=checkbox]')?.checked ?? null,
        link: td.querySelector('a')?.getAttribute('href') ?? null,
        target: td.querySelector('a')?.getAttribute('target') ?? null,
        fill: td.querySelector('.bk-df-fill')?.style.width ?? null,
        chips: Array.from(td.querySelectorAll('.bk-df-chip')).map((c) => c.textContent),
        chart: !!td.querySelector('svg.bk-df-spark path'),
      })),
    ),
  );
  const [kettle, toaster] = rows;
  assert.deepEqual(kettle[0], { text: 'Kettle', align: 'left', checkbox: null, link: null, target: null, fill: null, chips: [], chart: false });
  assert.deepEqual([kettle[1].text, kettle[1].align], ['$39.50', 'right']);
  assert.deepEqual([kettle[2].checkbox, kettle[2].align, toaster[2].checkbox], [true, 'center', false]);
  assert.deepEqual([kettle[3].text, kettle[3].link, kettle[3].target], ['Open', 'https://example.com/kettle', '_blank']);
  assert.deepEqual([toaster[3].text, toaster[3].link], ['bad', null], 'only http(s) and mailto become links');
  assert.deepEqual([kettle[4].fill, kettle[4].text], ['82%', '82%']);
  assert.deepEqual(kettle[5].chips, ['kitchen', 'steel']);
  assert.equal(kettle[6].chart, true, 'a sparkline');
  assert.equal(toaster[6].text, '', 'an empty cell');
  assert.deepEqual(
    await first.locator('th').evaluateAll((ths) => ths.map((th) => getComputedStyle(th).textAlign)),
    ['left', 'right', 'center', 'left', 'left', 'left', 'left'],
    'headers line up with their cells',
  );
  // The link is an ordinary link in a table: it takes the focus.
  assert.equal(await first.getByRole('link', { name: 'Open' }).getAttribute('tabindex'), null);

  const plain = page.locator('.bk-el.bk-table').nth(1);
  assert.deepEqual(
    await plain.locator('td').evaluateAll((tds) => tds.map((td) => [td.textContent, getComputedStyle(td).textAlign])),
    [
      ['x', 'left'],
      ['1', 'left'],
    ],
  );
  await assertNoCspViolations(page);
});

test('table: `add_rows` appends rows to the drawn table, which keeps its DOM node', async (t) => {
  const server = await openScripted(t);
  const table = { kind: 'table', columns: ['at'], kinds: ['text'], align: ['left'], rows: [['12:00:00']] };
  server.send([{ type: 'run_started', run: 1 }, { type: 'delta', run: 1, ops: [{ op: 'set', path: [0, 0], el: table }] }]);
  const drawn = server.page.locator('.bk-el.bk-table');
  await drawn.waitFor();
  await drawn.evaluate((el) => { el.__tag = 'kept'; });
  const cells = () => drawn.locator('tbody td').allTextContents();
  assert.deepEqual(await cells(), ['12:00:00']);
  // While the run goes on, the app appends twice: only the new rows travel.
  server.send([{ type: 'delta', run: 1, ops: [{ op: 'add_rows', path: [0, 0], rows: [['12:00:01'], ['12:00:02']] }] }]);
  server.send([{ type: 'delta', run: 1, ops: [{ op: 'add_rows', path: [0, 0], rows: [['12:00:03']] }] }]);
  await server.page.waitForFunction(() => document.querySelectorAll('.bk-el.bk-table tbody tr').length === 4);
  assert.deepEqual(await cells(), ['12:00:00', '12:00:01', '12:00:02', '12:00:03']);
  assert.equal(await drawn.evaluate((el) => el.__tag), 'kept', 'the same table, not a new one');
  server.send([{ type: 'run_finished', run: 1, status: 'complete' }]);
  await assertNoCspViolations(server.page);
});

test('json: `depth` opens that many levels; without it, `expanded` decides', async (t) => {
  const value = { name: 'Oslo', tags: ['fjord', 'capital'], nested: { a: { b: { c: 1 } } } };
  const page = await draw(t, [
    { kind: 'json', value, expanded: true },
    { kind: 'json', value, expanded: false, depth: 0 },
    { kind: 'json', value, expanded: true, depth: 1 },
    { kind: 'json', value, expanded: true, depth: 2 },
    { kind: 'json', value, expanded: false },
  ]);
  const open = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.bk-el.bk-json')).map((el) =>
      Array.from(el.querySelectorAll('details')).map((d) => d.open),
    ),
  );
  // Open branches show their children: root, tags, nested, a, b (5 when all are open).
  assert.deepEqual(open[0], [true, true, true, true, true], 'no depth: everything open (down to level 4)');
  assert.deepEqual(open[1], [false], 'depth 0: closed');
  assert.deepEqual(open[2], [true, false, false], 'depth 1: the top level open, its children closed');
  assert.deepEqual(open[3], [true, true, true, false], 'depth 2: two levels');
  assert.deepEqual(open[4], [false], 'expanded false: closed');
  const summary = page.locator('.bk-el.bk-json').nth(2).locator('summary', { hasText: 'nested' });
  assert.equal(await summary.textContent(), '"nested": { 1 key }');
  await assertNoCspViolations(page);
});
