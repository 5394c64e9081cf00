// Is a series flat? The judgement of the soak, on the second half of the
// steady phase (the first half holds start-up: connects, JIT, pools and
// caches filling).
//
// Memory in a garbage-collected process is a sawtooth: the api's used heap
// climbs from ~60 to ~170 MB and drops back every two minutes or so at
// 100 POST/s. A straight line through raw samples then tilts with where the
// window cuts the teeth. What a leak raises is the floor, what is left after
// each collection; so the window is cut into buckets of at least one tooth,
// and the line is fitted through each bucket's minimum. Descriptors get the
// same treatment: pool connections come and go, a leaked one never leaves.

/** Buckets the window is cut into; each must span at least one GC cycle (2 min in the full run). */
export const BUCKETS = 5;

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

/** The lowest point of each of `BUCKETS` equal time slices of the window (empty slices skipped). */
export function floor(points) {
  const t0 = points[0].t;
  const width = (points.at(-1).t - t0) / BUCKETS || 1;
  const lows = [];
  for (const p of points) {
    const i = Math.min(BUCKETS - 1, Math.floor((p.t - t0) / width));
    if (!lows[i] || p.v < lows[i].v) lows[i] = p;
  }
  return lows.filter(Boolean);
}

/**
 * Judges one series: `drift` is the rise of the line fitted through the
 * floor, across the window (slope × window). Flat when drift ≤
 * max(relative × the window's median, absolute). A fall is never a failure.
 *
 * @param points { t, v } in the second half of the steady phase
 * @param tolerance { relative, absolute } (absolute in the series' unit)
 */
export function judge(points, tolerance) {
  if (points.length < 2 * BUCKETS) return { flat: false, why: `only ${points.length} samples`, samples: points.length };
  const windowMs = points.at(-1).t - points[0].t;
  const lows = floor(points);
  const perMs = slope(lows);
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
    floor: lows.map((p) => Math.round(p.v)),
    driftOverWindow: Math.round(drift),
    perHour: Math.round(perMs * 3_600_000),
    allowed: Math.round(allowed),
  };
}

/**
 * What counts as flat. Descriptors are exact, but a process's pools open and
 * close connections (the api's Postgres pool holds up to 10), so their
 * floor may move by one pool; heap's allowance is wider than RSS's.
 */
export const TOLERANCE = {
  fds: { relative: 0.01, absolute: 16 },
  rssBytes: { relative: 0.05, absolute: 16 * 2 ** 20 },
  heapUsedBytes: { relative: 0.1, absolute: 8 * 2 ** 20 },
};
