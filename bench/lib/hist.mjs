// HDR histograms of latencies in microseconds. Each load client records its
// own, encodes it (compressed base64) and the orchestrator decodes and adds
// them, so percentiles are exact over every sample of every process.
import hdr from 'hdr-histogram-js';

const HIGHEST_US = 10 * 60 * 1e6; // 10 minutes; anything later is clamped

export function newHistogram() {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

/** Records a latency given in milliseconds (fractional allowed). */
export function recordMs(h, ms) {
  const us = Math.round(ms * 1000);
  h.recordValue(Math.min(Math.max(us, 1), HIGHEST_US));
}

export const encode = (h) => hdr.encodeIntoCompressedBase64(h);

/** Decodes and adds every encoded histogram into a fresh one. */
export function merge(encoded) {
  const total = newHistogram();
  for (const e of encoded) if (e) total.add(hdr.decodeFromCompressedBase64(e));
  return total;
}

/** Count and percentiles in milliseconds (NaN-free: an empty histogram reports nulls). */
export function summarize(h) {
  const ms = (us) => Math.round(us) / 1000;
  if (!h.totalCount) return { count: 0, p50: null, p90: null, p99: null, p999: null, max: null, mean: null };
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}
