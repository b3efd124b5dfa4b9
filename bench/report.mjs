#!/usr/bin/env node
// Gather the per-run files of one compare.sh run into one JSON document and
// print the Markdown table of Brooklet / Streamlit / Streamlit tuned.
//
//   node report.mjs --dir bench/results/compare-<date>.d --out bench/results/compare-<date>.json
//
// The directory holds, per scenario and framework, <scenario>.<framework>.server.json
// (from start_server.mjs), .load.json (from browser_load.mjs) and .server.log.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, out: { type: 'string' } },
  strict: true,
});
if (!values.dir) {
  process.stderr.write('usage: node report.mjs --dir RUN_DIR [--out FILE.json]\n');
  process.exit(2);
}
const dir = values.dir;
const FRAMEWORKS = ['brooklet', 'streamlit', 'streamlit_tuned'];
const NAMES = { brooklet: 'Brooklet', streamlit: 'Streamlit', streamlit_tuned: 'Streamlit tuned' };

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}
function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch {
    return null;
  }
}

// Scenarios in the order compare.sh ran them (scenarios.txt), else by name.
const orderFile = join(dir, 'scenarios.txt');
const scenarios = existsSync(orderFile)
  ? readFileSync(orderFile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean)
  : [...new Set(readdirSync(dir).filter((f) => f.endsWith('.server.json')).map((f) => f.split('.')[0]))].sort();

const runs = [];
for (const scenario of scenarios) {
  for (const fw of FRAMEWORKS) {
    const base = join(dir, `${scenario}.${fw}`);
    if (!existsSync(`${base}.server.json`)) continue;
    const server = readJson(`${base}.server.json`);
    const load = readJson(`${base}.load.json`);
    const log = existsSync(`${base}.server.log`) ? readFileSync(`${base}.server.log`, 'utf8') : '';
    const entry = { scenario, framework: fw, startup_ms: server?.startup_ms ?? null, server, load };
    if (fw === 'streamlit_tuned') {
      const line = log.split('\n').find((l) => l.startsWith('run_tuned: TCP_NODELAY'));
      entry.nodelay_check = line ?? 'no run_tuned TCP_NODELAY line in the server log';
    }
    runs.push(entry);
  }
}

const repoRoot = join(import.meta.dirname, '..');
const meta = {
  date: new Date().toISOString(),
  run_dir: basename(dir),
  git_commit: run('git', ['-C', repoRoot, 'rev-parse', 'HEAD']),
  git_dirty: (run('git', ['-C', repoRoot, 'status', '--porcelain']) ?? '') !== '',
  cpus: os.cpus().length,
  loadavg_at_start: existsSync(join(dir, 'loadavg-start.txt'))
    ? readFileSync(join(dir, 'loadavg-start.txt'), 'utf8').split(' ').slice(0, 3).map(Number)
    : null,
  loadavg_at_report: os.loadavg().map((x) => Number(x.toFixed(2))),
  node: process.version,
  chromium: run('/usr/bin/chromium', ['--version']),
  streamlit: run(join(import.meta.dirname, '.venv', 'bin', 'python'), ['-c', 'import streamlit; print(streamlit.__version__)']),
  playwright_core: readJson(join(import.meta.dirname, 'node_modules', 'playwright-core', 'package.json'))?.version ?? null,
};
const doc = { meta, runs };
if (values.out) writeFileSync(values.out, JSON.stringify(doc, null, 2) + '\n');

// ------------------------------------------------------------------ table

// Metrics: [label, getter(run) -> number|null, digits, cpu?]
const METRICS = [
  ['p50 latency (ms)', (r) => r.load?.latency_ms?.p50, 1],
  ['p99 latency (ms)', (r) => r.load?.latency_ms?.p99, 1],
  ['reruns/s', (r) => r.load?.reruns_per_s, 1],
  ['server CPU ms/rerun', (r) => r.load?.server?.cpu_ms_per_rerun, 2, true],
  ['server RSS (MiB)', (r) => r.load?.server?.rss_mib, 1],
  ['start-up (ms)', (r) => r.startup_ms, 0],
  ['errors', (r) => (r.load ? r.load.errors : null), 0],
];

