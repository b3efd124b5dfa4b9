// examples/files.rs in a real browser: a CSV goes up (an XHR PUT to the
// widget's upload URL), the app reads it (its size in a caption, its rows in
// a dataframe) and offers the rows with a first column back as a download;
// a file of the wrong type is refused in the page, before it is sent; a
// PNG goes up and is shown back with its size.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { assertNoCspViolations, gridReady, gridRows, openExample, recordSent, waitIdle } from '../lib.mjs';

/** Each step's wait; the whole test stays well under a minute. */
const STEP = { timeout: 30_000 };

// ----- fixtures -----

/** 5 rows × 3 columns; the third has no first column, one cell holds a comma. */
const CSV_ROWS = [
  ['name', 'city', 'score'],
  ['alice', 'Paris', '3'],
  ['bob', 'Berlin, DE', '5'],
  ['', 'Madrid', '7'],
  ['dave', 'Rome', '1'],
  ['eve', 'Oslo', '9'],
];

/** Rows as CSV text (RFC 4180 quoting). */
function toCsv(rows) {
  const field = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(field).join(',')).join('\n') + '\n';
}

/** CSV text as rows of strings (RFC 4180: quotes, doubled quotes, CRLF or LF). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A valid RGB PNG of `width`×`height`: a red-to-blue gradient. */
function makePng(width, height) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // filter byte 0 (none) first
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = Math.round((255 * x) / (width - 1));
      raw[row + 2 + x * 3] = 80;
      raw[row + 3 + x * 3] = Math.round((255 * y) / (height - 1));
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ----- helpers -----

/** The `input[type=file]` of the uploader labelled `label`. */
function fileInput(page, label) {
  return page.locator('.bk-el.bk-file_uploader').filter({ hasText: label }).locator('input[type=file]');
}

/**
 * Open the app (with `env` added to its environment) and wait for its first
 * run; records the uploads (PUT requests) it sends.
 */
async function open(t, env = {}) {
  const { page } = await openExample(t, 'files', {}, { env });
  await page.setViewportSize({ width: 1280, height: 900 });
  const puts = [];
  page.on('request', (req) => {
    if (req.method() === 'PUT') puts.push(req.url());
  });
  await fileInput(page, 'Upload a CSV').waitFor({ state: 'attached', ...STEP });
  await waitIdle(page);
  return { page, puts };
}

/** Upload the CSV fixture and wait for the app to have read it. */
async function uploadCsv(page) {
  await fileInput(page, 'Upload a CSV').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(toCsv(CSV_ROWS)),
  });
  await page.getByText('Rows: 5, columns: 3').waitFor(STEP);
  await waitIdle(page);
}

// ----- tests -----

