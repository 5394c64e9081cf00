// Small helpers shared by the orchestrator and the load clients. Waiting is
// the shared harness's (scripts/harness/wait.mjs); `sleep` is passed on for
// the scenarios.

export { sleep } from '../../scripts/harness/wait.mjs';

/**
 * Milliseconds on the machine's monotonic clock (CLOCK_MONOTONIC), with
 * sub-millisecond resolution. Every process shares it and nothing steps it,
 * so a send time stamped by the publisher can be subtracted from an arrival
 * time taken by a socket client. (performance.timeOrigin is the wall clock
 * read once at each process's start: after a step of the wall clock, two
 * processes started on either side of it disagree, and a run at 11:27 on
 * 2026-11-30 measured frames arriving before they were sent.)
 */
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Rejects after `ms` with a message naming what timed out. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

/** Adds the counts of `b` into `a` ({ code: count } maps). */
/** `n` spread over `rows` (at least 1), rounded to `digits` decimals: the bench's per-row figures. */
export const perRow = (n, rows, digits = 2) => round(Number(n) / Math.max(rows, 1), digits);

export function addCounts(a, b) {
  for (const [k, v] of Object.entries(b ?? {})) a[k] = (a[k] ?? 0) + v;
  return a;
}

export function median(xs) {
  const s = xs.filter(Number.isFinite).sort((x, y) => x - y);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function log(...args) {
  const t = new Date().toISOString().slice(11, 19);
  console.log(`[bench ${t}]`, ...args);
}
