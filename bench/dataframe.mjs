#!/usr/bin/env node
// Dataframes side by side: Brooklet (target/release/bench-frame) and
// Streamlit (bench/streamlit/dataframe.py), the same frame, measured the same
// way in headless Debian Chromium: with the data ready (cached), the time from
// clicking the "Show" toggle to a grid whose cells are drawn, the bytes that
// came over the WebSocket for it, the page's JS heap, and the server's RSS.
//
//   node bench/dataframe.mjs [--brooklet-rows 1000000,10000000]
//                            [--streamlit-rows 1000000,5000000] [--json FILE]
//
// Every server runs on 127.0.0.1; each wait is bounded (--timeout-s, default
// 300). Each case is measured twice: the first show, and a second show after
// hiding the grid (the browser and server warm).

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
    'brooklet-rows': { type: 'string', default: '1000000,10000000' },
    'streamlit-rows': { type: 'string', default: '1000000,5000000' },
    json: { type: 'string' },
    'timeout-s': { type: 'string', default: '300' },
  },
});
const TIMEOUT = Number(values['timeout-s']) * 1000;
const list = (s) => s.split(',').filter(Boolean).map(Number);

async function startServer(framework, rows) {
  const port = await freePort();
  const [cmd, args, env, health] =
    framework === 'brooklet'
      ? [join(ROOT, 'target/release/bench-frame'), ['--server.port', String(port)], { BROOKLET_ROWS: String(rows), BROOKLET_LOG: 'error' }, '/_brooklet/health']
      : [
          join(BENCH, '.venv/bin/streamlit'),
          ['run', join(BENCH, 'streamlit/dataframe.py'), '--server.headless', 'true', '--server.port', String(port),
            '--server.address', '127.0.0.1', '--browser.gatherUsageStats', 'false', '--server.fileWatcherType', 'none'],
          { BENCH_ROWS: String(rows) },
          '/_stcore/health',
        ];
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await healthy(url + health))) {
    if (Date.now() > deadline) throw new Error(`${framework} did not start`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { url, pid: child.pid, stop: () => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} } };
}

/** Whether the grid has drawn cells (Brooklet: its gridcells have text; Streamlit: rows in its grid's accessible table). */
const gridDrawn = {
  brooklet: () => {
    const box = document.querySelector('.bk-df-box[data-state="ready"]');
    const cell = box?.querySelector('.bk-df-row [role="gridcell"]:not(.bk-df-selcol)');
    return !!cell && cell.textContent.trim() !== '';
  },
  // Streamlit's grid draws on a canvas; its accessible table gets a row
  // per drawn row once the data is in.
  streamlit: () => document.querySelectorAll('[data-testid="stDataFrame"] table[role="grid"] tbody tr').length > 0,
};

async function measure(framework, rows) {
  const server = await startServer(framework, rows);
  const profile = mkdtempSync(join(tmpdir(), 'bench-df-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  let received = 0;
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    received += typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length;
  }));
  const result = { framework, rows };
  try {
    const loadStart = Date.now();
    await page.goto(server.url);
    await page.getByText(`Ready: ${rows}`).waitFor({ timeout: TIMEOUT });
    result.data_ready_ms = Date.now() - loadStart;
    const toggle = framework === 'brooklet' ? page.getByRole('switch', { name: 'Show' }) : page.getByText('Show', { exact: true });
    for (const pass of ['first', 'second']) {
      // Settle, then click and time until the grid is drawn.
      await page.waitForTimeout(500);
      const before = received;
      const started = Date.now();
      await toggle.click();
      await page.waitForFunction(gridDrawn[framework], null, { polling: 'raf', timeout: TIMEOUT });
      result[`${pass}_show_ms`] = Date.now() - started;
      result[`${pass}_bytes`] = received - before;
      if (pass === 'first') {
        await page.waitForTimeout(1000);
        result.js_heap_mib = await page.evaluate(() => performance.memory.usedJSHeapSize / 1048576);
        result.server_rss_mib = rssMiB(server.pid);
        // Hide it again before the second show.
        await toggle.click();
        await page.waitForFunction(
          (fw) => (fw === 'brooklet' ? !document.querySelector('.bk-df-box') : !document.querySelector('[data-testid="stDataFrame"]')),
          framework,
          { timeout: TIMEOUT },
        );
      }
    }
  } catch (error) {
    result.error = String(error.message ?? error).split('\n')[0];
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    server.stop();
  }
  return result;
}

const results = [];
const cases = [
  ...list(values['brooklet-rows']).map((rows) => ['brooklet', rows]),
  ...list(values['streamlit-rows']).map((rows) => ['streamlit', rows]),
];
const load = readFileSync('/proc/loadavg', 'utf8').trim();
for (const [framework, rows] of cases) {
  const r = await measure(framework, rows);
  results.push(r);
  process.stderr.write(`${JSON.stringify(r)}\n`);
}
const fmt = (v, d = 0) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');
console.log(`load average at start: ${load}\n`);
console.log('| framework | rows | data ready (s) | click → grid, first (ms) | again (ms) | bytes, first show | JS heap (MiB) | server RSS (MiB) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(`| ${r.framework} | ${r.rows.toLocaleString('en-US')} | ${fmt(r.data_ready_ms / 1000, 1)} | ${fmt(r.first_show_ms)} | ${fmt(r.second_show_ms)} | ${fmt(r.first_bytes)} | ${fmt(r.js_heap_mib, 1)} | ${fmt(r.server_rss_mib)} |${r.error ? ` error: ${r.error}` : ''}`);
}
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
