// The pictures of docs/charts.md: each chart of examples/charts.rs, cut out
// of the page in headless Chromium.
//
//   cargo build --example charts && cd e2e && node tools/chart_pictures.mjs [OUT_DIR]
//
// OUT_DIR defaults to ../docs/images. Writes <caption>.png for each chart
// (line_chart.png, …, map.png) and charts-390.png (the page on a phone).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, startBrowser, waitIdle } from '../lib.mjs';

const out = process.argv[2] ?? join('..', 'docs', 'images');
mkdirSync(out, { recursive: true });

const app = await startApp('charts');
const browser = await startBrowser();
try {
  const page = browser.page;
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto(app.url);
  await page.getByText('map', { exact: true }).waitFor({ timeout: 30_000 });
  for (const selector of ['.bk-chart', '.bk-vega', '.bk-plotly', '.bk-map']) {
    for (const el of await page.locator(`${selector}[role=figure]`).all()) {
      await el.scrollIntoViewIfNeeded();
      await page.waitForFunction((e) => e.dataset.state !== 'loading', await el.elementHandle(), { timeout: 30_000 });
    }
  }
  await waitIdle(page);
  await page.waitForTimeout(500);
  // Each chart is the element just before its caption.
  const captions = page.locator('.bk-el.bk-caption');
  for (let i = 0; i < (await captions.count()); i++) {
    const caption = captions.nth(i);
    const name = (await caption.textContent()).trim();
    const chart = caption.locator('xpath=preceding-sibling::div[contains(@class, "bk-el")][1]');
    await chart.scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    await chart.screenshot({ path: join(out, `${name}.png`) });
    console.log(`wrote ${join(out, `${name}.png`)}`);
  }
  await page.setViewportSize({ width: 390, height: 800 });
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(out, 'charts-390.png'), fullPage: true });
} finally {
  await browser.close();
  await app.stop();
}
