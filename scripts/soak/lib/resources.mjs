// What a process holds, read from outside it: resident memory and open file
// descriptors from /proc, V8's used heap from its own /metrics (prom-client's
// default nodejs_heap_size_used_bytes).
import { readdirSync, readFileSync } from 'node:fs';
import { httpGet } from '../../harness/network.mjs';

const SCRAPE_TIMEOUT_MS = 3000;
const HEAP_USED = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m;

/** { rssBytes, fds } of a live process; undefined once it is gone. */
export function procResources(pid) {
  try {
    const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return { rssBytes: kb * 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return undefined;
  }
}

/**
 * Used heap in bytes from /metrics on the first of `ports` that answers
 * (the metrics port when the process has one, else its main port);
 * undefined when none does in time.
 */
export async function heapUsedBytes(ports) {
  for (const port of ports) {
    try {
      const res = await httpGet(port, '/metrics', SCRAPE_TIMEOUT_MS);
      const match = res.status === 200 ? HEAP_USED.exec(res.body) : null;
      if (match) return Number(match[1]);
    } catch {
      // next port
    }
  }
  return undefined;
}
