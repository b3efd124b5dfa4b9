// examples/media.rs in a real browser: a picture made in code, a tone made
// as WAV bytes, a WebM clip with subtitles and a PDF, each loaded by the
// browser itself from the app's media URLs inside its Content-Security-
// Policy; and the camera input, with Chromium's fake camera, taking a photo
// the app shows back.
//
// One app serves the file; the players share one browser, the camera has
// its own (with the fake devices).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoCspViolations, startApp, startBrowser, waitIdle } from '../lib.mjs';

/** Each step's wait. */
const STEP = { timeout: 30_000 };

let app;
let browser;
let page;

before(async () => {
  app = await startApp('media');
  browser = await startBrowser();
  page = browser.page;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(app.url);
  await page.locator('.bk-el.bk-pdf').waitFor(STEP);
  await waitIdle(page);
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** `fn(el)` in the page, polled until it returns something truthy; that value. */
async function until(locator, fn, arg) {
  const handle = await locator.elementHandle(STEP);
  const result = await page.waitForFunction(fn, [handle, arg], { ...STEP, polling: 100 });
  return result.jsonValue();
}

/** Status and Content-Type of `url`, fetched by the page (its origin, its cookies). */
async function fetchHead(url) {
  return page.evaluate(async (u) => {
    const r = await fetch(u);
    const bytes = (await r.arrayBuffer()).byteLength;
    return { status: r.status, type: r.headers.get('content-type'), bytes };
  }, url);
}

test('media: the picture drawn in code loads', async () => {
  const figure = page.locator('.bk-el.bk-image figure', { hasText: 'A gradient drawn pixel by pixel' });
  const img = figure.locator('img.bk-image-img');
  const [w, h] = await until(img, ([el]) => el.complete && el.naturalWidth > 0 && [el.naturalWidth, el.naturalHeight]);
  assert.ok(w > 0 && h > 0, `a picture of ${w}×${h}`);
  assert.equal(await figure.locator('figcaption').textContent(), 'A gradient drawn pixel by pixel');
  const src = await img.getAttribute('src');
  assert.match(src, /^\/_brooklet\/media\//, 'served by the app');
  const got = await fetchHead(src);
  assert.equal(got.status, 200);
  assert.match(got.type, /^image\//);
  assert.equal(await figure.locator('.bk-media-error').count(), 0);
});

test('media: the tone plays as audio with a duration', async () => {
  await page.getByText('A 440 Hz tone, made as WAV bytes').waitFor();
  const audio = page.locator('.bk-el.bk-audio audio.bk-audio-player');
  assert.equal(await audio.count(), 1);
  const src = await audio.getAttribute('src');
  assert.ok(src, 'the player has a source');
  const duration = await until(audio, ([el]) => el.readyState >= 1 && Number.isFinite(el.duration) && el.duration);
  assert.ok(duration > 0, `a duration (${duration} s)`);
  assert.equal(await audio.evaluate((el) => el.error), null);
  const got = await fetchHead(src);
  assert.equal(got.status, 200);
  assert.match(got.type, /^audio\/(wav|x-wav|wave|vnd\.wave)/);
});

test('media: the WebM clip plays, with its subtitles', async () => {
  await page.getByText('A short WebM clip').waitFor();
  const video = page.locator('.bk-el.bk-video video.bk-video-player');
  assert.equal(await video.count(), 1);
  const duration = await until(video, ([el]) => el.readyState >= 1 && el.duration);
  assert.ok(Number.isFinite(duration) && duration > 2, `a known duration over 2 s (${duration})`);
  assert.deepEqual(await video.evaluate((el) => [el.videoWidth, el.videoHeight]), [320, 180]);

  // The subtitles: a <track> of the app's, a WebVTT file with cues.
  const track = video.locator('track');
  assert.equal(await track.count(), 1, 'one subtitle track');
  assert.equal(await track.getAttribute('kind'), 'subtitles');
  const trackSrc = await track.getAttribute('src');
  assert.ok(trackSrc, 'the track has a source');
  const vtt = await fetchHead(trackSrc);
  assert.equal(vtt.status, 200);
  assert.match(vtt.type, /^text\/vtt/);
  const cues = await until(video, ([el]) => {
    const tt = el.textTracks[0];
    if (!tt) return false;
    if (tt.mode === 'disabled') tt.mode = 'hidden'; // a track loads once not disabled
    return tt.cues && tt.cues.length > 0 && tt.cues.length;
  });
  assert.ok(cues >= 2, `the subtitles' cues load (${cues})`);

  // It plays from the start, and time goes on.
  await video.evaluate((el) => {
    el.muted = true;
    return el.play();
  });
  const t = await until(video, ([el]) => el.currentTime > 0.5 && el.currentTime);
  assert.ok(t > 0.5, `currentTime advances (${t})`);
  assert.equal(await video.evaluate((el) => el.error), null);
  await video.evaluate((el) => el.pause());
});

test('media: the PDF is framed from the app, as application/pdf', async () => {
  const frame = page.locator('.bk-el.bk-pdf iframe.bk-pdf-frame');
  assert.equal(await frame.count(), 1);
  const src = await frame.getAttribute('src');
  assert.match(src, /^\/_brooklet\/media\//, 'served by the app');
  const got = await fetchHead(src);
  assert.equal(got.status, 200);
  assert.equal(got.type.split(';')[0].trim(), 'application/pdf');
  assert.ok(got.bytes > 1000, `the whole file (${got.bytes} bytes)`);
  // The link for browsers that offer the file instead of showing it.
  assert.equal(await page.locator('.bk-el.bk-pdf a.bk-pdf-link').getAttribute('href'), src);
  assert.ok((await frame.boundingBox()).height >= 200, 'the frame has room');
});

test('media: nothing broke the Content-Security-Policy, and nothing failed to load', async () => {
  await waitIdle(page);
  assert.equal(await page.locator('.bk-media-error').count(), 0, 'no media error boxes');
  await assertNoCspViolations(page);
});

test('media: the fake camera takes a photo, which the app shows back', async () => {
  const cam = await startBrowser({ fakeMedia: true });
  try {
    const p = cam.page;
    await p.setViewportSize({ width: 1280, height: 900 });
    await p.goto(app.url);
    await waitIdle(p);
    const widget = p.locator('.bk-el.bk-camera_input');
    await widget.getByText('Take a photo').waitFor(STEP);
    const take = widget.getByRole('button', { name: 'Take photo' });
    // Enabled once the preview plays.
    await p.waitForFunction((el) => !el.disabled, await take.elementHandle(), STEP);
    const preview = widget.locator('video.bk-camera-video');
    const [vw, vh] = await preview.evaluate((el) => [el.videoWidth, el.videoHeight]);
    assert.ok(vw > 0 && vh > 0, `the preview plays (${vw}×${vh})`);
    const puts = [];
    p.on('request', (req) => {
      if (req.method() === 'PUT') puts.push(req.url());
    });
    await take.click();
    // The photo in the widget, at once (the page's own copy)…
    await widget.locator('img.bk-capture-photo').waitFor(STEP);
    // …and the app's, once the upload went up and the app reran.
    const caption = p.locator('.bk-el.bk-image figcaption', { hasText: /^Your photo \(/ });
    await caption.waitFor(STEP);
    assert.equal(await caption.textContent(), `Your photo (${vw}\u00d7${vh})`);
    assert.equal(puts.length, 1, 'one upload');
    assert.match(puts[0], /name=camera\.jpg/);
    const shown = p.locator('.bk-el.bk-image figure', { hasText: /^Your photo \(/ }).locator('img');
    const size = await p.waitForFunction(
      (el) => el.complete && el.naturalWidth > 0 && [el.naturalWidth, el.naturalHeight],
      await shown.elementHandle(),
      STEP,
    );
    assert.deepEqual(await size.jsonValue(), [vw, vh]);
    // The camera was let go of once the photo was taken.
    assert.equal(await widget.locator('video.bk-camera-video').count(), 0);
    await widget.getByRole('button', { name: 'Clear photo' }).waitFor();
    await waitIdle(p);
    await assertNoCspViolations(p);
  } finally {
    await cam.close();
  }
});
