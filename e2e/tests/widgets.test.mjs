// examples/widgets.rs in a real browser: the 100,000-row dataframe fetches
// its rows from its data url, draws only the rows in view, sorts and scrolls;
// widgets report their values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openExample, waitIdle } from '../lib.mjs';

/** The dataframe's rows are fetched after the element arrives: wait for them. */
const rowsLoaded = (page) =>
  page.waitForSelector('.bk-el.bk-dataframe .bk-df-box[data-state="ready"]', { timeout: 30_000 });

test('widgets: a 100,000-row dataframe stays small in the DOM, sorts and scrolls', async (t) => {
  const { page } = await openExample(t, 'widgets');
  await page.getByText('100,000 rows × 3 columns').waitFor({ timeout: 30_000 });
  await waitIdle(page);
  await rowsLoaded(page);
  const frame = page.locator('.bk-el.bk-dataframe');
  // Data rows have one cell per column; spacer rows have one spanning cell.
  const dataRows = () =>
    frame.evaluate((el) => Array.from(el.querySelectorAll('tbody tr')).filter((tr) => tr.children.length === 3).map((tr) => Array.from(tr.children).map((td) => td.textContent.trim())));
  const rowsInDom = await frame.locator('tbody tr').count();
  assert.ok(rowsInDom < 80, `only the rows in view are drawn, not 100,000 (${rowsInDom})`);

  // Sort by "value", ascending: the smallest value comes first.
  await frame.getByRole('columnheader', { name: 'value' }).click();
  await page.waitForFunction(() => {
    const th = Array.from(document.querySelectorAll('.bk-dataframe th')).find((h) => h.textContent.includes('value'));
    return th?.getAttribute('aria-sort') === 'ascending';
  });
  const [first] = await dataRows();
  assert.equal(Number(first[2]), 0, `smallest value first, got ${first}`);

  // Scroll to the end: the last rows are drawn, and still only a window of them.
  await frame.locator('.bk-df-scroll').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await page.waitForFunction(() => {
    const cells = Array.from(document.querySelectorAll('.bk-dataframe tbody td'));
    return cells.some((c) => c.textContent.trim() === '99.9');
  });
  const drawn = await dataRows();
  assert.ok(drawn.length < 80, `still only a window of rows (${drawn.length})`);
  assert.equal(Number(drawn[drawn.length - 1][2]), 99.9, 'the largest value last');
  await assertNoCspViolations(page);
});

test('widgets: changing a widget reruns and shows its value', async (t) => {
  const { page } = await openExample(t, 'widgets');
  await page.getByText('100,000 rows × 3 columns').waitFor({ timeout: 30_000 });
  await waitIdle(page);
  await page.getByRole('checkbox', { name: 'Check me' }).check();
  await page.getByText('value: true').first().waitFor();
  // The toggle is a switch; switching it on reruns with `true` beside it.
  const toggle = page.getByRole('switch', { name: 'Switch me' });
  await toggle.check();
  await page.getByText('value: true').nth(1).waitFor();
  assert.equal(await toggle.isChecked(), true);
  await page.getByLabel('Select box').selectOption('Blue');
  await page.getByText('value: "Blue"').waitFor();
  await assertNoCspViolations(page);
});
