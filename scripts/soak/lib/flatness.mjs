// Is a series flat? The judgement of the soak, on the second half of the
// steady phase (the first half holds start-up: connects, JIT, pools and
// caches filling), where a leak shows as a steady climb and noise does not.

/** Least-squares slope of { t (ms), v } points, per millisecond; 0 with fewer than two. */
export function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : 0;
};

/**
 * Judges one series: `drift` is the fitted line's rise across the window
 * (slope × window). Flat when drift ≤ max(relative × the window's median,
 * absolute). A fall is never a failure.
 *
 * @param points { t, v } in the second half of the steady phase
 * @param tolerance { relative, absolute } (absolute in the series' unit)
 */
export function judge(points, tolerance) {
  if (points.length < 3) return { flat: false, why: `only ${points.length} samples`, samples: points.length };
  const windowMs = points.at(-1).t - points[0].t;
  const perMs = slope(points);
  const mid = median(points.map((p) => p.v));
  const allowed = Math.max(tolerance.relative * mid, tolerance.absolute);
  const drift = perMs * windowMs;
  return {
    flat: drift <= allowed,
    samples: points.length,
    windowMinutes: +(windowMs / 60_000).toFixed(1),
    median: Math.round(mid),
    min: Math.min(...points.map((p) => p.v)),
    max: Math.max(...points.map((p) => p.v)),
    driftOverWindow: Math.round(drift),
    perHour: Math.round(perMs * 3_600_000),
    allowed: Math.round(allowed),
  };
}

/**
 * What counts as flat. Descriptors are exact (a leaked socket is one more
 * for good), so their allowance is small; heap moves with every GC cycle,
 * so its allowance is wider than RSS's.
 */
export const TOLERANCE = {
  fds: { relative: 0.01, absolute: 10 },
  rssBytes: { relative: 0.05, absolute: 16 * 2 ** 20 },
  heapUsedBytes: { relative: 0.1, absolute: 8 * 2 ** 20 },
};
