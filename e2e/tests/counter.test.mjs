// examples/counter.rs in a real browser: each click increments, and a rerun
// that changes one element touches only that element's DOM.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertNoCspViolations,
  mutatedPaths,
  openExample,
  survivingTags,
  tagElements,
  waitIdle,
  watchMutations,
} from '../lib.mjs';

test('counter increments and only the count element changes', async (t) => {
  const { page } = await openExample(t, 'counter');
  await waitIdle(page);
  await page.getByText('Count: 0').waitFor();
  await tagElements(page);
  await watchMutations(page);

  const button = page.getByRole('button', { name: 'Increment' });
  for (let n = 1; n <= 3; n++) {
    await button.click();
    await page.getByText(`Count: ${n}`).waitFor();
  }
  await waitIdle(page);
  assert.deepEqual(await survivingTags(page), ['0.0', '0.1'], 'button and text wrappers were not re-created');
  assert.deepEqual(await mutatedPaths(page), ['0.1'], 'DOM changes stayed inside the count element');
  await assertNoCspViolations(page);
});

test('two tabs are two sessions', async (t) => {
  const first = await openExample(t, 'counter');
  await waitIdle(first.page);
  await first.page.getByRole('button', { name: 'Increment' }).click();
  await first.page.getByText('Count: 1').waitFor();
  const second = await first.page.context().newPage();
  await second.goto(first.app.url);
  await second.getByText('Count: 0').waitFor();
  await assertNoCspViolations(second);
  await second.close();
  await assertNoCspViolations(first.page);
});
