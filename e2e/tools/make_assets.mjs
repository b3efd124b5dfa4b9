// The media files of examples/assets, made by headless Chromium itself (no
// network, no other tools), so that they can be made again:
//
//   cd e2e && node tools/make_assets.mjs [OUT_DIR]
//
// writes, into OUT_DIR (default ../examples/assets):
//
// - clip.webm: about 3 s of 320×180 VP8 video, a coloured disc moving
//   across a gradient with a frame counter, drawn on a canvas with
//   requestAnimationFrame and recorded with MediaRecorder. A recorder's WebM
//   is written as it goes and says nothing of its length (the browser
//   reports `duration` Infinity until it has seen the end), so the script
//   adds the Duration element to the file's Info afterwards.
// - clip.vtt: three WebVTT cues for it.
// - sample.pdf: one page ("Brooklet sample PDF" and a paragraph), from
//   Chromium's page.pdf().
//
// Then it checks the clip in a <video>: a finite duration over 2 s, and
// currentTime advancing as it plays from the start.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startBrowser } from '../lib.mjs';

const out = resolve(process.argv[2] ?? join(import.meta.dirname, '..', '..', 'examples', 'assets'));
mkdirSync(out, { recursive: true });

const WIDTH = 320;
const HEIGHT = 180;
const SECONDS = 3;
const FPS = 30;

/** Runs in the page: records the canvas animation; resolves to the WebM as base64. */
async function recordClip({ width, height, seconds, fps }) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  document.body.appendChild(canvas);
  const ctx = canvas.getContext('2d');
  const draw = (frame, t) => {
    const bg = ctx.createLinearGradient(0, 0, width, height);
    bg.addColorStop(0, '#1e3a8a');
    bg.addColorStop(1, '#0f766e');
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, width, height);
    // A disc crossing the frame once, its colour going round the wheel.
    const p = Math.min(1, t / seconds);
    const x = 30 + p * (width - 60);
    const y = height / 2 + Math.sin(p * Math.PI * 4) * 45;
    ctx.fillStyle = `hsl(${Math.round(p * 360)}, 90%, 60%)`;
    ctx.beginPath();
    ctx.arc(x, y, 24, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.font = 'bold 18px "DejaVu Sans Mono", monospace';
    ctx.textBaseline = 'top';
    ctx.fillText(`frame ${String(frame).padStart(3, '0')}`, 10, 10);
    // Both at the top: a player's controls cover the bottom.
    ctx.textAlign = 'right';
    ctx.fillText(`${t.toFixed(2)} s`, width - 10, 10);
    ctx.textAlign = 'left';
  };
  draw(0, 0);
  const stream = canvas.captureStream(fps);
  const type = MediaRecorder.isTypeSupported('video/webm;codecs=vp8') ? 'video/webm;codecs=vp8' : 'video/webm';
  const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 500_000 });
  const chunks = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise((r) => {
    recorder.onstop = r;
  });
  recorder.start(250);
  const t0 = performance.now();
  await new Promise((done) => {
    const tick = () => {
      const t = (performance.now() - t0) / 1000;
      // The counter counts the clip's frames (fps a second), not the screen's.
      draw(Math.floor(Math.min(t, seconds) * fps), Math.min(t, seconds));
      if (t < seconds + 0.1) requestAnimationFrame(tick);
      else done();
    };
    requestAnimationFrame(tick);
  });
  recorder.stop();
  await stopped;
  stream.getTracks().forEach((t) => t.stop());
  const bytes = new Uint8Array(await new Blob(chunks, { type }).arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { type, base64: btoa(bin) };
}

// ----- EBML (the WebM container), just enough to add the Duration -----

const ID = {
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
};

/** Masters whose children the walk reads (an unknown size is fine: their children follow). */
const MASTERS = new Set([ID.segment, ID.info, ID.cluster, ID.blockGroup]);

/** An element ID at `pos` (its marker bits kept, as IDs are written). */
function readId(buf, pos) {
  const first = buf[pos];
  let len = 1;
  while (len <= 4 && !(first & (0x80 >> (len - 1)))) len++;
  assert.ok(len <= 4, `bad EBML ID at ${pos}`);
  let id = 0;
  for (let i = 0; i < len; i++) id = id * 256 + buf[pos + i];
  return { id, len };
}

/** A size at `pos`; `size` null when it is "unknown" (all value bits set). */
function readSize(buf, pos) {
  const first = buf[pos];
  let len = 1;
  while (len <= 8 && !(first & (0x80 >> (len - 1)))) len++;
  assert.ok(len <= 8, `bad EBML size at ${pos}`);
  let value = first & (0xff >> len);
  let allOnes = value === 0xff >> len;
  for (let i = 1; i < len; i++) {
    value = value * 256 + buf[pos + i];
    if (buf[pos + i] !== 0xff) allOnes = false;
  }
  return { size: allOnes ? null : value, len };
}

/** `n` as an EBML size of exactly `len` bytes. */
function writeSize(n, len) {
  assert.ok(n < 2 ** (7 * len) - 1, `size ${n} does not fit in ${len} bytes`);
  const b = Buffer.alloc(len);
  let v = n;
  for (let i = len - 1; i >= 0; i--) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  b[0] |= 0x80 >> (len - 1);
  return b;
}

function readUint(buf, pos, len) {
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + buf[pos + i];
  return v;
}

/**
 * Walks every element, flattened (a master's children follow its header),
 * and returns the Info element's place, the timecode scale, whether Info has
 * a Duration, and the last frame's time (in timecode-scale units).
 */
