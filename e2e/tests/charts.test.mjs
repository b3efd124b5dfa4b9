// examples/charts.rs in a real browser: each chart kind draws (a canvas with
// ink on it, or an SVG with marks), under the caption naming it, inside the
// app's Content-Security-Policy; the Vega-Lite brush reaches the app.
//
// One app and one browser serve the whole file; the tests run in order.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoCspViolations, startApp, startBrowser, waitIdle } from '../lib.mjs';

/** The libraries load lazily (plotly.js is 5 MB in a debug server). */
const SLOW = { timeout: 30_000 };

let app;
let browser;
let page;

before(async () => {
  app = await startApp('charts');
  browser = await startBrowser();
  page = browser.page;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(app.url);
  await page.getByText('map', { exact: true }).waitFor(SLOW);
  await waitIdle(page);
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/**
 * How many pixels of `canvas` (a locator) are neither transparent nor the
 * colour of its top-left corner: ink drawn on it.
 */
async function inkedPixels(canvas) {
  return canvas.evaluate((c) => {
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    const [r0, g0, b0, a0] = data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      const a = data[i + 3];
      if (a === 0) continue;
      if (data[i] !== r0 || data[i + 1] !== g0 || data[i + 2] !== b0 || a !== a0) inked++;
    }
    return inked;
  });
}

test('the captions name every chart kind, in order', async () => {
  const captions = await page.locator('.bk-el.bk-caption').allTextContents();
  assert.deepEqual(captions, [
    'line_chart',
    'area_chart',
    'bar_chart',
    'scatter_chart',
    'vega_lite_chart',
    'plotly_chart',
    'plotters',
    'graphviz_chart',
    'map',
  ]);
});

test('the simple charts draw their points on canvases', async () => {
  const charts = page.locator('.bk-chart[role=figure]');
  assert.equal(await charts.count(), 4, 'line, area, bar, scatter');
  for (let i = 0; i < 4; i++) {
    const chart = charts.nth(i);
    await chart.scrollIntoViewIfNeeded();
    await page.waitForFunction((e) => e.dataset.state === 'ready', await chart.elementHandle(), SLOW);
    assert.ok(Number(await chart.getAttribute('data-points')) > 0, `chart ${i} has points`);
    const ink = await inkedPixels(chart.locator('canvas').first());
    assert.ok(ink > 2000, `chart ${i} is drawn: ${ink} pixels`);
  }
  const labels = await charts.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  assert.deepEqual(labels, [
    'Line chart of north, south (365 points)',
    'Area chart of north, south, east (4 points)',
    'Bar chart of north, south, east (4 points)',
    'Scatter chart of setosa, versicolor, virginica (150 points)',
  ]);
});

test('hovering shows x and each series\' value in a tooltip', async () => {
  const line = page.locator('.bk-chart[role=figure]').first();
  await line.scrollIntoViewIfNeeded();
  const box = await line.locator('.u-over').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const tip = line.locator('.bk-chart-tip');
  await tip.waitFor();
  const text = await tip.textContent();
  assert.match(text, /^2024-\d\d-\d\dnorth [\d.,]+south [\d.,]+$/, text);
  await page.mouse.move(0, 0);
  await tip.waitFor({ state: 'hidden' });
});

test('a legend entry hides its series', async () => {
  const bars = page.locator('.bk-chart[role=figure]').nth(2);
  const before = await inkedPixels(bars.locator('canvas').first());
  await bars.locator('.u-legend .u-series', { hasText: 'east' }).locator('th').click();
  await page.waitForTimeout(100);
  const after = await inkedPixels(bars.locator('canvas').first());
  assert.ok(after < before * 0.85, `fewer bars drawn: ${before} → ${after} pixels`);
  await bars.locator('.u-legend .u-series', { hasText: 'east' }).locator('th').click();
});

test('vega_lite_chart draws its points as SVG marks', async () => {
  const chart = page.locator('.bk-vega[role=figure]');
  await page.waitForSelector('.bk-vega[data-state="ready"]', SLOW);
  const marks = await chart.locator('svg .mark-symbol.role-mark path').count();
  assert.equal(marks, 150, 'one mark per flower');
});

test('a brush on the Vega-Lite chart reaches the app', async () => {
  const chart = page.locator('.bk-vega[role=figure]');
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.locator('svg').first().boundingBox();
  assert.ok(box, 'the chart has a box');
  // Drag across the middle of the plot.
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 8 });
  await page.mouse.up();
  // The brush is reported as it grows (debounced): wait for the last.
  const brushed = page.getByText(/^Brushed: [1-9]\d* flowers$/);
  await brushed.waitFor(SLOW);
  await waitIdle(page);
  const count = Number((await brushed.textContent()).match(/\d+/)[0]);
  assert.ok(count > 0 && count < 150, `some flowers brushed: ${count}`);
});

test('plotly_chart draws its bars and line', async () => {
  await page.waitForSelector('.bk-plotly[data-state="ready"]', SLOW);
  const plot = page.locator('.bk-plotly[role=figure]');
  assert.equal(await plot.locator('.barlayer .point').count(), 4, 'four bars');
  assert.equal(await plot.locator('.scatterlayer .trace').count(), 1, 'one line');
});

test('plotters and graphviz_chart show their SVG pictures', async () => {
  const pictures = page.locator('.bk-svg-chart img');
  assert.equal(await pictures.count(), 2);
  for (const [i, source] of ['plotters', 'graphviz'].entries()) {
    const picture = pictures.nth(i);
    await picture.scrollIntoViewIfNeeded();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await picture.elementHandle());
    assert.equal(await page.locator('.bk-svg-chart').nth(i).getAttribute('data-source'), source);
    const box = await picture.boundingBox();
    assert.ok(box.width > 100 && box.height > 50, `${source} has a size: ${JSON.stringify(box)}`);
  }
});

test('map draws the outline and its points on a canvas', async () => {
  const map = page.locator('.bk-map[role=figure]');
  await map.scrollIntoViewIfNeeded();
  await page.waitForSelector('.bk-map[role=figure][data-state="ready"]', SLOW);
  assert.equal(await map.getAttribute('aria-label'), 'Map of 10 points');
  assert.equal(await map.getAttribute('data-points'), '10', 'every city in view');
  const canvases = map.locator('canvas');
  let ink = 0;
  for (let i = 0; i < (await canvases.count()); i++) ink += await inkedPixels(canvases.nth(i));
  assert.ok(ink > 1000, `the outline and the dots are drawn: ${ink} pixels`);
});

test('no chart broke the Content-Security-Policy', async () => {
  assert.equal(await page.locator('.bk-chart-error').count(), 0, 'no chart shows an error');
  await assertNoCspViolations(page);
});