test('files: a CSV upload shows its size and its rows, and the filtered CSV downloads', async (t) => {
  const { page, puts } = await open(t);
  assert.equal(await page.getByRole('button', { name: 'Download filtered CSV' }).count(), 0, 'no download before a file');
  await uploadCsv(page);
  assert.equal(puts.length, 1, 'one upload');
  assert.match(puts[0], /name=people\.csv/, 'the upload names the file');
  // The file is listed under the drop zone, without a progress bar.
  const uploader = page.locator('.bk-el.bk-file_uploader').filter({ hasText: 'Upload a CSV' });
  await uploader.locator('.bk-upload-row .bk-upload-name', { hasText: 'people.csv' }).waitFor();
  assert.equal(await uploader.locator('.bk-upload-bar').count(), 0);

  // The rows, in the dataframe.
  const frame = page.locator('.bk-el.bk-dataframe');
  await gridReady(frame);
  const rows = await gridRows(frame);
  assert.deepEqual(
    rows.map((r) => [r.cells.name, r.cells.city, r.cells.score]),
    CSV_ROWS.slice(1).map(([name, city, score]) => [name, city, score]),
    'the dataframe shows the CSV',
  );

  // The download: the header and the rows that have a first column.
  const [download] = await Promise.all([
    page.waitForEvent('download', STEP),
    page.getByRole('button', { name: 'Download filtered CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'filtered.csv');
  const got = parseCsv(await readFile(await download.path(), 'utf8')).filter((r) => r.some((v) => v !== ''));
  const want = CSV_ROWS.filter((r, i) => i === 0 || r[0] !== '');
  assert.equal(got.length, 5, 'the header and 4 rows');
  assert.deepEqual(got, want, 'the filtered CSV');
  await assertNoCspViolations(page);
});

test('files: a .txt given to the CSV uploader is refused before it is sent, and nothing changes', async (t) => {
  const { page, puts } = await open(t);
  await uploadCsv(page);
  const reruns = recordSent(page, 'rerun');
  const uploader = page.locator('.bk-el.bk-file_uploader').filter({ hasText: 'Upload a CSV' });
  await fileInput(page, 'Upload a CSV').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('just some notes\n'),
  });
  const error = uploader.locator('.bk-upload-failed .bk-upload-error');
  await error.waitFor(STEP);
  assert.equal(await error.textContent(), 'notes.txt: file type not allowed (accepts .csv)');
  assert.equal(await error.getAttribute('role'), 'alert');
  // Give a wrongly sent upload or rerun time to show.
  await page.waitForTimeout(1000);
  assert.equal(puts.length, 1, 'only the CSV was sent');
  assert.deepEqual(reruns, [], 'no rerun');
  // The CSV is still the value, and the app still shows it.
  assert.deepEqual(await uploader.locator('.bk-upload-row:not(.bk-upload-failed) .bk-upload-name').allTextContents(), ['people.csv']);
  await page.getByText('Rows: 5, columns: 3').waitFor();
  assert.equal(await page.locator('.bk-el.bk-dataframe').count(), 1);
  // Removing the refused file from the list leaves the CSV.
  await uploader.getByRole('button', { name: 'Remove notes.txt' }).click();
  await error.waitFor({ state: 'detached' });
  assert.equal(await uploader.locator('.bk-upload-row').count(), 1);
  await assertNoCspViolations(page);
});

test('files: an uploaded PNG is shown back with its size', async (t) => {
  const { page, puts } = await open(t);
  await fileInput(page, 'Upload an image').setInputFiles({
    name: 'gradient.png',
    mimeType: 'image/png',
    buffer: makePng(40, 30),
  });
  const caption = page.locator('.bk-el.bk-image figcaption', { hasText: 'Your image (40×30)' });
  await caption.waitFor(STEP);
  assert.equal(await caption.textContent(), 'Your image (40\u00d730)');
  assert.equal(puts.length, 1, 'one upload');
  // The picture itself loads, at its size.
  const img = page.locator('.bk-el.bk-image figure', { hasText: 'Your image (40×30)' }).locator('img');
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), STEP);
  assert.deepEqual(await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]), [40, 30]);
  await waitIdle(page);
  await assertNoCspViolations(page);
});

test('files: a file over the session quota is refused by the server while it streams, with the reason in the widget', async (t) => {
  // The widget takes up to 200 MB, so the page sends the file; the server
  // (1 MB per session) refuses it before reading the body. The body is far
  // larger than the socket buffers: the refusal must still reach the page,
  // not "connection lost".
  const { page, puts } = await open(t, { BROOKLET_SERVER_MAX_SESSION_UPLOAD_MB: '1' });
  const dir = await mkdtemp(join(tmpdir(), 'brooklet-quota-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'big.csv');
  await writeFile(path, Buffer.alloc(64 * 1024 * 1024, 0x31));
  await fileInput(page, 'Upload a CSV').setInputFiles(path);
  const uploader = page.locator('.bk-el.bk-file_uploader').filter({ hasText: 'Upload a CSV' });
  const error = uploader.locator('.bk-upload-failed .bk-upload-error');
  await error.waitFor(STEP);
  assert.equal(await error.textContent(), 'big.csv is larger than this session may upload in all (1 MB)');
  assert.equal(puts.length, 1, 'sent once');
  // Nothing was kept: the app has no file, and a small CSV still fits.
  assert.equal(await page.getByText(/^Rows: /).count(), 0);
  await uploader.getByRole('button', { name: 'Remove big.csv' }).click();
  await uploadCsv(page);
  await assertNoCspViolations(page);
});
