// examples/form.rs in a real browser: widgets inside the form send nothing
// until "Save", which sends everything in one message.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, startApp, startBrowser, waitIdle } from '../lib.mjs';

test('form widgets send nothing until Save', async (t) => {
  const app = await startApp('form');
  const browser = await startBrowser();
  t.after(async () => {
    await browser.close();
    await app.stop();
  });
  const { page } = browser;
  const sent = [];
  page.on('websocket', (ws) => ws.on('framesent', (frame) => sent.push(JSON.parse(frame.payload))));
  await page.goto(app.url);
  await waitIdle(page);
  const reruns = () => sent.filter((m) => m.type === 'rerun');

  const title = page.getByLabel('Title');
  await title.fill('Dune');
  await title.press('Enter');
  await page.getByRole('slider', { name: 'Rating' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(300);
  assert.equal(reruns().length, 0, `nothing sent before Save: ${JSON.stringify(reruns())}`);
  assert.equal(await page.getByText(/^Saved:/).count(), 0);

  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved: Dune (5)').waitFor();
  assert.equal(reruns().length, 1, 'one message for the submit');
  const [submit] = reruns();
  assert.ok(submit.trigger, 'the submit button is the trigger');
  assert.deepEqual(Object.values(submit.widgets).sort(), [5, 'Dune'].sort());
  await assertNoCspViolations(page);
});
