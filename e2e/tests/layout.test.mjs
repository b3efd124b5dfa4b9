// Layout details, on a page from a scripted server (tools/pages.mjs,
// `gallery`) at a desktop and a phone width: a huge metric value stays in
// its column (ellipsis, the whole value as its title), the sidebar's
// background runs the whole height of a long page, and an exception's
// message shows `code` spans as code while its markup stays text.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoCspViolations, openScripted, wholeRun } from '../lib.mjs';
import { EXCEPTION_MESSAGE, gallery, HUGE_METRIC } from '../tools/pages.mjs';

for (const width of [1280, 390]) {
  test(`metrics, sidebar and exception at ${width} px`, async (t) => {
    const { page, send } = await openScripted(t, { width, height: 800 });
    send(wholeRun(1, gallery()));
    await page.locator('.bk-el.bk-exception').waitFor();

    const facts = await page.evaluate(() => {
      const value = document.querySelector('.bk-metric-value');
      const slot = value.closest('.bk-slot');
      const next = slot.nextElementSibling;
      const box = (el) => el.getBoundingClientRect();
      return {
        title: value.getAttribute('title'),
        text: value.textContent,
        truncated: value.scrollWidth > value.clientWidth,
        valueRight: box(value).right,
        slotRight: box(slot).right,
        nextLeft: next ? box(next).left : null,
        nextTop: next ? box(next).top : null,
        valueBottom: box(value).bottom,
        pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
      };
    });
    assert.equal(facts.title, HUGE_METRIC, 'the whole value on hover');
    assert.equal(facts.text, HUGE_METRIC, 'the whole value is in the page (the ellipsis is CSS)');
    assert.ok(facts.truncated, 'too wide for its column: cut with an ellipsis');
    assert.ok(facts.valueRight <= facts.slotRight + 0.5, `within its column: ${facts.valueRight} > ${facts.slotRight}`);
    if (width >= 760) assert.ok(facts.valueRight <= facts.nextLeft, 'clear of the next column');
    assert.ok(facts.pageOverflow <= 0, `nothing overflows the page sideways (${facts.pageOverflow} px)`);

    // The exception: code spans as <code>, markup as text.
    const message = page.locator('.bk-exc-message');
    assert.deepEqual(await message.locator('code').allTextContents(), ['config.port', '"eighty"', 'Config::port', '<i>']);
    assert.equal(await message.locator('b, i').count(), 0, 'no markup from the message');
    assert.equal(
      await message.textContent(),
      EXCEPTION_MESSAGE.replace(/`/g, ''),
      'the message reads the same, less its backticks',
    );
    const codeStyle = (sel) => page.locator(sel).first().evaluate((el) => getComputedStyle(el).fontFamily);
    assert.equal(await codeStyle('.bk-exc-message code'), await codeStyle('.bk-alert-box code'), 'code as in alerts');

    // The sidebar: as tall as the page; on a wide screen its contents stay
    // in view at the bottom of the page.
    const sidebar = await page.evaluate(() => ({
      height: document.querySelector('.bk-sidebar').getBoundingClientRect().height,
      page: document.documentElement.scrollHeight,
    }));
    if (width >= 760) {
      assert.ok(sidebar.page > 2000, 'a long page');
      assert.ok(sidebar.height >= sidebar.page - 1, `the sidebar spans the page (${sidebar.height} of ${sidebar.page})`);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const top = await page.locator('.bk-sidebar h2').evaluate((h) => h.getBoundingClientRect().top);
      assert.ok(top >= 0 && top < 200, `the sidebar's contents are in view at the bottom (${top})`);
    } else {
      const box = await page.locator('.bk-sidebar').boundingBox();
      assert.ok(box.height < 400, 'on a phone the sidebar sits above the page, as tall as its contents');
    }
    await assertNoCspViolations(page);
  });
}
