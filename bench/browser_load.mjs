#!/usr/bin/env node
// Browser load generator of the side-by-side benchmark (Brooklet vs Streamlit).
//
// Opens N pages of one headless Debian Chromium, each in its own browser
// context (so N server sessions), waits until every page shows the text
// "Count: 0" and a button "Increment", then in all pages at once performs K
// clicks. Each click is timed inside the page: performance.now(), click the
// button whose text is "Increment", and wait (MutationObserver, no polling
// and no round trip to node) until an element whose whole text is
// "Count: <k>" exists. The detection code is the same for every framework: it
// matches on element text only, never on a framework's classes or test ids.
//
//   node browser_load.mjs --url http://127.0.0.1:8501/ --sessions 1 --clicks 40 \
//        --timeout-s 120 [--pid SERVER_PID] [--label NAME]
//
// Prints one JSON report on stdout (logs go to stderr). Bounded: after
// --timeout-s the run stops whatever happens and every click not done counts
// as an error. Only 127.0.0.1 / localhost URLs are accepted.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const BUTTON_LABEL = 'Increment';
const COUNT_PREFIX = 'Count: ';
// A click whose count has not shown after this long is lost: that session stops.
const PER_CLICK_LIMIT_MS = 30_000;

function log(message) {
  process.stderr.write(`browser_load: ${message}\n`);
}

function usage(message) {
  if (message) log(message);
  log('usage: node browser_load.mjs --url URL --sessions N --clicks K --timeout-s T [--pid PID] [--label NAME]');
  process.exit(2);
}

function parseCli() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' },
        sessions: { type: 'string', default: '1' },
        clicks: { type: 'string', default: '10' },
        'timeout-s': { type: 'string', default: '120' },
        pid: { type: 'string' },
        label: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    usage(err.message);
  }
  if (!values.url) usage('--url is required');
  let url;
  try {
    url = new URL(values.url);
  } catch {
    usage(`not a URL: ${values.url}`);
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    usage(`only loopback URLs are allowed, got ${url.hostname}`);
  }
  const int = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) usage(`--${name} must be an integer in ${min}..${max}`);
    return n;
  };
  return {
    url: url.href,
    sessions: int('sessions', 1, 200),
    clicks: int('clicks', 1, 10_000),
    timeoutS: int('timeout-s', 1, 3600),
    pid: values.pid === undefined ? null : int('pid', 1, 2 ** 31),
    label: values.label ?? null,
  };
}

// ---------------------------------------------------------------- server probes

let clkTck = null;
function clockTicks() {
  if (clkTck === null) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: split after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  return Number(fields[14 - 3]) + Number(fields[15 - 3]);
}

/** VmRSS of a process, in KiB. */
function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const found = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return found ? Number(found[1]) : null;
}

function probe(fn, pid) {
  try {
    return fn(pid);
  } catch (err) {
    log(`cannot read /proc/${pid}: ${err.message}`);
    return null;
  }
}

// ---------------------------------------------------------------- in-page code
//
// Runs inside each page (serialized by page.evaluate). The same function for
// every framework. Modes:
//   ready:  wait until "Count: <start>" and the button exist.
//   clicks: K times: observe, t0, click, wait for "Count: <start+i>", record.
// Returns { ok, latencies, error }.

