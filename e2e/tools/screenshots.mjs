// Screenshots of tools/pages.mjs in headless Chromium, by hand:
//
//   cd e2e && node tools/screenshots.mjs OUT_DIR
//
// writes gallery-1280.png and gallery-390.png (full page),
// gallery-<width>-top.png (the first screen) and gallery-1280-scrolled.png
// (the screen at the bottom of the long page, where the sidebar must still
// have its background and its contents), to look at.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openScripted, wholeRun } from '../lib.mjs';
import { gallery } from './pages.mjs';

const out = process.argv[2] ?? 'screenshots';
mkdirSync(out, { recursive: true });

const teardown = [];
const t = { after: (fn) => teardown.push(fn) };
try {
  for (const width of [1280, 390]) {
    const { page, send } = await openScripted(t, { width, height: 800 });
    send(wholeRun(1, gallery()));
    await page.locator('.bk-el.bk-exception').waitFor();
    await page.screenshot({ path: join(out, `gallery-${width}.png`), fullPage: true });
    await page.screenshot({ path: join(out, `gallery-${width}-top.png`) });
    if (width === 1280) {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.screenshot({ path: join(out, `gallery-${width}-scrolled.png`) });
      // The metric's value, hovered: its title holds the whole value.
      console.log('metric title:', await page.locator('.bk-metric-value').first().getAttribute('title'));
    }
    console.log(`wrote ${join(out, `gallery-${width}.png`)}`);
  }
} finally {
  for (const fn of teardown.reverse()) await fn();
}
