// Every number the bench reports is a "figure": a value, the reference
// measured in the same run, their ratio, the target and whether it is met,
// and whether it may be quoted at all (not when a load client was saturated
// or the load was not fully offered).
import { TARGETS } from './profiles.mjs';
import { round } from './util.mjs';

/**
 * Flags that make a measurement unquotable: a load client that was saturated
 * (busy > 85 % of a core: the client is the bottleneck) or starved (its event
 * loop ran late because the machine was overloaded). For a time figure of
 * `magnitudeMs` (a latency p99, a round or storm duration) a starved client
 * whose delay is under 10 % of it cannot change the figure much and is not
 * flagged; throughput figures pass no magnitude and are always flagged.
 */
export function loadFlags(loads = [], magnitudeMs = 0) {
  const flags = [];
  for (const l of loads.filter(Boolean)) {
    if (!l.saturated) continue;
    const busy = l.cpuPct > 85;
    if (!busy && magnitudeMs && l.lagP99Ms < 0.1 * magnitudeMs) continue;
    flags.push(`load client ${l.pid} ${busy ? 'saturated' : 'starved of CPU'} (event-loop delay p99 ${round(l.lagP99Ms, 1)} ms, CPU ${round(l.cpuPct, 0)} % of a core)`);
  }
  return flags;
}

/** What went wrong on the server's side (still a valid measurement): skipped and failed requests. */
export function requestNotes({ skipped = 0, errors = {} } = {}) {
  const notes = [];
  if (skipped) notes.push(`${skipped} requests not sent by the deadline (in-flight cap reached: the server fell behind)`);
  const failed = Object.entries(errors).filter(([, n]) => n);
  if (failed.length) notes.push(`request errors ${JSON.stringify(Object.fromEntries(failed))}`);
  return notes;
}

export class Figures {
  constructor(profileName) {
    this.profileName = profileName;
    this.list = [];
  }

  /**
   * Adds a figure. `reference` is { value, label } (a same-run measurement)
   * or null; the ratio is value / reference. `flags` make it unquotable.
   */
  add({ key, scenario, label, value, unit, reference = null, secondary = null, flags = [], notes = [], runs, ...extra }) {
    const ratio = reference && Number.isFinite(reference.value) && reference.value !== 0 && Number.isFinite(value) ? value / reference.value : null;
    const fig = { key, scenario, label, value: round(value, 3), unit, reference, ratio: round(ratio, 3), secondary, runs, flags, notes, quotable: flags.length === 0, ...extra };
    const target = TARGETS[key];
    if (target) {
      fig.target = target.text;
      // A scenario may decide itself (e.g. not every socket came back: no time to judge, but missed).
      if (fig.met === undefined) fig.met = this.profileName === 'full' && Number.isFinite(value) ? Boolean(target.check(value, fig)) : null;
    }
    if (secondary && Number.isFinite(secondary.value) && secondary.value !== 0) secondary.ratio = round(value / secondary.value, 4);
    this.list = this.list.filter((f) => f.key !== key).concat(fig);
    return fig;
  }
}

/** Worst of several runs: the highest latency / loss, the lowest throughput. */
export const worst = (values, higherIsBetter) => (higherIsBetter ? Math.min(...values) : Math.max(...values));
