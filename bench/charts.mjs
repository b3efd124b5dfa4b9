#!/usr/bin/env node
// Big line charts side by side: Brooklet (examples/big_chart.rs, release
// build) and Streamlit (bench/streamlit/line_chart.py: st.line_chart of the
// same random walk), measured the same way in headless Debian Chromium:
// type N into the "Points" number input, press Enter, and time until the
// chart of N points is drawn (the run, the data's generation, its transfer
// and the drawing); count the bytes that came for it (WebSocket frames and,
// for Brooklet, the chart's binary points over HTTP); read the page's JS
// heap. For Brooklet also: zoom in with the wheel and time from the last
// wheel event to the finer points drawn.
//
//   node bench/charts.mjs [--brooklet 1000000,10000000,100000000]
//                         [--streamlit 10000,100000,1000000] [--json FILE]
//
// Every server runs on 127.0.0.1; each wait is bounded (--timeout-s,
// default 120: a case that takes longer is reported as not drawn).

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { freePort, healthy, rssMiB } from './lib.mjs';

const BENCH = dirname(new URL(import.meta.url).pathname);
const ROOT = join(BENCH, '..');
const { values } = parseArgs({
  options: {
    brooklet: { type: 'string', default: '1000000,10000000,100000000' },
    streamlit: { type: 'string', default: '10000,100000,1000000' },
    json: { type: 'string' },
    'timeout-s': { type: 'string', default: '120' },
  },
});
const TIMEOUT = Number(values['timeout-s']) * 1000;
const list = (s) => s.split(',').filter(Boolean).map(Number);

async function startServer(framework) {
  const port = await freePort();
  const [cmd, args, health] =
    framework === 'brooklet'
      ? [join(ROOT, 'target/release/examples/big_chart'), ['--server.port', String(port)], '/_brooklet/health']
      : [
          join(BENCH, '.venv/bin/streamlit'),
          ['run', join(BENCH, 'streamlit/line_chart.py'), '--server.headless', 'true', '--server.port', String(port),
            '--server.address', '127.0.0.1', '--browser.gatherUsageStats', 'false', '--server.fileWatcherType', 'none',
            '--server.maxMessageSize', '2000'],
          '/_stcore/health',
        ];
  const child = spawn(cmd, args, { env: { ...process.env, BROOKLET_LOG: 'error' }, stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await healthy(url + health))) {
    if (Date.now() > deadline) throw new Error(`${framework} did not start`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { url, pid: child.pid, stop: () => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} } };
}

/** In the page: whether the chart of `n` points is drawn. */
const drawn = {
  brooklet: (n) => !!document.querySelector(`.bk-chart[data-rows="${n}"][data-state="ready"]`),
  // Streamlit: the caption of this run is shown, nothing is stale or
  // running, and the Vega chart has drawn (a canvas or SVG marks).
  streamlit: (n) => {
    const caption = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].some(
      (c) => c.textContent.trim() === `Points: ${n}`,
    );
    if (!caption) return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')?.textContent.includes('Running')) return false;
    const chart = document.querySelector('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]');
    return !!chart && !!chart.querySelector('canvas, svg .mark-line path');
  },
};

/** Two animation frames: what was drawn is on screen. */
const painted = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))));

async function measure(framework, sizes) {
  const server = await startServer(framework);
  const profile = mkdtempSync(join(tmpdir(), 'bench-chart-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  let socketBytes = 0;
  let httpBytes = 0;
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    socketBytes += typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length;
  }));
  page.on('response', async (res) => {
    if (!res.url().includes('/_brooklet/chart/')) return;
    try {
      httpBytes += (await res.body()).length;
    } catch {}
  });
  const results = [];
  try {
    await page.goto(server.url);
    const input = page.getByRole('spinbutton', { name: 'Points' });
    await input.waitFor();
    for (const n of sizes) {
      // Start from a small chart, so that each size is generated anew.
      for (const [points, timed] of [[1000, false], [n, true]]) {
        await page.waitForTimeout(300);
        const [ws0, http0] = [socketBytes, httpBytes];
        await input.fill(String(points));
        const started = Date.now();
        await input.press('Enter');
        const r = { framework, points };
        try {
          await page.waitForFunction(drawn[framework], points, { polling: 'raf', timeout: TIMEOUT });
          await page.evaluate(painted);
          r.draw_ms = Date.now() - started;
        } catch {
          r.error = `not drawn within ${TIMEOUT / 1000} s`;
        }
        if (!timed) continue;
        await page.waitForTimeout(500);
        r.socket_bytes = socketBytes - ws0;
        r.http_bytes = httpBytes - http0;
        r.js_heap_mib = await page.evaluate(() => performance.memory.usedJSHeapSize / 1048576);
        r.server_rss_mib = rssMiB(server.pid);
        if (framework === 'brooklet' && !r.error) r.zoom_ms = await zoom(page);
        results.push(r);
        process.stderr.write(`${JSON.stringify(r)}\n`);
        if (r.error) break;
      }
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    server.stop();
  }
  return results;
}

/** Wheel in over the middle of the plot; the time from the last wheel event to the finer points drawn. */
async function zoom(page) {
  const plot = page.locator('.bk-chart[role=figure] .u-over');
  const box = await plot.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const refined = page.waitForResponse((res) => res.url().includes('/_brooklet/chart/') && res.url().includes('x0='), {
    timeout: 10_000,
  });
  for (let i = 0; i < 4; i++) {
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(16);
  }
  const ended = Date.now();
  try {
    await refined;
    await page.waitForFunction(() => document.querySelector('.bk-chart[role=figure]')?.dataset.state === 'ready');
    await page.evaluate(painted);
    return Date.now() - ended;
  } catch {
    return NaN;
  }
}

const load = readFileSync('/proc/loadavg', 'utf8').trim();
const results = [
  ...(values.brooklet ? await measure('brooklet', list(values.brooklet)) : []),
  ...(values.streamlit ? await measure('streamlit', list(values.streamlit)) : []),
];
const fmt = (v, d = 0) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');
console.log(`load average at start: ${load}\n`);
console.log('| framework | points | input → chart drawn (ms) | socket bytes | HTTP bytes (points) | JS heap (MiB) | server RSS (MiB) | zoom → finer points (ms) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(
    `| ${r.framework} | ${r.points.toLocaleString('en-US')} | ${r.error ?? fmt(r.draw_ms)} | ${fmt(r.socket_bytes)} | ${fmt(r.http_bytes)} | ${fmt(r.js_heap_mib, 1)} | ${fmt(r.server_rss_mib)} | ${fmt(r.zoom_ms)} |`,
  );
}
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
