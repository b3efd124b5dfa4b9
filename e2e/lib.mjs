// Shared helpers of the browser tests: start an example app on a free port,
// start headless Debian Chromium with a fresh profile, and tear both down.
//
// The example binaries are built by the test command (`cargo build
// --examples`); BROOKLET_EXAMPLES names their folder.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const EXAMPLES = resolve(process.env.BROOKLET_EXAMPLES ?? join(import.meta.dirname, '..', 'target', 'debug', 'examples'));
const CHROMIUM = process.env.BROOKLET_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Start `examples/<name>` (or the binary at `name`, an absolute path) on a
 * free port, with `env` added to its environment; resolves to { url, stop() }.
 */
export async function startApp(name, { env = {} } = {}) {
  const child = spawn(resolve(EXAMPLES, name), ['--server.port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BROOKLET_LOG: 'warn', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/running at (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) {
        clearTimeout(timer);
        resolveUrl(found[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Headless Chromium with a fresh user data dir; resolves to { page, close() }.
 * `fakeMedia`: a fake camera and microphone (a test pattern and a beep),
 * granted to every page without asking, for camera_input and audio_input.
 */
export async function startBrowser({ fakeMedia = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'brooklet-chromium-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
  if (fakeMedia) args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args,
  });
  await watchCsp(context);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return {
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Start an app and a browser on it (`browserOptions`: startBrowser's;
 * `appOptions`: startApp's); `t.after` tears both down.
 */
export async function openExample(t, name, browserOptions = {}, appOptions = {}) {
  const app = await startApp(name, appOptions);
  const browser = await startBrowser(browserOptions);
  t.after(async () => {
    await browser.close();
    await app.stop();
  });
  await browser.page.goto(app.url);
  return { app, page: browser.page };
}

/**
 * Record, parsed, every message of `type` (`rerun`, `window`, …) that the
 * page sends on its WebSocket, into `into` (returned).
 */
export function recordSent(page, type, into = []) {
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      try {
        const msg = JSON.parse(String(payload));
        if (msg?.type === type) into.push(msg);
      } catch {
        // Not JSON: not ours to read.
      }
    });
  });
  return into;
}

/** Wait until the page is connected and no run is in progress. */
export async function waitIdle(page) {
  await page.waitForSelector('#bk-app[data-connection="connected"][data-running="false"]');
}

/**
 * The rows of a dataframe grid now in the DOM (`grid`: a locator of a
 * `.bk-el.bk-dataframe`), in view order: `r` (position in the view),
 * `rowindex` (its `aria-rowindex`), whether the row is wholly `visible`
 * below the header, `stale` (a previous view's, shown until the new one
 * arrives) or `pending` (not here yet), `selected`, and its cells by column
 * (`#` for the index column, `sel` for the selection checkboxes; checkbox
 * cells read as booleans). Columns are keyed by their label, or by
 * `keys[label]` when the label is in `keys` (to read cells by column name).
 */
export async function gridRows(grid, keys = {}) {
  return grid.locator('.bk-df-scroll').evaluate((scroll, byLabel) => {
    const columns = Array.from(scroll.querySelectorAll('.bk-df-head .bk-df-hcell')).map((h) => {
      if (h.classList.contains('bk-df-selcol')) return 'sel';
      if (h.classList.contains('bk-df-idx')) return '#';
      const label = h.querySelector('.bk-df-label')?.textContent ?? '';
      return byLabel[label] ?? label;
    });
    const top = scroll.querySelector('.bk-df-head').getBoundingClientRect().bottom;
    const bottom = scroll.getBoundingClientRect().top + scroll.clientTop + scroll.clientHeight;
    return Array.from(scroll.querySelectorAll('.bk-df-row'))
      .map((row) => {
        const rect = row.getBoundingClientRect();
        const cells = {};
        row.querySelectorAll('.bk-df-cell').forEach((cell, i) => {
          const input = cell.querySelector('input');
          cells[columns[i]] = input ? input.checked : cell.textContent;
        });
        return {
          r: Number(row.getAttribute('data-r')),
          rowindex: Number(row.getAttribute('aria-rowindex')),
          visible: rect.top >= top - 1 && rect.bottom <= bottom + 1,
          stale: row.classList.contains('bk-df-stale'),
          pending: row.classList.contains('bk-df-pending'),
          selected: row.getAttribute('aria-selected'),
          cells,
        };
      })
      .sort((a, b) => a.r - b.r);
  }, keys);
}

/** Wait until the rows in view of the dataframe `grid` (a locator) are all here. */
export async function gridReady(grid, timeout = 30_000) {
  await grid.locator('.bk-df-box[data-state="ready"]').waitFor({ timeout });
}

/**
 * Tag every element wrapper on the page with a marker property, so that a
 * later check can tell which DOM nodes survived (same node) and which were
 * re-created. Returns the number of wrappers tagged.
 */
export async function tagElements(page) {
  return page.evaluate(() => {
    const nodes = document.querySelectorAll('.bk-el');
    nodes.forEach((node, i) => {
      node.__brookletTag = `tag-${i}-${node.getAttribute('data-path')}`;
    });
    return nodes.length;
  });
}

/** The data-paths of tagged wrappers that are still the same DOM node. */
export async function survivingTags(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.bk-el'))
      .filter((node) => typeof node.__brookletTag === 'string')
      .map((node) => node.getAttribute('data-path')),
  );
}

/**
 * Record DOM mutations under the main area from now on. `mutatedPaths`
 * reads the data-paths of the element wrappers that contain them.
 */
export async function watchMutations(page) {
  await page.evaluate(() => {
    window.__brookletMutations = [];
    const root = document.querySelector('.bk-main');
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
        const wrapper = target?.closest('.bk-el');
        // Class changes on a wrapper (stale fading) are not content changes.
        if (record.type === 'attributes' && record.attributeName === 'class') continue;
        window.__brookletMutations.push(wrapper ? wrapper.getAttribute('data-path') : '(outside elements)');
      }
    });
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export async function mutatedPaths(page) {
  return page.evaluate(() => Array.from(new Set(window.__brookletMutations)));
}

// ----- Content-Security-Policy -----
//
// The server sends a strict CSP (no inline script or style, no eval). A
// violation does not fail anything by itself: the browser just blocks the
// script or style and logs it. So every page records them, two ways: the
// `securitypolicyviolation` event (stored on window by an init script, which
// runs before the page's own scripts in every document) and the console
// messages Chromium writes for them (which also cover a document the event
// log did not survive, e.g. before a reload).

const cspConsole = new WeakMap();

/** Record CSP violations on every page of `context` (startBrowser does this). */
export async function watchCsp(context) {
  await context.addInitScript(() => {
    window.__brookletCsp = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        window.__brookletCsp.push(
          `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || '?'}:${e.lineNumber}`,
        );
      },
      true,
    );
  });
  context.on('console', (msg) => {
    const text = msg.text();
    if (!text.includes('Content Security Policy')) return;
    const page = msg.page();
    if (!page) return;
    if (!cspConsole.has(page)) cspConsole.set(page, []);
    cspConsole.get(page).push(text);
  });
}

