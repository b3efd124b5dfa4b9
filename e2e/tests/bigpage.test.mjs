// A page of thousands of elements, from a scripted server (lib.mjs,
// `openScripted`): changing one element changes that element's DOM and
// nothing else (every other wrapper is the same DOM node, untouched, not
// even faded and back), and a run streaming in many frames keeps what it
// already drew.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openScripted, survivingTags, tagElements, wholeRun } from '../lib.mjs';
import { texts } from '../tools/pages.mjs';

const N = 3000;

/** Record every DOM mutation under the main area, class changes included. */
const watchAll = (page) =>
  page.evaluate(() => {
    window.__changed = new Map();
    const note = (path, what) => window.__changed.set(path, [...(window.__changed.get(path) ?? []), what]);
    new MutationObserver((records) => {
      for (const r of records) {
        const target = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        const wrapper = target?.closest('.bk-el');
        note(wrapper ? wrapper.getAttribute('data-path') : '(outside)', r.type === 'attributes' ? r.attributeName : r.type);
      }
    }).observe(document.querySelector('.bk-main'), {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
const changed = (page) => page.evaluate(() => Object.fromEntries(window.__changed));

test('a one-element change on a page of 3,000 touches that element only', async (t) => {
  const { page, send } = await openScripted(t);
  send(wholeRun(1, texts(N)));
  await page.waitForSelector(`.bk-el[data-path="0.${N - 1}"]`);
  assert.equal(await tagElements(page), N);
  await watchAll(page);

  // A rerun as the server sends one that takes a moment: its start and a
  // `seen` of the first half in one frame, the change, the rest and its end
  // in the next.
  send([{ type: 'run_started', run: 2 }, { type: 'delta', run: 2, ops: [{ op: 'seen', path: [0], len: N / 2 }] }]);
  send([
    { type: 'delta', run: 2, ops: [{ op: 'set', path: [0, 2000], el: { kind: 'text', text: 'row 2000, changed' } }, { op: 'seen', path: [0], len: N }] },
    { type: 'run_finished', run: 2, status: 'complete' },
  ]);
  await page.getByText('row 2000, changed').waitFor();
  await page.waitForSelector('#bk-app[data-running="false"]');

  const surviving = await survivingTags(page);
  assert.equal(surviving.length, N, 'every wrapper is the same DOM node');
  assert.deepEqual(await changed(page), { '0.2000': ['characterData'] }, 'only the changed text moved');
  assert.equal(await page.locator('.bk-stale').count(), 0);
  await assertNoCspViolations(page);
});

test('a run streamed in many frames keeps the elements it already drew', async (t) => {
  const { page, send } = await openScripted(t);
  send([{ type: 'run_started', run: 1 }, { type: 'delta', run: 1, ops: texts(50) }]);
  await page.waitForSelector('.bk-el[data-path="0.49"]');
  assert.equal(await tagElements(page), 50);
  // Past one group of 64 children and one of 4,096, in frames of 700.
  for (let from = 50; from < 5000; from += 700) {
    send([{ type: 'delta', run: 1, ops: texts(Math.min(from + 700, 5000), from) }]);
  }
  send([{ type: 'run_finished', run: 1, status: 'complete' }]);
  await page.waitForSelector('.bk-el[data-path="0.4999"]');
  await page.waitForSelector('#bk-app[data-running="false"]');
  const surviving = await survivingTags(page);
  assert.deepEqual(surviving, Array.from({ length: 50 }, (_, i) => `0.${i}`), 'the first 50 wrappers were kept');
  const order = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.bk-main .bk-el')).every((el, i) => el.getAttribute('data-path') === `0.${i}` && el.textContent === `row ${i}`),
  );
  assert.ok(order, '5,000 elements, in order');
});
