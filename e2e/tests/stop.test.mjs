// Stop in a real browser (examples/slow.rs: fifty lines, one every 100 ms,
// and the Stop button of the page's run status): while the run is being
// stopped the status says "Stopping…", and afterwards the lines that the
// stopped run did not draw (left from the run before) stay faded until the
// next run, never shown as current.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openExample, waitIdle } from '../lib.mjs';

/** The text lines: their text and whether they are faded. */
const lines = (page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('.bk-el.bk-text')).map((el) => ({
      text: el.textContent.trim(),
      stale: el.classList.contains('bk-stale'),
    })),
  );

test('after Stop, what the stopped run did not draw stays faded, and the status said "Stopping…"', async (t) => {
  const { page } = await openExample(t, 'slow');
  await page.getByText('line 50', { exact: true }).waitFor({ timeout: 30_000 });
  await waitIdle(page);

  // Every text the run status shows, from now on.
  await page.evaluate(() => {
    window.__statusTexts = [];
    const status = document.getElementById('bk-status');
    const record = () => window.__statusTexts.push(`${status.dataset.state}:${status.textContent.trim()}`);
    new MutationObserver(record).observe(status, { subtree: true, childList: true, characterData: true, attributes: true });
  });

  // A second run: it redraws the lines from the top, one every 100 ms.
  await page.getByRole('button', { name: 'Restart' }).click();
  await page.waitForSelector('.bk-el.bk-text.bk-stale');
  await page.waitForSelector('.bk-el.bk-text[data-path="0.5"]:not(.bk-stale)');
  await page.getByRole('button', { name: 'Stop' }).click();
  await waitIdle(page);

  const texts = await page.evaluate(() => window.__statusTexts);
  assert.ok(texts.some((s) => s.startsWith('stopping:') && s.includes('Stopping…')), `status said Stopping…: ${texts}`);
  assert.ok(!texts.some((s) => s.startsWith('stopping:') && s.includes('Running…')));
  assert.equal(await page.getAttribute('#bk-status', 'data-state'), 'idle');

  const after = await lines(page);
  assert.equal(after.length, 50, 'a stop removes nothing');
  const fresh = after.filter((l) => !l.stale).length;
  assert.ok(fresh >= 5, `the lines the stopped run drew are current (${fresh})`);
  assert.ok(fresh < 50, 'the stopped run did not get to the end');
  assert.deepEqual(
    after.map((l) => l.stale),
    after.map((_, i) => i >= fresh),
    'current up to where the run stopped, faded after',
  );
  assert.equal(
    await page.locator('.bk-el.bk-button').evaluate((el) => el.classList.contains('bk-stale')),
    false,
    'the button the stopped run drew is current',
  );

  // Nothing comes along to make them look current while no run is going …
  await page.waitForTimeout(500);
  assert.deepEqual((await lines(page)).map((l) => l.stale), after.map((l) => l.stale));

  // … and the next run that gets to its end makes everything current.
  await page.getByRole('button', { name: 'Restart' }).click();
  await page.waitForSelector('#bk-app[data-running="true"]');
  await waitIdle(page);
  const done = await lines(page);
  assert.equal(done.filter((l) => l.stale).length, 0);
  assert.deepEqual(done.map((l) => l.text), Array.from({ length: 50 }, (_, i) => `line ${i + 1}`));
  await assertNoCspViolations(page);
});
