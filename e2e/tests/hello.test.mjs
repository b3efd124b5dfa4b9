// examples/hello.rs in a real browser: renders, typing and clicking update it,
// and a rerun leaves unchanged elements' DOM nodes in place.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openExample, survivingTags, tagElements, waitIdle } from '../lib.mjs';

test('hello renders, greets, and keeps unchanged DOM nodes', async (t) => {
  const { page } = await openExample(t, 'hello');
  await waitIdle(page);
  await page.getByRole('heading', { name: 'Hello, Brooklet' }).waitFor();
  const input = page.getByLabel('Your name');
  assert.equal(await input.inputValue(), 'world');
  assert.equal(await page.getByText('Hello, world!').count(), 0);

  const tagged = await tagElements(page);
  assert.equal(tagged, 3, 'title, text input, button');

  await page.getByRole('button', { name: 'Greet' }).click();
  await page.getByText('Hello, world!').waitFor();
  await waitIdle(page);
  const surviving = await survivingTags(page);
  assert.deepEqual(surviving, ['0.0', '0.1', '0.2'], 'title, input and button are the same DOM nodes');

  await input.fill('Ada');
  await input.press('Enter');
  // The greeting belonged to the run of the click: the rerun for the new
  // name removes it.
  await page.getByText('Hello, world!').waitFor({ state: 'detached' });
  await waitIdle(page);
  assert.equal(await input.inputValue(), 'Ada');
  await page.getByRole('button', { name: 'Greet' }).click();
  await page.getByText('Hello, Ada!').waitFor();
  assert.deepEqual(await survivingTags(page), ['0.0', '0.1', '0.2']);
  await assertNoCspViolations(page);
});