// The CPU time comes in clock ticks (10 ms at CLK_TCK=100). A run that used no
// whole tick is shown as an upper bound "<x" (one tick / reruns); one that used
// fewer than COARSE_TICKS ticks as "~x" (its ratio too): ±1 tick is a large error.
const COARSE_TICKS = 5;
function cpuTicks(r) {
  const s = r.load?.server;
  if (!s || s.cpu_ms === null || s.cpu_ms === undefined || !r.load.clicks_ok) return null;
  return Math.round((s.cpu_ms * s.clk_tck) / 1000);
}
function cpuBound(r) {
  return cpuTicks(r) === 0 ? 1000 / r.load.server.clk_tck / r.load.clicks_ok : null;
}
function cpuCoarse(r) {
  const t = cpuTicks(r);
  return t !== null && t > 0 && t < COARSE_TICKS;
}

function fmt(x, digits) {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return x.toFixed(digits);
}
function ratio(a, b, aBound, bBound) {
  if (a === null || a === undefined || b === null || b === undefined) return 'n/a';
  if (bBound !== null && aBound === null) return `>${(a / bBound).toFixed(1)}`; // Brooklet under one tick
  if (aBound !== null) return 'n/a';
  if (b === 0) return a === 0 ? '1.00' : 'n/a';
  return (a / b).toFixed(2);
}

const out = [];
out.push(`Brooklet vs Streamlit ${meta.streamlit ?? '?'} in headless ${meta.chromium ?? 'Chromium'}, ${meta.cpus} CPUs, ${meta.date}`);
out.push('');
out.push('| scenario | metric | Brooklet | Streamlit | Streamlit tuned | Streamlit/Brooklet | Streamlit tuned/Brooklet |');
out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const scenario of scenarios) {
  const byFw = Object.fromEntries(FRAMEWORKS.map((fw) => [fw, runs.find((r) => r.scenario === scenario && r.framework === fw)]));
  const first = Object.values(byFw).find((r) => r?.load);
  const shape = first ? ` (${first.load.sessions}×${first.load.clicks_per_session})` : '';
  for (const [label, get, digits, isCpu] of METRICS) {
    const vals = {};
    const bounds = {};
    const coarse = {};
    const cells = FRAMEWORKS.map((fw) => {
      const r = byFw[fw];
      vals[fw] = r ? get(r) ?? null : null;
      bounds[fw] = r && isCpu ? cpuBound(r) : null;
      coarse[fw] = !!(r && isCpu && cpuCoarse(r));
      if (bounds[fw] !== null) return `<${fmt(bounds[fw], digits)}`;
      return (coarse[fw] ? '~' : '') + fmt(vals[fw], digits);
    });
    const isErrors = label === 'errors';
    const mark = (fw) => (coarse[fw] || coarse.brooklet ? '~' : '');
    const r1 = isErrors ? '' : mark('streamlit') + ratio(vals.streamlit, vals.brooklet, bounds.streamlit, bounds.brooklet);
    const r2 = isErrors ? '' : mark('streamlit_tuned') + ratio(vals.streamlit_tuned, vals.brooklet, bounds.streamlit_tuned, bounds.brooklet);
    out.push(`| ${scenario}${shape} | ${label} | ${cells.join(' | ')} | ${r1} | ${r2} |`);
  }
}
const tuned = runs.filter((r) => r.framework === 'streamlit_tuned');
if (tuned.length) {
  out.push('');
  const ok = tuned.every((r) => /TCP_NODELAY set .*after=1/.test(r.nodelay_check));
  out.push(`Streamlit tuned = --runner.postScriptGC false + TCP_NODELAY on its WebSocket sockets (patch ${ok ? 'verified in every tuned server log' : 'NOT verified in every tuned server log: see nodelay_check in the JSON'}).`);
}
out.push(`Server CPU is counted in clock ticks of ${1000 / (runs.find((r) => r.load?.server)?.load.server.clk_tck ?? 100)} ms: "<x" = under one tick in the whole click phase, "~" = fewer than ${COARSE_TICKS} ticks (coarse).`);
out.push(`Load average (1, 5, 15 min) at start: ${meta.loadavg_at_start?.join(' ') ?? 'n/a'}; at report time: ${meta.loadavg_at_report.join(' ')} (includes this run's own browser).`);
process.stdout.write(out.join('\n') + '\n');
