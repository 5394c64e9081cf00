// Is a series flat? The judgement of the soak, over its steady phase.
//
// A leak raises what a process holds for good, but nothing a Node process
// holds moves in a straight line. Its used heap is a sawtooth: the api's
// climbs from ~60 to ~170 MB and drops back every two minutes or so at
// 100 POST/s, so a line through raw samples tilts with where the window
// cuts the teeth. Its RSS climbs to a plateau and falls back only when V8
// and the allocator hand pages back, every few minutes. Each quantity is
// therefore judged on the statistic its own cycle leaves steady:
//
// - `floor` (heap, descriptors): the second half of the steady phase (the
//   first holds start-up: connects, JIT, pools and caches filling) is cut
//   into five buckets of at least one GC cycle; a line is fitted through
//   each bucket's minimum, what is left after each collection. Descriptors
//   too: pool connections come and go, a leaked one never leaves.
// - `peak` (RSS): the high-water mark of the second half against that of
//   the first. A plateau keeps its height; a leak keeps raising it.

/** Buckets a floor window is cut into; each must span at least one GC cycle (2 min in the full run). */
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

const highest = (points) => Math.max(...points.map((p) => p.v));

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
 * Judges one series over the steady phase. `drift` is the rise the
 * statistic shows: the floor line's rise across the second half (slope ×
 * window), or the second half's high-water mark above the first's. Flat
 * when drift ≤ max(relative × the second half's median, absolute); a fall
 * is never a failure.
 *
 * @param points { t (ms), v } of the whole steady phase, in time order
 * @param tolerance { relative, absolute } (absolute in the series' unit)
 * @param statistic 'floor' | 'peak'
 */
export function judge(points, tolerance, statistic) {
  const from = points.length ? points[0].t + (points.at(-1).t - points[0].t) / 2 : 0;
  const first = points.filter((p) => p.t < from);
  const window = points.filter((p) => p.t >= from);
  if (window.length < 2 * BUCKETS || first.length === 0) return { flat: false, why: `only ${points.length} samples`, samples: points.length, statistic };
  const windowMs = window.at(-1).t - window[0].t;
  const mid = median(window.map((p) => p.v));
  const allowed = Math.max(tolerance.relative * mid, tolerance.absolute);
  const shape =
    statistic === 'peak'
      ? { peaks: [highest(first), highest(window)], drift: highest(window) - highest(first) }
      : (() => {
          const lows = floor(window);
          return { floor: lows.map((p) => Math.round(p.v)), drift: slope(lows) * windowMs };
        })();
  return {
    flat: shape.drift <= allowed,
    statistic,
    samples: window.length,
    windowMinutes: +(windowMs / 60_000).toFixed(1),
    median: Math.round(mid),
    min: Math.min(...window.map((p) => p.v)),
    max: highest(window),
    ...(shape.floor ? { floor: shape.floor } : { peaks: shape.peaks }),
    driftOverWindow: Math.round(shape.drift),
    allowed: Math.round(allowed),
  };
}

/**
 * What counts as flat, and by which statistic. Descriptors are exact, but a
 * process's pools open and close connections (the api's Postgres pool holds
 * up to 10), so their floor may move by one pool; heap's allowance is wider
 * than RSS's.
 */
export const TOLERANCE = {
  fds: { relative: 0.01, absolute: 16, statistic: 'floor' },
  rssBytes: { relative: 0.05, absolute: 16 * 2 ** 20, statistic: 'peak' },
  heapUsedBytes: { relative: 0.1, absolute: 8 * 2 ** 20, statistic: 'floor' },
};
