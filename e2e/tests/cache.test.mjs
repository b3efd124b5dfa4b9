// examples/cache.rs in a real browser: a cache miss (after "Clear cache")
// must leave every element below the cached call where it was, so the
// chosen tab, the open expander and the table's sort survive it, and the
// unchanged table is not fetched again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openExample, survivingTags, tagElements, waitIdle } from '../lib.mjs';

test('cache: a miss keeps the tab, the expander, the sort and the table', async (t) => {
  const { page } = await openExample(t, 'cache');
  // The first load misses (two seconds), unless another test warmed it.
  await page.getByText(/^Loaded 10000 rows in/).waitFor({ timeout: 30_000 });
  await waitIdle(page);
  // A new tab is a new session, whose first run hits the shared cache: the
  // page below is a hit's page, and the miss below must not change it.
  await page.reload();
  await page.getByText(/^Loaded 10000 rows in/).waitFor({ timeout: 30_000 });
  await waitIdle(page);
  await page.waitForSelector('.bk-el.bk-dataframe .bk-df-box[data-state="ready"]', { timeout: 30_000 });

  // Put the page in a state a remount would lose.
  await page.getByRole('tab', { name: 'Notes' }).click();
  await page.getByText('How the cache works').click();
  const table = page.locator('.bk-el.bk-dataframe');
  await table.getByRole('columnheader', { name: 'temperature' }).click();
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('.bk-dataframe th')).some(
      (h) => h.textContent.includes('temperature') && h.getAttribute('aria-sort') === 'ascending',
    ),
  );
  const tagged = await tagElements(page);
  const fetches = [];
  page.on('request', (request) => {
    if (request.url().includes('/_brooklet/media/')) fetches.push(request.url());
  });

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
  const sorted = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.bk-dataframe th')).some(
      (h) => h.textContent.includes('temperature') && h.getAttribute('aria-sort') === 'ascending',
    ),
  );
  assert.ok(sorted, 'the sort survived');
  assert.deepEqual(fetches, [], 'the unchanged table was not fetched again');
  await assertNoCspViolations(page);
});
