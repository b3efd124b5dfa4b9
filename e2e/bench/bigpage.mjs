// Browser benchmark of a big page (run by hand, not part of `npm test`):
// the `bench-page` app (crates/brooklet-bench/src/bin/bench_page.rs: N text
// elements and a "Change" button that changes the middle one) in headless
// Chromium, on 127.0.0.1.
//
//   cargo build --release -p brooklet-bench --bin bench-page
//   cd e2e && node bench/bigpage.mjs                 # N = 10000 and 50000
//   node bench/bigpage.mjs --n 10000 --loads 3 --updates 20 [--profile out.cpuprofile]
//   node bench/bigpage.mjs --bundle DIR    # serve DIR/app.js and DIR/app.css instead
//                                          # of the bundle built into the server
//   node bench/bigpage.mjs --pause 50      # each run pauses 50 ms halfway
//
// For each N it reports:
// - first render: from navigation start (performance.now() in the page) to
//   the frame after the last element is in the DOM and the run is over,
//   median of `--loads` fresh page loads;
// - per update (one click of "Change", `--updates` times): the main thread's
//   scripting time (CDP `Performance.getMetrics`, ScriptDuration, before the
//   click and after the next frame once the change is in the DOM), style and
//   layout time, and click-to-DOM latency; median and max.
// `--pause MS` makes each run of the app pause that long halfway (a run that
// takes a moment): an update then reaches the page in two or more frames,
// as most real reruns do (first renders then include the pause: measure
// them without). `--profile FILE` writes a CPU profile (CDP Profiler) of
// the updates and prints the functions with the most self time. `--bundle
// DIR` answers the page's requests for the front-end bundle with DIR/app.js
// and DIR/app.css (e.g. the committed bundle of an older commit, `git show
// REV:crates/brooklet/assets/app.js`), so that two front ends can be
// compared against the same server binary.
//
// Bounded: every wait has a timeout, at most 10 loads and 200 updates per
// size, and after 10 minutes the browser and the server are stopped and the
// script exits.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startApp, startBrowser } from '../lib.mjs';

const { values: opts } = parseArgs({
  options: {
    n: { type: 'string', default: '10000,50000' },
    loads: { type: 'string', default: '3' },
    updates: { type: 'string', default: '20' },
    bin: { type: 'string', default: join(import.meta.dirname, '..', '..', 'target', 'release', 'bench-page') },
    profile: { type: 'string' },
    bundle: { type: 'string' },
    pause: { type: 'string', default: '0' },
  },
});
const SIZES = opts.n.split(',').map((s) => Number.parseInt(s, 10));
const LOADS = Math.min(Math.max(Number.parseInt(opts.loads, 10) || 1, 1), 10);
const UPDATES = Math.min(Math.max(Number.parseInt(opts.updates, 10) || 1, 1), 200);
const WAIT_MS = 120_000;

/** What to stop if the run is cut short. */
const running = new Set();
const overall = setTimeout(async () => {
  console.error('bigpage: gave up after 10 minutes');
  const stopAll = Promise.allSettled([...running].map((stop) => stop()));
  await Promise.race([stopAll, new Promise((r) => setTimeout(r, 10_000))]);
  process.exit(2);
}, 600_000);
overall.unref();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x) => x.toFixed(1).padStart(8);

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(list.map(({ name, value }) => [name, value]));
  return {
    script: m.ScriptDuration * 1000,
    task: m.TaskDuration * 1000,
    layout: (m.LayoutDuration + m.RecalcStyleDuration) * 1000,
  };
}

/** Resolves after the next frame has been produced (and a task after it). */
const nextFrame = (page) =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));

/**
 * One load in a fresh tab: ms from navigation start until all `n` elements
 * are drawn (the frame after that).
 */
async function firstRender(page, url, n) {
  await page.goto(url, { waitUntil: 'commit' });
  // The button is at 0.0, the texts at 0.1 … 0.n.
  await page.waitForFunction(
    (last) =>
      document.querySelector(`.bk-main [data-path="${last}"]`) !== null &&
      document.getElementById('bk-app')?.dataset.running === 'false',
    `0.${n}`,
    { timeout: WAIT_MS, polling: 20 },
  );
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
}

/** One click of "Change" (the `k`th): resolves when its text is in the DOM and the run is over. */
async function update(page, n, k) {
  return page.evaluate(
    ({ path, k, timeout }) =>
      new Promise((resolve, reject) => {
        const app = document.getElementById('bk-app');
        const button = document.querySelector('.bk-main button');
        const want = `(changed ${k} times)`;
        // Looked up again only if the page replaced it.
        let target = document.querySelector(`.bk-main [data-path="${path}"]`);
        const done = () => {
          if (!target?.isConnected) target = document.querySelector(`.bk-main [data-path="${path}"]`);
          return app.dataset.running === 'false' && (target?.textContent ?? '').includes(want);
        };
        const timer = setTimeout(() => reject(new Error(`update ${k} not seen in ${timeout} ms`)), timeout);
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve(performance.now() - t0);
        });
        observer.observe(app, { subtree: true, childList: true, characterData: true, attributeFilter: ['data-running'] });
        button.click();
      }),
    { path: `0.${1 + Math.floor(n / 2)}`, k, timeout: WAIT_MS },
  );
}

