// Charts that cannot be drawn, in a real browser: each says why in its place
// (with the app's line, where the server sent it), and the rest of the page
// goes on. The elements come from a scripted server (lib.mjs), since no
// example draws broken charts on purpose.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openScripted, wholeRun } from '../lib.mjs';

const axis = { title: '', scale: 'number', min: 0, max: 1 };

test('a broken chart shows its error in place, and the page goes on', async (t) => {
  const server = await openScripted(t);
  const els = [
    // Vega-Lite cannot compile this: the browser finds it, the app's line is shown.
    {
      kind: 'vega_lite_chart',
      spec: { mark: 'no-such-mark', encoding: {} },
      data: null,
      height: 200,
      use_container_width: true,
      theme: true,
      location: 'src/main.rs:12:8',
    },
    // Points that are not on this page (the session ended, or a stale tab).
    {
      kind: 'chart',
      chart: '0'.repeat(32),
      mark: 'line',
      data: '/_brooklet/chart/nobody/00000000000000000000000000000000.bin',
      rows: 10,
      x: axis,
      y: axis,
      series: [{ name: 'v', color: null }],
      stack: 'none',
      horizontal: false,
      height: 200,
      width: null,
      legend: false,
    },
    // A chart of no rows: "No data", not an error.
    {
      kind: 'chart',
      chart: '1'.repeat(32),
      mark: 'bar',
      data: '/_brooklet/chart/nobody/11111111111111111111111111111111.bin',
      rows: 0,
      x: axis,
      y: axis,
      series: [{ name: 'v', color: null }],
      stack: 'none',
      horizontal: false,
      height: 120,
      width: null,
      legend: false,
    },
    { kind: 'text', text: 'after the charts' },
  ];
  server.send(wholeRun(1, els.map((el, i) => ({ op: 'set', path: [0, i], el }))));
  const page = server.page;
  await page.getByText('after the charts').waitFor();

  const vega = page.locator('.bk-vega[role=figure]');
  await page.waitForSelector('.bk-vega[data-state="error"]', { timeout: 30_000 });
  const vegaError = await vega.locator('.bk-chart-error').textContent();
  assert.match(vegaError, /^This chart could not be drawn: the spec is not valid Vega-Lite .* \(drawn at src\/main\.rs:12:8\)$/s, vegaError);

  const missing = page.locator('.bk-chart[role=figure]').first();
  await page.waitForSelector('.bk-chart[role=figure][data-state="error"]', { timeout: 30_000 });
  assert.equal(
    await missing.locator('.bk-chart-error').textContent(),
    'This chart could not be drawn: the chart is no longer on this page',
  );

  const empty = page.locator('.bk-chart[role=figure]').nth(1);
  assert.equal(await empty.getAttribute('data-state'), 'empty');
  assert.equal(await empty.locator('.bk-chart-empty').textContent(), 'No data');
  await assertNoCspViolations(page);
});