async function inPage({ mode, label, prefix, start, clicks, budgetMs, perStepMs }) {
  const deadline = performance.now() + budgetMs;

  // The element whose whole text (trimmed) is `text`, searching `root` and
  // descending only into elements whose text contains it.
  function findExact(root, text) {
    if (!root || root.nodeType !== 1) return null;
    const t = root.textContent;
    if (!t.includes(text)) return null;
    if (t.trim() === text) return root;
    for (const child of root.children) {
      const found = findExact(child, text);
      if (found) return found;
    }
    return null;
  }

  // From an element up through its ancestors, while their text can still be `text`.
  function findExactUp(el, text) {
    for (; el && el.nodeType === 1; el = el.parentElement) {
      const t = el.textContent.trim();
      if (t === text) return el;
      if (t.length > text.length) return null;
    }
    return null;
  }

  function findButton() {
    for (const b of document.querySelectorAll('button')) {
      if (b.textContent.trim() === label) return b;
    }
    return null;
  }

  // Resolves when `found()` holds, checked on every DOM mutation (records
  // first, for speed; `found` is the full check). Starts observing at once;
  // `promise` settles to the time it held, or to null after `timeoutMs`.
  function observeUntil(text, needButton, timeoutMs) {
    let settle;
    const promise = new Promise((r) => { settle = r; });
    let timer = null;
    // Settles to the time the condition was seen (performance.now()), or null.
    const done = (ok) => {
      const at = performance.now();
      observer.disconnect();
      if (timer !== null) clearTimeout(timer);
      settle(ok ? at : null);
    };
    const full = () => !!findExact(document.body, text) && (!needButton || !!findButton());
    const observer = new MutationObserver((records) => {
      let hit = false;
      for (const r of records) {
        if (r.type === 'characterData') {
          const el = findExactUp(r.target.parentElement, text);
          if (el && el.isConnected) { hit = true; break; }
        } else if (r.type === 'childList') {
          const el = findExact(r.target, text) ?? findExactUp(r.target, text);
          if (el && el.isConnected) { hit = true; break; }
        }
      }
      if (hit && (!needButton || findButton())) done(true);
      else if (needButton && findExact(document.body, text) && findButton()) done(true);
    });
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
    return { promise, already: full, done };
  }

  if (mode === 'ready') {
    const text = prefix + start;
    const w = observeUntil(text, true, deadline - performance.now());
    if (w.already()) w.done(true);
    const ok = (await w.promise) !== null;
    return { ok, latencies: [], error: ok ? null : `not ready: no "${text}" and "${label}" button in time` };
  }

  const latencies = [];
  for (let i = 1; i <= clicks; i++) {
    const left = deadline - performance.now();
    if (left <= 0) return { ok: false, latencies, error: `time budget spent after ${latencies.length} clicks` };
    const button = findButton();
    if (!button) return { ok: false, latencies, error: `no "${label}" button before click ${i}` };
    const text = prefix + (start + i);
    const w = observeUntil(text, false, Math.min(left, perStepMs));
    const t0 = performance.now();
    button.click();
    const t1 = await w.promise;
    if (t1 === null) return { ok: false, latencies, error: `click ${i}: no "${text}" within ${Math.round(Math.min(left, perStepMs))} ms` };
    latencies.push(t1 - t0);
  }
  return { ok: true, latencies, error: null };
}

// ---------------------------------------------------------------- statistics

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  // Nearest rank.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

