// examples/widgets.rs in a real browser: the 100,000-row dataframe keeps its
// rows on the server, draws only the rows in view and asks for the others
// over the WebSocket as it sorts (on the server) and scrolls; widgets report
// their values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, gridReady, gridRows, openExample, waitIdle } from '../lib.mjs';

/** Poll `read` until `ok(value)`; returns the value (fails with the last one). */
async function until(what, read, ok, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let value;
  while (Date.now() < deadline) {
    value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}: ${JSON.stringify(value)?.slice(0, 400)}`);
}

test('widgets: a 100,000-row dataframe stays small in the DOM, sorts and scrolls', async (t) => {
  const { page } = await openExample(t, 'widgets');
  const windows = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      const msg = JSON.parse(String(payload));
      if (msg.type === 'window') windows.push(msg);
    }),
  );
  await page.getByText('100,000 rows × 3 columns').waitFor({ timeout: 30_000 });
  await waitIdle(page);
  const frame = page.locator('.bk-el.bk-dataframe');
  await gridReady(frame);
  assert.equal(await frame.getByRole('grid').getAttribute('aria-rowcount'), '100001');
  const rowsInDom = await frame.locator('.bk-df-row').count();
  assert.ok(rowsInDom > 0 && rowsInDom < 80, `only the rows in view are drawn, not 100,000 (${rowsInDom})`);
  /** The current, wholly visible rows. */
  const shown = async () => (await gridRows(frame)).filter((r) => r.visible && !r.stale && !r.pending);
  const first = await shown();
  assert.deepEqual(first.map((r) => r.cells.id), first.map((r, i) => String(i)), 'the frame\'s order at first');

  // Sort by "value", ascending, on the server: the smallest value comes first.
  const header = frame.getByRole('columnheader', { name: 'value' });
  await header.click();
  await until('aria-sort', () => header.getAttribute('aria-sort'), (v) => v === 'ascending');
  let rows = await until('the sorted rows', shown, (rs) => rs.length > 0 && rs[0].r === 0 && Number(rs[0].cells.value) === 0);
  const values = rows.map((r) => Number(r.cells.value));
  assert.deepEqual(values, [...values].sort((a, b) => a - b), 'values ascend');
  assert.ok(rows.some((r) => r.cells['#'] !== String(r.r)), 'the rows come from all over the frame');
  assert.deepEqual(windows.at(-1)?.sort, { column: 'value', descending: false }, 'the sort was asked of the server');

  // Scroll to the end: the last rows are drawn, and still only a window of them.
  await frame.locator('.bk-df-scroll').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  rows = await until('the last rows', shown, (rs) => rs.length > 0 && rs.at(-1).r === 99_999);
  assert.ok((await frame.locator('.bk-df-row').count()) < 80, 'still only a window of rows');
  assert.equal(Number(rows.at(-1).cells.value), 99.9, 'the largest value last');
  const tail = rows.map((r) => Number(r.cells.value));
  assert.deepEqual(tail, [...tail].sort((a, b) => a - b), 'values ascend to the end');
  assert.ok(windows.some((w) => w.start + w.count === 100_000), 'the last rows were asked for');
  await gridReady(frame);
  await assertNoCspViolations(page);
});

test('widgets: changing a widget reruns and shows its value', async (t) => {
  const { page } = await openExample(t, 'widgets');
  await page.getByText('100,000 rows × 3 columns').waitFor({ timeout: 30_000 });
  await waitIdle(page);
  await page.getByRole('checkbox', { name: 'Check me' }).check();
  await page.getByText('value: true').first().waitFor();
  // The toggle is a switch; switching it on reruns with `true` beside it.
  const toggle = page.getByRole('switch', { name: 'Switch me' });
  await toggle.check();
  await page.getByText('value: true').nth(1).waitFor();
  assert.equal(await toggle.isChecked(), true);
  await page.getByLabel('Select box').selectOption('Blue');
  await page.getByText('value: "Blue"').waitFor();
  await assertNoCspViolations(page);
});
