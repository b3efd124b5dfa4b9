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
    // Metric charts that are not under their value, inside their metric's box.
    strayCharts: Array.from(document.querySelectorAll('svg.bk-metric-chart')).flatMap((svg) => {
      const box = svg.closest('.bk-metric-box').getBoundingClientRect();
      const value = svg.closest('.bk-metric-box').querySelector('.bk-metric-value').getBoundingClientRect();
      const c = svg.getBoundingClientRect();
      const inside = c.left >= box.left - 0.5 && c.right <= box.right + 0.5 && c.bottom <= box.bottom + 0.5;
      return inside && c.top >= value.bottom && c.width > 0 ? [] : [svg.getAttribute('aria-label')];
    }),
  }));

/**
 * Each dataframe's toolbar: in the footer line under its grid, inside its
 * box (so it covers nothing around it), shown without hovering. Returns the
 * grids whose toolbar is out of place, with why.
 */
const misplacedToolbars = (page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('.bk-df-box')).flatMap((box) => {
      const tools = box.querySelector('.bk-df-tools');
      if (!tools) return [];
      const t = tools.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      const grid = box.querySelector('.bk-df-scroll').getBoundingClientRect();
      const wrong = [];
      if (t.top < grid.bottom) wrong.push(`top ${t.top} above the grid's bottom ${grid.bottom}`);
      if (t.left < b.left - 0.5 || t.right > b.right + 0.5 || t.bottom > b.bottom + 0.5) wrong.push('outside its box');
      if (getComputedStyle(tools).opacity !== '1') wrong.push('hidden');
      const path = box.closest('.bk-el').getAttribute('data-path');
      return wrong.length ? [`${path}: ${wrong.join(', ')}`] : [];
    }),
  );

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
      assert.deepEqual(await misplacedToolbars(page), [], `${name} at ${width} px: dataframe toolbars`);
      assert.deepEqual(facts.strayCharts, [], `${name} at ${width} px: metric charts`);
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

test('gallery: the static table lines its columns up as the data says', async (t) => {
  const { app, page } = await openExample(t, 'gallery');
  await page.goto(`${app.url}/?section=data`);
  await page.locator('.bk-el.bk-header h2', { hasText: 'Data' }).waitFor();
  await waitIdle(page);
  const table = page.locator('.bk-el.bk-table table');
  assert.deepEqual(
    await table.locator('th').evaluateAll((ths) => ths.map((th) => [th.textContent, getComputedStyle(th).textAlign])),
    [
      ['name', 'left'],
      ['pop', 'right'],
    ],
  );
  const cells = await table
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.cells).map((td) => [td.textContent, getComputedStyle(td).textAlign])));
  assert.equal(cells.length, 2);
  assert.deepEqual(cells.map((row) => row[0]), [['Oslo', 'left'], ['Lima', 'left']]);
  for (const [pop, align] of cells.map((row) => row[1])) {
    assert.match(pop, /^[\d,.\s]+$/, 'a population, formatted by the server');
    assert.equal(align, 'right', `${pop}: numbers at the right`);
  }
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
