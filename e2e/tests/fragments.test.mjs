// examples/fragments.rs in a real browser: the clock ticks without clicks,
// and "Fragment click" reruns only its fragment ("Full runs" stays put).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openExample, waitIdle } from '../lib.mjs';

const textOf = async (page, prefix) =>
  page.evaluate((p) => {
    const el = Array.from(document.querySelectorAll('.bk-el.bk-text')).find((e) => e.textContent.trim().startsWith(p));
    return el ? el.textContent.trim() : null;
  }, prefix);

test('fragments: the clock ticks on its own and a fragment click leaves full runs alone', async (t) => {
  const { page } = await openExample(t, 'fragments');
  await page.getByText('Full runs: 1').waitFor();
  await waitIdle(page);
  const first = await textOf(page, 'Time: ');
  assert.match(first, /^Time: \d\d:\d\d:\d\d$/);
  await page.waitForFunction(
    (before) => Array.from(document.querySelectorAll('.bk-el.bk-text')).some((e) => e.textContent.trim().startsWith('Time: ') && e.textContent.trim() !== before),
    first,
    { timeout: 5_000 },
  );
  assert.equal(await textOf(page, 'Full runs'), 'Full runs: 1', 'ticking did not rerun the app');

  await page.getByRole('button', { name: 'Fragment click' }).click();
  await page.getByText('Fragment clicks: 1').waitFor();
  await page.getByRole('button', { name: 'Fragment click' }).click();
  await page.getByText('Fragment clicks: 2').waitFor();
  assert.equal(await textOf(page, 'Full runs'), 'Full runs: 1', 'fragment clicks did not rerun the app');
  await assertNoCspViolations(page);
});
