// examples/big_chart.rs in a real browser: a 1,000,000-point random walk is
// drawn from per-pixel summaries, zooming in brings the true points, Reset
// goes back, and a brush across the chart reaches the app ("Selected: A..B").

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoCspViolations, startApp, startBrowser, waitIdle } from '../lib.mjs';

const SLOW = { timeout: 60_000 };

let app;
let browser;
let page;
/** The chart's points requests, as URLs. */
const requests = [];

before(async () => {
  app = await startApp('big_chart');
  browser = await startBrowser();
  page = browser.page;
  await page.setViewportSize({ width: 1200, height: 900 });
  page.on('request', (r) => {
    if (r.url().includes('/_brooklet/chart/')) requests.push(r.url());
  });
  await page.goto(app.url);
  await page.getByText('Points: 1000000').waitFor(SLOW);
  await page.waitForSelector('.bk-chart[data-rows="1000000"][data-state="ready"]', SLOW);
  await waitIdle(page);
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

const chart = () => page.locator('.bk-chart[role=figure]');
const attr = async (name) => chart().getAttribute(`data-${name}`);

test('a million points arrive as a few per pixel, drawn on a canvas', async () => {
  assert.equal(await attr('aggregated'), '1');
  const points = Number(await attr('points'));
  assert.ok(points > 500 && points <= 4 * 8192, `${points} points on screen`);
  assert.equal(requests.length, 1, 'one request for the first draw');
  assert.match(requests[0], /\?px=\d+$/);
  const inked = await chart()
    .locator('canvas')
    .first()
    .evaluate((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
  assert.ok(inked > 1000, `the line is drawn: ${inked} pixels`);
});

test('zooming in brings the true points; Reset goes back without a request', async () => {
  const plot = chart().locator('.u-over');
  const box = await plot.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // 0.8 per notch: 30 notches zoom 1,000,000 points to about 1,200.
  for (let i = 0; i < 30; i++) await page.mouse.wheel(0, -100);
  await page.waitForFunction(() => document.querySelector('.bk-chart[role=figure]')?.dataset.aggregated === '0', null, SLOW);
  const x0 = Number(await attr('x0'));
  const x1 = Number(await attr('x1'));
  assert.ok(x1 - x0 < 5000 && x0 > 400_000 && x1 < 600_000, `zoomed to ${x0}..${x1}`);
  assert.ok(requests.some((u) => u.includes('x0=')), 'the range was asked for');
  const before = requests.length;
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.waitForFunction(() => document.querySelector('.bk-chart[role=figure]')?.dataset.aggregated === '1');
  assert.equal(requests.length, before, 'the whole range was kept');
  assert.equal(await page.getByRole('button', { name: 'Reset' }).count(), 0);
});

test('a brush across the chart reaches the app', async () => {
  const plot = chart().locator('.u-over');
  const box = await plot.boundingBox();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  const selected = page.getByText(/^Selected: \d+\.\.\d+$/);
  await selected.waitFor(SLOW);
  const [, a, b] = (await selected.textContent()).match(/(\d+)\.\.(\d+)/).map(Number);
  assert.ok(a > 150_000 && a < 350_000 && b > 400_000 && b < 600_000, `selected ${a}..${b}`);
  await waitIdle(page);
  assert.equal(await page.locator('.bk-chart-error').count(), 0);
  await assertNoCspViolations(page);
});
