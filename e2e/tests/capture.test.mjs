// The audio input in a real browser with Chromium's fake microphone (a
// beep): record, stop, and the clip is uploaded, shown back by the app
// (`ui.audio` of the bytes) and playable in the widget itself from the
// browser's memory (a `blob:` URL, which the page's Content-Security-Policy
// must allow for media).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, startApp, startBrowser, waitIdle } from '../lib.mjs';

const STEP = { timeout: 30_000 };

test('audio input: a recording is uploaded, shown back and playable', async (t) => {
  const app = await startApp('gallery');
  const browser = await startBrowser({ fakeMedia: true });
  t.after(async () => {
    await browser.close();
    await app.stop();
  });
  const { page } = browser;
  const puts = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') puts.push(decodeURIComponent(r.url()));
  });
  await page.goto(`${app.url}/?section=media`);
  const widget = page.locator('.bk-el', { hasText: 'Record a clip' }).last();
  await widget.getByRole('button', { name: 'Record', exact: true }).click(STEP);
  await widget.getByRole('timer').waitFor(STEP);
  await page.waitForTimeout(1200);
  await widget.getByRole('button', { name: 'Stop', exact: true }).click(STEP);
  const own = widget.locator('audio.bk-capture-audio');
  await own.waitFor(STEP);
  assert.match((await own.getAttribute('src')) ?? '', /^blob:/);
  // The widget's own player loads the clip from memory (CSP media-src blob:).
  const ready = await page.waitForFunction(
    (el) => el.readyState >= 1 || el.error !== null,
    await own.elementHandle(),
    { ...STEP, polling: 100 },
  );
  assert.equal(await own.evaluate((el) => el.error?.code ?? null), null);
  await ready.dispose();
  assert.equal(puts.filter((u) => u.includes('name=recording.webm')).length, 1, puts.join('\n'));
  // The app shows the recording back with ui.audio: a media URL it serves.
  await waitIdle(page);
  const urls = await page.locator('audio').evaluateAll((els) => els.map((e) => e.getAttribute('src')));
  assert.ok(
    urls.some((u) => u?.startsWith('/_brooklet/media/')),
    `the app's player of the clip: ${urls.join(', ')}`,
  );
  await assertNoCspViolations(page);
});
