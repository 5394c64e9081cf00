// Small helpers of the rehearsal's own; waiting, ports and processes are
// the shared harness's (scripts/harness).

/** Milliseconds since `t0`, rounded. */
export const since = (t0) => Math.round(performance.now() - t0);

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
