// examples/editor.rs in a real browser: an inventory in a data editor whose
// total follows every edit. A cell is edited in place (double-click, or Enter
// on the active cell); a value outside the column's range is refused in the
// cell and nothing is sent; a row is added (text, a select, a number) and one
// is deleted with its checkbox.
//
// One app and one browser serve the whole file; the tests run in order, each
// starting from the edits the one before it left.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoCspViolations, recordSent, gridReady, gridRows, startApp, startBrowser, waitIdle } from '../lib.mjs';

let app;
let browser;
let page;
/** Every `rerun` message the page sent, parsed. */
const reruns = [];

before(async () => {
  app = await startApp('editor');
  browser = await startBrowser();
  page = browser.page;
  await page.setViewportSize({ width: 1280, height: 800 });
  recordSent(page, 'rerun', reruns);
  await page.goto(app.url);
  await page.getByRole('heading', { name: 'Inventory' }).waitFor();
  await waitIdle(page);
  await gridReady(editor());
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

const editor = () => page.locator('.bk-el.bk-data_editor');
const grid = () => editor().locator('.bk-df-scroll');
const footer = () => editor().locator('.bk-df-count');

/** The text "Total units: N" appears (the app's sum of the Units column after the edits). */
async function total(units) {
  await page.getByText(`Total units: ${units}`, { exact: true }).waitFor();
  await waitIdle(page);
}

/** The grid's rows by Product: their Units as shown. */
async function unitsByProduct() {
  const rows = await gridRows(editor());
  return Object.fromEntries(rows.map((r) => [r.cells.Product, r.cells.Units]));
}

/** The cell of `column` (a header label) in the row whose Product is `product`. */
async function cell(product, column) {
  const rows = await gridRows(editor());
  const row = rows.find((r) => r.cells.Product === product);
  assert.ok(row, `a row for ${product}: ${JSON.stringify(rows.map((r) => r.cells.Product))}`);
  const labels = await editor().locator('.bk-df-head .bk-df-hcell').evaluateAll((hs) =>
    hs.map((h) => h.querySelector('.bk-df-label')?.textContent ?? ''),
  );
  const col = labels.indexOf(column);
  assert.ok(col >= 0, `a column ${column}: ${labels}`);
  return editor().locator(`.bk-df-row[data-r="${row.r}"] .bk-df-cell[data-c="${col}"]`);
}

test('the inventory: four rows, 23 units', async () => {
  await total(23);
  assert.equal(await footer().textContent(), '4 rows × 6 columns');
  assert.deepEqual(await unitsByProduct(), { Kettle: '12', Toaster: '4', Blender: '0', Mixer: '7' });
  assert.equal(await grid().getAttribute('aria-rowcount'), '5');
  await assertNoCspViolations(page);
});

test('double-click a Units cell, type, Enter: the total follows', async () => {
  await (await cell('Toaster', 'Units')).dblclick();
  const input = page.getByRole('spinbutton', { name: 'Edit Units, row 1' });
  await input.waitFor();
  assert.ok(await input.evaluate((el) => el === document.activeElement), 'the input has the focus');
  assert.equal(await input.inputValue(), '4', 'it starts from the value');
  await input.fill('10');
  await input.press('Enter');
  await total(29);
  assert.equal(await input.count(), 0, 'the editing is over');
  assert.equal((await unitsByProduct()).Toaster, '10');
  const edited = await cell('Toaster', 'Units');
  assert.match(await edited.getAttribute('class'), /\bbk-de-edited\b/, 'the edited cell is marked');
  const sent = reruns.at(-1);
  const value = Object.values(sent.widgets)[0];
  assert.deepEqual(value.edited, { 1: { units: 10 } }, 'the edit went to the server as a change list');
  assert.ok(await grid().evaluate((el) => el === document.activeElement), 'the focus is back on the grid');
});

test('Enter on the active cell edits it too', async () => {
  await (await cell('Mixer', 'Units')).click();
  await page.keyboard.press('Enter');
  const input = page.getByRole('spinbutton', { name: 'Edit Units, row 3' });
  await input.waitFor();
  await input.fill('8');
  await input.press('Enter');
  await total(30);
  assert.equal((await unitsByProduct()).Mixer, '8');
});

test('a value under the minimum is refused in the cell, and nothing is sent', async () => {
  const before = reruns.length;
  await (await cell('Kettle', 'Units')).dblclick();
  const input = page.getByRole('spinbutton', { name: 'Edit Units, row 0' });
  await input.fill('-5');
  await input.press('Enter');
  const message = editor().getByRole('alert');
  await message.waitFor();
  assert.equal(await message.textContent(), 'Must be at least 0');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.equal(await input.count(), 1, 'the cell stays in editing');
  assert.equal(
    await message.evaluate((m) => m.closest('.bk-df-cell')?.classList.contains('bk-de-editing')),
    true,
    'the message is in the cell',
  );
  await page.waitForTimeout(300);
  assert.equal(reruns.length, before, 'nothing was committed');
  await page.getByText('Total units: 30', { exact: true }).waitFor();

  // Escape gives up: the value is as it was.
  await input.press('Escape');
  assert.equal(await input.count(), 0);
  assert.equal(await message.count(), 0, 'the message is gone');
  assert.equal((await unitsByProduct()).Kettle, '12');
  assert.equal(reruns.length, before, 'still nothing sent');
});

test('Add row, then Product, Size (a select) and Units: the total follows', async () => {
  await editor().getByRole('button', { name: 'Add row' }).click();
  // The new row's first editable cell is being edited.
  const product = page.getByRole('textbox', { name: 'Edit Product, new row 1' });
  await product.waitFor();
  assert.ok(await product.evaluate((el) => el === document.activeElement), 'the new row is being edited');
  await product.fill('Kettle XL');
  await product.press('Tab');
  // Tab commits and moves to Size; Enter edits it with a select.
  await page.keyboard.press('Enter');
  const size = page.getByRole('combobox', { name: 'Edit Size, new row 1' });
  await size.waitFor();
  assert.deepEqual(
    await size.locator('option').evaluateAll((os) => os.map((o) => o.textContent)),
    ['—', 'S', 'M', 'L'],
    'the column\'s options',
  );
  await size.selectOption('L');
  await size.press('Enter');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  const units = page.getByRole('spinbutton', { name: 'Edit Units, new row 1' });
  await units.waitFor();
  await units.fill('5');
  await units.press('Enter');
  await total(35);

  const rows = await gridRows(editor());
  const added = rows.at(-1);
  assert.equal(added.cells.Product, 'Kettle XL');
  assert.equal(added.cells.Size, 'L');
  assert.equal(added.cells.Units, '5');
  assert.equal(await footer().textContent(), '5 rows × 6 columns');
  const value = Object.values(reruns.at(-1).widgets)[0];
  assert.equal(value.added.length, 1);
  assert.deepEqual(
    { product: value.added[0].product, size: value.added[0].size, units: value.added[0].units },
    { product: 'Kettle XL', size: 'L', units: 5 },
    'the new row went to the server',
  );
});

test('deleting a row with its checkbox and "Delete selected rows": the total follows', async () => {
  const remove = editor().getByRole('button', { name: 'Delete selected rows' });
  assert.equal(await remove.isDisabled(), true, 'nothing to delete yet');
  await editor().getByRole('checkbox', { name: 'Select row 0', exact: true }).check();
  assert.equal(await remove.isDisabled(), false);
  await remove.click();
  await total(23);
  const row = editor().locator('.bk-df-row[aria-label="deleted"]');
  assert.equal(await row.count(), 1, 'the row stays in place, marked deleted');
  assert.match(await row.textContent(), /Kettle/);
  assert.equal(await footer().textContent(), '4 rows × 6 columns');
  const value = Object.values(reruns.at(-1).widgets)[0];
  assert.deepEqual(value.deleted, [0]);
  // Toaster 10 × $24 + Mixer 8 × $129 (+ the new row's 5 × $0).
  await page.getByText('Stock value: $1272.00', { exact: true }).waitFor();
});

test('no Content-Security-Policy violations', async () => {
  await assertNoCspViolations(page);
});
