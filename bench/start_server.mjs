#!/usr/bin/env node
// Start one benchmark server on a free 127.0.0.1 port and time its start-up.
//
//   node start_server.mjs --health /_stcore/health --log FILE [--timeout-s 60] -- CMD ARGS...
//
// Every "{port}" in CMD ARGS is replaced by a free port. The server is spawned
// detached (its own process group, output to --log) and the health path is
// polled every 2 ms (bounded by --timeout-s) until it answers 200. Prints one
// JSON line: {"pid", "port", "url", "startup_ms"}, where startup_ms runs from
// just before spawn() to the first 200, then exits and leaves the server
// running: the caller stops it with `kill -- -PID` (or `kill PID`).
// On failure the server is killed and the exit code is 1.

import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { parseArgs } from 'node:util';

function fail(message) {
  process.stderr.write(`start_server: ${message}\n`);
  process.exit(1);
}

const dash = process.argv.indexOf('--');
if (dash < 0 || dash === process.argv.length - 1) fail('usage: start_server.mjs --health PATH --log FILE [--timeout-s T] -- CMD ARGS...');
const { values } = parseArgs({
  args: process.argv.slice(2, dash),
  options: {
    health: { type: 'string' },
    log: { type: 'string' },
    'timeout-s': { type: 'string', default: '60' },
  },
  strict: true,
});
if (!values.health || !values.log) fail('--health and --log are required');
const timeoutMs = Math.min(600, Math.max(1, Number(values['timeout-s']) || 60)) * 1000;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: values.health, timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

const port = await freePort();
const [cmd, ...args] = process.argv.slice(dash + 1).map((a) => a.replaceAll('{port}', String(port)));
const logFd = openSync(values.log, 'w');

const t0 = performance.now();
const child = spawn(cmd, args, { detached: true, stdio: ['ignore', logFd, logFd] });
closeSync(logFd);
let exited = null;
child.on('exit', (code, signal) => { exited = { code, signal }; });
child.on('error', (err) => { exited = { error: err.message }; });

const deadline = t0 + timeoutMs;
let ok = false;
while (performance.now() < deadline && exited === null) {
  if (await healthy(port)) { ok = true; break; }
  await new Promise((r) => setTimeout(r, 2));
}
const startupMs = performance.now() - t0;

if (!ok) {
  if (exited === null) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  fail(exited ? `server exited before it was healthy: ${JSON.stringify(exited)} (log: ${values.log})`
    : `server not healthy on port ${port} within ${timeoutMs / 1000} s (log: ${values.log})`);
}
child.unref();
process.stdout.write(JSON.stringify({
  pid: child.pid,
  port,
  url: `http://127.0.0.1:${port}/`,
  startup_ms: Number(startupMs.toFixed(1)),
}) + '\n');
process.exit(0);
