import { createServer } from 'node:net';

/** The repository root (a file URL ending in `/`). */
export const ROOT = new URL('../../../', import.meta.url);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds since `t0`, rounded. */
export const since = (t0) => Math.round(performance.now() - t0);

const handedOut = new Set();

/** A TCP port that was free a moment ago on loopback, never the same one twice in a run. */
export async function freePort() {
  for (let i = 0; i < 20; i++) {
    const server = createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port');
}

/**
 * Polls `check` every `intervalMs` until it returns a truthy value or
 * `timeoutMs` passes; returns the value, or undefined on timeout.
 */
export async function waitUntil(check, { timeoutMs, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; Date.now() <= deadline && i < 1_000_000; i++) {
    const value = await check();
    if (value) return value;
    await sleep(intervalMs);
  }
  return undefined;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool(items, limit, work) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/** Nearest-rank percentile of an ascending array; undefined when empty. */
export function percentile(sorted, p) {
  if (!sorted.length) return undefined;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : undefined,
  };
}