/** The functions with the most self time in a CDP CPU profile. */
function printTop(profile, count = 15) {
  const dt = new Map();
  const { samples, timeDeltas, nodes } = profile;
  const byId = new Map(nodes.map((node) => [node.id, node]));
  samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
  const self = new Map();
  for (const [id, us] of dt) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + us);
  }
  const top = [...self].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [name, us] of top) console.log(`  ${(us / 1000).toFixed(1).padStart(9)} ms  ${name}`);
}

async function measure(n) {
  const app = await startApp(opts.bin, { env: { BENCH_PAGE_N: String(n), BENCH_PAGE_PAUSE_MS: opts.pause } });
  running.add(app.stop);
  if (new URL(app.url).hostname !== '127.0.0.1') {
    await app.stop();
    throw new Error(`not local: ${app.url}`);
  }
  const browser = await startBrowser();
  running.add(browser.close);
  try {
    const context = browser.page.context();
    if (opts.bundle) {
      const files = {
        'app.js': ['text/javascript; charset=utf-8', readFileSync(join(opts.bundle, 'app.js'))],
        'app.css': ['text/css; charset=utf-8', readFileSync(join(opts.bundle, 'app.css'))],
      };
      await context.route(/\/_brooklet\/static\/app\.(js|css)/, (route) => {
        const [type, body] = files[new URL(route.request().url()).pathname.split('/').pop()];
        return route.fulfill({ status: 200, contentType: type, body });
      });
    }
    // Each load in a new tab (the old one closed first), so that no load
    // pays for tearing down the page of the one before.
    let page = browser.page;
    const loads = [];
    for (let i = 0; i < LOADS; i++) {
      if (i > 0) {
        const next = await context.newPage();
        await page.close();
        page = next;
      }
      page.setDefaultTimeout(WAIT_MS);
      loads.push(await firstRender(page, app.url, n));
    }
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    if (opts.profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const rows = [];
    for (let k = 1; k <= UPDATES; k++) {
      await nextFrame(page);
      const before = await metrics(cdp);
      const latency = await update(page, n, k);
      await nextFrame(page);
      const after = await metrics(cdp);
      rows.push({
        script: after.script - before.script,
        task: after.task - before.task,
        layout: after.layout - before.layout,
        latency,
      });
    }
    // What the measuring itself costs: the same round trips with no click.
    const idle = [];
    for (let k = 0; k < 5; k++) {
      await nextFrame(page);
      const before = await metrics(cdp);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
      await nextFrame(page);
      idle.push((await metrics(cdp)).script - before.script);
    }
    if (opts.profile) {
      const { profile } = await cdp.send('Profiler.stop');
      const file = SIZES.length > 1 ? opts.profile.replace(/(\.cpuprofile)?$/, `-${n}$1`) : opts.profile;
      writeFileSync(file, JSON.stringify(profile));
      console.log(`profile of the updates: ${file}`);
      printTop(profile);
    }
    const col = (key) => rows.map((r) => r[key]);
    console.log(`\nN = ${n}${opts.pause !== '0' ? `, runs pause ${opts.pause} ms halfway` : ''}`);
    console.log(`  first render (ms from navigation start, ${LOADS} loads): median ${median(loads).toFixed(0)}, all ${loads.map((x) => x.toFixed(0)).join(' ')}`);
    console.log(`  per update (${UPDATES} clicks)      median      max`);
    console.log(`    scripting ms            ${fmt(median(col('script')))} ${fmt(Math.max(...col('script')))}`);
    console.log(`    style + layout ms       ${fmt(median(col('layout')))} ${fmt(Math.max(...col('layout')))}`);
    console.log(`    main-thread tasks ms    ${fmt(median(col('task')))} ${fmt(Math.max(...col('task')))}`);
    console.log(`    click to DOM ms         ${fmt(median(col('latency')))} ${fmt(Math.max(...col('latency')))}`);
    console.log(`  harness alone, scripting ms: median ${median(idle).toFixed(2)}`);
    return { n, firstRenderMs: median(loads), scriptMs: median(col('script')) };
  } finally {
    await browser.close();
    await app.stop();
    running.delete(browser.close);
    running.delete(app.stop);
  }
}

for (const n of SIZES) await measure(n);
clearTimeout(overall);