function survey(buf) {
  let pos = 0;
  let info = null;
  let scale = 1_000_000;
  let hasDuration = false;
  let clusterTime = 0;
  let lastTime = 0;
  let frames = 0;
  while (pos < buf.length) {
    const { id, len: idLen } = readId(buf, pos);
    const { size, len: sizeLen } = readSize(buf, pos + idLen);
    const body = pos + idLen + sizeLen;
    if (id === ID.info) info = { start: pos, idLen, sizeLen, body, size };
    if (MASTERS.has(id)) {
      pos = body;
      continue;
    }
    assert.ok(size !== null, `unknown size of a non-master element ${id.toString(16)} at ${pos}`);
    if (id === ID.timecodeScale) scale = readUint(buf, body, size);
    else if (id === ID.duration) hasDuration = true;
    else if (id === ID.timecode) clusterTime = readUint(buf, body, size);
    else if (id === ID.simpleBlock || id === ID.block) {
      const track = readSize(buf, body); // the track number, a vint
      const rel = buf.readInt16BE(body + track.len);
      lastTime = Math.max(lastTime, clusterTime + rel);
      frames++;
    }
    pos = body + size;
  }
  assert.ok(info && info.size !== null, 'the WebM has an Info element of known size');
  return { info, scale, hasDuration, lastTime, frames };
}

/** The WebM with a Duration (in ms) in its Info: the browser knows its length at once. */
function withDuration(buf) {
  const s = survey(buf);
  if (s.hasDuration) return { webm: buf, ...s, seconds: null };
  // The last frame shows for one frame's time.
  const endNs = s.lastTime * s.scale + 1e9 / FPS;
  const durationUnits = endNs / s.scale;
  const element = Buffer.alloc(2 + 1 + 8);
  element.writeUInt16BE(ID.duration, 0);
  element[2] = 0x88; // size 8
  element.writeDoubleBE(durationUnits, 3);
  const { info } = s;
  const infoBody = Buffer.concat([buf.subarray(info.body, info.body + info.size), element]);
  // The Segment's size is "unknown" (a recorder's is): nothing above Info to fix.
  const webm = Buffer.concat([
    buf.subarray(0, info.start + info.idLen),
    writeSize(infoBody.length, info.sizeLen),
    infoBody,
    buf.subarray(info.body + info.size),
  ]);
  return { webm, ...s, seconds: endNs / 1e9 };
}

// ----- the files -----

const VTT = `WEBVTT

1
00:00:00.000 --> 00:00:01.000
A disc sets off from the left.

2
00:00:01.000 --> 00:00:02.000
It changes colour as it goes.

3
00:00:02.000 --> 00:00:03.000
And reaches the right edge.
`;

const PDF_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Brooklet sample PDF</title>
<style>
  body { font-family: "DejaVu Sans", sans-serif; margin: 0; color: #1f2937; }
  h1 { font-size: 26pt; margin: 0 0 14pt; color: #1e3a8a; }
  p { font-size: 12pt; line-height: 1.5; max-width: 34em; }
</style></head>
<body>
  <h1>Brooklet sample PDF</h1>
  <p>This one-page document is shown by the media example of Brooklet, in the
  browser's own PDF viewer. It was made by headless Chromium from a few lines of
  HTML (e2e/tools/make_assets.mjs), so that it can be made again at any time.</p>
</body></html>`;

const browser = await startBrowser();
try {
  const { page } = browser;
  await page.setContent('<!doctype html><html><body></body></html>');
  const rec = await page.evaluate(recordClip, { width: WIDTH, height: HEIGHT, seconds: SECONDS, fps: FPS });
  const raw = Buffer.from(rec.base64, 'base64');
  const fixed = withDuration(raw);
  writeFileSync(join(out, 'clip.webm'), fixed.webm);
  console.log(
    `clip.webm: ${rec.type}, ${fixed.webm.length} bytes, ${fixed.frames} frames, duration ${fixed.seconds?.toFixed(3) ?? '(already set)'} s`,
  );
  writeFileSync(join(out, 'clip.vtt'), VTT);
  console.log(`clip.vtt: ${VTT.length} bytes`);

  await page.setContent(PDF_HTML);
  const pdf = await page.pdf({ format: 'A5', margin: { top: '2cm', bottom: '2cm', left: '1.8cm', right: '1.8cm' } });
  writeFileSync(join(out, 'sample.pdf'), pdf);
  console.log(`sample.pdf: ${pdf.length} bytes`);

  // The clip plays: a finite length, and time going on from the start.
  await page.setContent('<!doctype html><html><body></body></html>');
  const played = await page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const video = document.createElement('video');
    video.muted = true;
    video.src = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }));
    document.body.appendChild(video);
    await new Promise((ok, fail) => {
      video.onloadedmetadata = ok;
      video.onerror = () => fail(new Error(`video error ${video.error?.code}`));
    });
    const duration = video.duration;
    const size = [video.videoWidth, video.videoHeight];
    await video.play();
    const start = video.currentTime;
    await new Promise((r) => setTimeout(r, 1500));
    const later = video.currentTime;
    await new Promise((r) => {
      video.onended = r;
      setTimeout(r, 4000);
    });
    return { duration, size, start, later, ended: video.ended, end: video.currentTime };
  }, fixed.webm.toString('base64'));
  console.log('playback:', JSON.stringify(played));
  assert.ok(Number.isFinite(played.duration) && played.duration > 2, `a known duration over 2 s (${played.duration})`);
  assert.deepEqual(played.size, [WIDTH, HEIGHT]);
  assert.ok(played.start < 0.2, 'plays from the start');
  assert.ok(played.later > 0.8, `currentTime advances (${played.later})`);
  assert.ok(played.ended, 'plays to its end');
  assert.ok(fixed.webm.length < 300_000, 'the clip is small');
  assert.ok(pdf.length < 50_000, 'the PDF is small');
} finally {
  await browser.close();
}