const round = (x, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseCli();
  const t0 = Date.now();
  const deadline = t0 + opts.timeoutS * 1000;
  const remaining = () => Math.max(0, deadline - Date.now());
  const totalClicks = opts.sessions * opts.clicks;
  const errorMessages = [];
  const report = {
    label: opts.label,
    url: opts.url,
    sessions: opts.sessions,
    clicks_per_session: opts.clicks,
    clicks_total: totalClicks,
    clicks_ok: 0,
    errors: totalClicks,
    error_messages: errorMessages,
    timed_out: false,
    sessions_ready: 0,
    ready_s: null,
    click_phase_s: null,
    reruns_per_s: null,
    latency_ms: { p50: null, p90: null, p99: null, mean: null, min: null, max: null },
    server: opts.pid === null ? null : { pid: opts.pid, clk_tck: clockTicks(), cpu_ms: null, cpu_ms_per_rerun: null, rss_kib: null, rss_mib: null },
    chromium: CHROMIUM,
  };

  // Last resort: if anything hangs past the deadline (plus a grace for
  // closing), print what we have and leave.
  let finished = false;
  const hardStop = setTimeout(() => {
    if (finished) return;
    report.timed_out = true;
    errorMessages.push(`hard stop: still running ${opts.timeoutS + 15} s after start`);
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    process.exit(1);
  }, opts.timeoutS * 1000 + 15_000);
  hardStop.unref();

  let browser = null;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: Math.min(60_000, remaining()),
    });

    // Open the pages, one context each (N server sessions), all at once.
    const pages = [];
    for (let s = 0; s < opts.sessions; s++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      pages.push(await context.newPage());
    }
    const readyStart = Date.now();
    const readyResults = await Promise.all(pages.map(async (page, s) => {
      try {
        await page.goto(opts.url, { waitUntil: 'domcontentloaded', timeout: Math.max(1, remaining()) });
        const r = await page.evaluate(inPage, {
          mode: 'ready', label: BUTTON_LABEL, prefix: COUNT_PREFIX, start: 0, clicks: 0,
          budgetMs: remaining(), perStepMs: remaining(),
        });
        if (!r.ok) errorMessages.push(`session ${s}: ${r.error}`);
        return r.ok;
      } catch (err) {
        errorMessages.push(`session ${s}: ${String(err.message).split('\n')[0]}`);
        return false;
      }
    }));
    report.ready_s = round((Date.now() - readyStart) / 1000);
    report.sessions_ready = readyResults.filter(Boolean).length;
    log(`${report.sessions_ready}/${opts.sessions} sessions ready in ${report.ready_s} s`);

    // Click phase: every ready page at once.
    const cpuBefore = opts.pid === null ? null : probe(cpuTicks, opts.pid);
    const clickStart = performance.now();
    const clickResults = await Promise.all(pages.map(async (page, s) => {
      if (!readyResults[s]) return [];
      try {
        const budgetMs = remaining();
        const r = await page.evaluate(inPage, {
          mode: 'clicks', label: BUTTON_LABEL, prefix: COUNT_PREFIX, start: 0, clicks: opts.clicks,
          budgetMs, perStepMs: Math.min(budgetMs, PER_CLICK_LIMIT_MS),
        });
        if (!r.ok) errorMessages.push(`session ${s}: ${r.error}`);
        return r.latencies;
      } catch (err) {
        errorMessages.push(`session ${s}: ${String(err.message).split('\n')[0]}`);
        return [];
      }
    }));
    const clickSeconds = (performance.now() - clickStart) / 1000;
    const cpuAfter = opts.pid === null ? null : probe(cpuTicks, opts.pid);
    const rss = opts.pid === null ? null : probe(rssKiB, opts.pid);

    const latencies = clickResults.flat().sort((a, b) => a - b);
    report.clicks_ok = latencies.length;
    report.errors = totalClicks - latencies.length;
    report.click_phase_s = round(clickSeconds);
    report.reruns_per_s = clickSeconds > 0 ? round(latencies.length / clickSeconds) : null;
    report.latency_ms = {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      mean: latencies.length ? round(latencies.reduce((a, b) => a + b, 0) / latencies.length) : null,
      min: round(latencies[0] ?? null),
      max: round(latencies[latencies.length - 1] ?? null),
    };
    if (report.server) {
      if (cpuBefore !== null && cpuAfter !== null) {
        const cpuMs = ((cpuAfter - cpuBefore) * 1000) / report.server.clk_tck;
        report.server.cpu_ms = round(cpuMs);
        report.server.cpu_ms_per_rerun = latencies.length ? round(cpuMs / latencies.length) : null;
      }
      report.server.rss_kib = rss;
      report.server.rss_mib = rss === null ? null : round(rss / 1024);
    }
  } catch (err) {
    errorMessages.push(`fatal: ${String(err.message).split('\n')[0]}`);
  } finally {
    report.timed_out = report.timed_out || remaining() === 0;
    if (browser) {
      await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    }
  }
  finished = true;
  clearTimeout(hardStop);
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  log(`${report.clicks_ok}/${totalClicks} clicks, p50 ${report.latency_ms.p50} ms, p99 ${report.latency_ms.p99} ms, ${report.reruns_per_s} reruns/s, ${report.errors} errors`);
  process.exit(0);
}

main();
