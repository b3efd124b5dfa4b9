// examples/cache.rs in a real browser: a cache miss (after "Clear cache")
// must leave every element below the cached call where it was, so the
// chosen tab, the open expander and the table's sort survive it, and the
// unchanged table asks the server for no rows again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, gridReady, gridRows, openExample, survivingTags, tagElements, waitIdle } from '../lib.mjs';

test('cache: a miss keeps the tab, the expander, the sort and the table', async (t) => {
  const { page } = await openExample(t, 'cache');
  // The first load misses (two seconds), unless another test warmed it.
  await page.getByText(/^Loaded 10000 rows in/).waitFor({ timeout: 30_000 });
  await waitIdle(page);
  // A new tab is a new session, whose first run hits the shared cache: the
  // page below is a hit's page, and the miss below must not change it.
  // The `window` requests (rows asked for) go over the new page's socket.
  const windows = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      const msg = JSON.parse(String(payload));
      if (msg.type === 'window') windows.push(msg);
    }),
  );
  await page.reload();
  await page.getByText(/^Loaded 10000 rows in/).waitFor({ timeout: 30_000 });
  await waitIdle(page);
  const table = page.locator('.bk-el.bk-dataframe');
  await gridReady(table);

  // Put the page in a state a remount would lose: a tab, an open expander,
  // a sort (done on the server) and a scroll position.
  await page.getByRole('tab', { name: 'Notes' }).click();
  await page.getByText('How the cache works').click();
  const header = table.getByRole('columnheader', { name: 'temperature' });
  await header.click();
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('.bk-dataframe .bk-df-hcell')).some(
      (h) => h.textContent.includes('temperature') && h.getAttribute('aria-sort') === 'ascending',
    ),
  );
  await table.locator('.bk-df-scroll').evaluate((el) => {
    el.scrollTop = 100 * 32;
  });
  const shown = async () => (await gridRows(table)).filter((r) => r.visible && !r.stale && !r.pending);
  let before = [];
  for (let tries = 0; tries < 300; tries++) {
    before = await shown();
    if (before.length > 0 && before[0].r === 100) break;
    await page.waitForTimeout(100);
  }
  assert.equal(before[0]?.r, 100, 'scrolled to row 100 of the sorted view');
  const temps = before.map((r) => Number(r.cells.temperature));
  assert.deepEqual(temps, [...temps].sort((a, b) => a - b), 'sorted by temperature');
  assert.ok(windows.some((w) => w.sort?.column === 'temperature'), `the sorted rows were asked for: ${JSON.stringify(windows)}`);
  await gridReady(table);
  const scrollTop = await table.locator('.bk-df-scroll').evaluate((el) => el.scrollTop);
  const tagged = await tagElements(page);
  const asked = windows.length;

  // A miss: the rows are computed again (the same rows).
  await page.getByRole('button', { name: 'Clear cache' }).click();
  await page.waitForSelector('#bk-app[data-running="true"]', { timeout: 10_000 }).catch(() => {});
  await waitIdle(page);
  await page.getByText(/^Loaded 10000 rows in/).waitFor();

  // Only the "Loaded … in N ms" line changed; every other element is the
  // same DOM node (none moved, so none was remounted).
  const surviving = await survivingTags(page);
  assert.ok(surviving.length >= tagged - 1, `elements kept their DOM nodes: ${surviving.length} of ${tagged}`);
  for (const kind of ['dataframe', 'tabs', 'expander']) {
    const path = await page.locator(`.bk-el.bk-${kind}`).first().getAttribute('data-path');
    assert.ok(surviving.includes(path), `the ${kind} was not remounted`);
  }
  assert.equal(
    await page.getByRole('tab', { name: 'Notes' }).getAttribute('aria-selected'),
    'true',
    'the chosen tab survived',
  );
  assert.equal(await page.locator('details.bk-exp').evaluate((d) => d.open), true, 'the expander stayed open');
  assert.equal(await header.getAttribute('aria-sort'), 'ascending', 'the sort survived');
  assert.equal(await table.locator('.bk-df-scroll').evaluate((el) => el.scrollTop), scrollTop, 'the scroll survived');
  // Give a refetch, were there one, the time to go out.
  await page.waitForTimeout(500);
  assert.equal(await table.locator('.bk-df-box').getAttribute('data-state'), 'ready');
  assert.deepEqual(await shown(), before, 'the same rows in view');
  assert.deepEqual(windows.slice(asked), [], 'the unchanged table asked the server for no rows');
  await assertNoCspViolations(page);
});
