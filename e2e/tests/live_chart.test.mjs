// add_rows on a simple chart in a real browser (the gallery's "Live chart":
// ten rows appended to one while the run goes on): the chart ends with every
// point, once. The page fetches the whole series once, then only the rows
// after the ones it has; however the appends and the fetches interleave,
// the rows its answers cover add up to the chart's 11.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, startApp, startBrowser, waitIdle } from '../lib.mjs';

test('appended rows are fetched on their own and drawn once', async (t) => {
  const app = await startApp('gallery');
  const browser = await startBrowser();
  t.after(async () => {
    await browser.close();
    await app.stop();
  });
  const { page } = browser;
  await page.setViewportSize({ width: 1280, height: 900 });
  /** Per chart URL: each answer's query and the data rows it covers (header offset 40). */
  const answers = new Map();
  const reading = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (!url.pathname.startsWith('/_brooklet/chart/')) return;
    reading.push(
      res.body().then((body) => {
        const rows = new DataView(body.buffer, body.byteOffset, body.byteLength).getFloat64(40, true);
        if (!answers.has(url.pathname)) answers.set(url.pathname, []);
        answers.get(url.pathname).push({ query: url.search, rows });
      }),
    );
  });
  await page.goto(`${app.url}/?section=charts`);
  const live = page.getByRole('figure', { name: 'Line chart of value (11 points)' });
  await live.scrollIntoViewIfNeeded({ timeout: 30_000 });
  await page.waitForFunction(
    (e) => e.dataset.state === 'ready' && e.dataset.rows === '11',
    await live.elementHandle(),
    { timeout: 30_000 },
  );
  await waitIdle(page);
  await Promise.all(reading);
  assert.equal(await live.getAttribute('data-points'), '11', 'every point, once');

  // The live chart's answers: the chart whose answers cover 11 rows.
  const total = (list) => list.reduce((sum, a) => sum + a.rows, 0);
  const mine = [...answers.values()].find((list) => total(list) === 11);
  assert.ok(mine, `one chart's answers add up to 11 rows: ${JSON.stringify([...answers.values()])}`);
  const whole = mine.filter((a) => !a.query.includes('after='));
  assert.equal(whole.length, 1, `the whole series once: ${JSON.stringify(mine)}`);
  for (const a of mine.slice(1)) assert.match(a.query, /^\?after=\d+&px=\d+$/);
  await assertNoCspViolations(page);
});
