// examples/gallery.rs in a real browser: every section opens from the
// sidebar (and puts itself in the address), its code fits beside its result
// on a wide screen and nothing overflows the page on a phone; a spinner
// shows while its work runs; a widget reruns the app with its new value.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openExample, waitIdle } from '../lib.mjs';

/** The section names, as the sidebar's "Section" selectbox lists them. */
const sectionNames = (page) =>
  page.getByLabel('Section').evaluate((select) => Array.from(select.options).map((o) => o.textContent));

/** Layout facts of the page as it stands. */
const layout = (page) =>
  page.evaluate(() => ({
    pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
    codeBoxes: document.querySelectorAll('.bk-codebox pre').length,
    // Code boxes that scroll sideways (their code is wider than the box).
    scrollingCode: Array.from(document.querySelectorAll('.bk-codebox pre'))
      .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
      .map((pre) => pre.textContent.split('\n')[0]),
    exceptions: Array.from(document.querySelectorAll('.bk-el.bk-exception')).map((e) => e.textContent.trim()),
  }));

/** Choose `name` in the sidebar and wait for its section to be drawn. */
async function openSection(page, name) {
  await page.getByLabel('Section').selectOption(name);
  await page.locator('.bk-el.bk-header h2', { hasText: name }).waitFor();
  await waitIdle(page);
}

test('gallery: every section renders, its code beside its result, at 1280 and 390 px', async (t) => {
  const { page } = await openExample(t, 'gallery');
  await page.getByRole('heading', { name: 'Brooklet gallery' }).waitFor();
  await waitIdle(page);
  const names = await sectionNames(page);
  assert.ok(names.length >= 10, `the sections: ${names}`);

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const name of names) {
      await openSection(page, name);
      assert.match(new URL(page.url()).search, /[?&]section=[a-z-]+/, `${name}: the section is in the address`);
      const facts = await layout(page);
      assert.ok(facts.codeBoxes > 0, `${name}: code is shown`);
      assert.ok(facts.pageOverflow <= 0, `${name} at ${width} px: the page scrolls sideways by ${facts.pageOverflow} px`);
      if (width === 1280) {
        assert.deepEqual(facts.scrollingCode, [], `${name}: code wider than its column`);
      }
      const expected = name === 'Alerts & status' ? ['invalid digit found in string'] : [];
      assert.deepEqual(facts.exceptions, expected, `${name}: exceptions`);
    }
  }

  // On a wide screen the code sits left of its result, tops aligned; on a
  // phone the two stack.
  await openSection(page, 'Numbers');
  const beside = async () =>
    page.evaluate(() => {
      const row = document.querySelector('.bk-el.bk-columns .bk-row');
      const [code, result] = Array.from(row.children).map((slot) => slot.getBoundingClientRect());
      return { sameTop: Math.abs(code.top - result.top) < 2, codeLeft: code.right <= result.left };
    });
  assert.deepEqual(await beside(), { sameTop: false, codeLeft: false }, 'stacked at 390 px');
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(await beside(), { sameTop: true, codeLeft: true }, 'beside at 1280 px');
  await assertNoCspViolations(page);
});

test('gallery: a link opens a section; a spinner shows while its work runs; widgets rerun', async (t) => {
  const { app, page } = await openExample(t, 'gallery');
  await page.goto(`${app.url}/?section=status`);
  await page.locator('.bk-el.bk-header h2', { hasText: 'Alerts & status' }).waitFor();
  await waitIdle(page);

  await page.getByRole('button', { name: 'Crunch numbers' }).click();
  const spinner = page.locator('.bk-el.bk-spinner');
  await spinner.getByText('Crunching…').waitFor();
  await page.getByText('The answer: 42').waitFor();
  assert.equal(await spinner.count(), 0, 'the spinner is gone after its work');

  await openSection(page, 'Choices');
  await page.getByLabel('Colour').selectOption('Blue');
  await page.getByText('Blue, 10').waitFor();
  await page.getByRole('checkbox', { name: 'Olives' }).check();
  await page.getByText('value: ["Olives"]').waitFor();
  await assertNoCspViolations(page);
});
