// examples/threads_live.rs in a real browser: each worker's result appears in
// its container the moment it finishes — Thread 4 first — while the run is
// still in progress; a Rerun mid-way leaves no stale result behind.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openExample, waitIdle } from '../lib.mjs';

/** For each "Thread i" header: the result text shown under it, or null. */
const results = (page) =>
  page.evaluate(() => {
    const out = [];
    const wrappers = Array.from(document.querySelectorAll('.bk-root[data-path="0"] > .bk-el'));
    wrappers.forEach((el, i) => {
      if (!el.classList.contains('bk-header')) return;
      const block = wrappers[i + 1];
      const text = block?.querySelector('.bk-markdown')?.textContent?.trim() ?? null;
      const stale = block?.querySelector('.bk-markdown')?.closest('.bk-el')?.classList.contains('bk-stale') ?? false;
      out.push({ header: el.textContent.trim(), text, stale });
    });
    return out;
  });

const startOf = (text) => Number(/start: ([\d.]+)/.exec(text)?.[1]);

test('threads_live shows results as workers finish, and a rerun leaves no stale result', async (t) => {
  const { page } = await openExample(t, 'threads_live');
  await page.getByRole('heading', { name: 'Thread 4' }).waitFor();

  // Watch the order in which results appear, and whether the run was still
  // going at that moment.
  const order = [];
  while (order.length < 5) {
    const [now, running] = await Promise.all([results(page), page.getAttribute('#bk-app', 'data-running')]);
    now.forEach((r, i) => {
      if (r.text && !order.some((o) => o.index === i)) order.push({ index: i, running });
    });
    await page.waitForTimeout(50);
  }
  assert.deepEqual(order.map((o) => o.index), [4, 3, 2, 1, 0], 'Thread 4 first, Thread 0 last');
  assert.ok(order.slice(0, 4).every((o) => o.running === 'true'), 'results arrive while the run is in progress');
  await page.getByRole('button', { name: 'Rerun' }).waitFor();
  await waitIdle(page);

  // Rerun, then Rerun again once the second run has shown Thread 4 and 3.
  await page.getByRole('button', { name: 'Rerun' }).click();
  await page.waitForSelector('#bk-app[data-running="true"]');
  const firstRerunAt = Date.now() / 1000;
  await page.waitForFunction(
    (since) => {
      const texts = Array.from(document.querySelectorAll('.bk-markdown')).map((m) => m.textContent);
      const fresh = texts.filter((t) => Number(/start: ([\d.]+)/.exec(t)?.[1]) >= since - 0.5);
      return fresh.length >= 2;
    },
    firstRerunAt,
    { timeout: 15_000 },
  );
  const secondRerunAt = Date.now() / 1000;
  await page.getByRole('button', { name: 'Rerun' }).click();
  await page.waitForSelector('#bk-app[data-running="true"]');
  await waitIdle(page);

  const final = await results(page);
  assert.equal(final.length, 5);
  for (const r of final) {
    assert.ok(r.text, `${r.header} has a result`);
    assert.ok(!r.stale, `${r.header} is not stale`);
    assert.ok(
      startOf(r.text) >= secondRerunAt - 0.5,
      `${r.header} shows a result of the last run, not of the cancelled one: ${r.text}`,
    );
  }
  assert.equal(await page.locator('.bk-markdown').count(), 5, 'exactly one result per thread');
  await assertNoCspViolations(page);
});
