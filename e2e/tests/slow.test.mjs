// examples/slow.rs in a real browser: lines stream in while the run is in
// progress; Restart mid-run cancels and starts over; afterwards every line is
// on the page exactly once.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openExample, waitIdle } from '../lib.mjs';

const lines = (page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('.bk-el.bk-text')).map((el) => el.textContent.trim()),
  );

test('slow streams lines, restarts mid-run, and shows each line once', async (t) => {
  const { page } = await openExample(t, 'slow');
  // Lines appear while the run is still in progress.
  await page.getByText('line 10', { exact: true }).waitFor();
  assert.equal(await page.getAttribute('#bk-app', 'data-running'), 'true');
  assert.ok((await lines(page)).length < 50, 'not all lines are there yet');

  await page.getByRole('button', { name: 'Restart' }).click();
  // Lines of the previous run stay, faded, until the new run redraws them.
  await page.waitForSelector('.bk-el.bk-stale');
  await waitIdle(page);
  const shown = await lines(page);
  const expected = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);
  assert.deepEqual(shown, expected, 'every line exactly once, in order');
  assert.equal(await page.locator('.bk-stale').count(), 0, 'nothing stays faded after the run');
  await assertNoCspViolations(page);
});