/** The CSP violations recorded on `page` so far. */
export async function cspViolations(page) {
  const events = await page.evaluate(() => window.__brookletCsp ?? []);
  return [...(cspConsole.get(page) ?? []), ...events];
}

/** Fail unless `page` has had no CSP violation. */
export async function assertNoCspViolations(page) {
  assert.deepEqual(await cspViolations(page), [], 'no Content-Security-Policy violations');
}

// ----- A scripted server -----
//
// Some states no example reaches on demand: a page of thousands of elements,
// frames with exact timing, any element with any content. `openScripted`
// opens the front end (served by the `hello` example: every app serves the
// same one) with its WebSocket answered by the test instead of the server.

/** The `session` message a scripted server answers `hello` with. */
export const SCRIPTED_SESSION = {
  type: 'session',
  protocol: 1,
  session_id: 'scripted',
  resumed: false,
  config: { max_message_bytes: 16 * 1024 * 1024, heartbeat_ms: 15000, page_title: 'Scripted' },
};

/**
 * Open the front end with a scripted server; `t.after` tears it down.
 * Resolves, once the page has said `hello` and got its session, to
 * { page, send(msgs), received }: `send` sends one frame (an array of
 * server messages), `received` holds the client's messages (parsed).
 * Heartbeats are answered. `options.width`/`height` size the viewport.
 */
export async function openScripted(t, { width = 1280, height = 800 } = {}) {
  const app = await startApp('hello');
  const browser = await startBrowser();
  t.after(async () => {
    await browser.close();
    await app.stop();
  });
  const { page } = browser;
  await page.setViewportSize({ width, height });
  const received = [];
  let socket = null;
  let greeted;
  const hello = new Promise((resolve) => { greeted = resolve; });
  await page.routeWebSocket(/\/_brooklet\/ws$/, (ws) => {
    socket = ws;
    ws.onMessage((data) => {
      const msg = JSON.parse(String(data));
      received.push(msg);
      if (msg.type === 'hello') {
        ws.send(JSON.stringify([SCRIPTED_SESSION]));
        greeted();
      } else if (msg.type === 'heartbeat') {
        ws.send(JSON.stringify([{ type: 'heartbeat' }]));
      }
    });
  });
  await page.goto(app.url);
  await hello;
  return { page, received, send: (msgs) => socket.send(JSON.stringify(msgs)) };
}

/** The frame of one whole run `run` that sets `ops` (paths and elements) and finishes `complete`. */
export function wholeRun(run, ops) {
  return [
    { type: 'run_started', run },
    { type: 'delta', run, ops },
    { type: 'run_finished', run, status: 'complete' },
  ];
}
