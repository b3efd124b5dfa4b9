// What the browser benchmarks share (dataframe.mjs, charts.mjs): a free
// port on 127.0.0.1, a health check, and a process's resident memory.

import { readFileSync } from 'node:fs';
import net from 'node:net';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
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

/** Whether `url` answers 2xx. */
export async function healthy(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** The resident memory of process `pid` in MiB (NaN when it is gone). */
export function rssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}
