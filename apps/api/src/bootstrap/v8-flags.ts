import { setFlagsFromString } from 'node:v8';

/**
 * V8's allocation-site pretenuring off, before the api allocates anything.
 *
 * When most objects from one allocation site outlive a scavenge, V8 starts
 * allocating that site's objects straight into the old generation. At
 * 1,000 POST/s some of a request's objects did; pretenured, they die there
 * young, but the old generation is only swept by a mark-compact, and until
 * then everything they point to in the young generation survives every
 * scavenge and is promoted in turn. Measured on the api: 10 % of what it
 * allocated survived a scavenge (the Socket.IO peer's api: under 1 %),
 * scavenges took 4–5 ms each, four times a second, and a request that
 * arrives during one waits for it. Without pretenuring, scavenges took
 * 1.0–1.4 ms (docs/benchmarks.md, round 11).
 *
 * `node --allocation-site-pretenuring …` (or `--no-…`, in either of V8's
 * spellings) leaves the setting to the command line. Called by tune-v8.ts,
 * which main.ts imports first.
 */
export function tuneV8(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => arg.replaceAll('_', '-').includes('allocation-site-pretenuring'))) return false;
  setFlagsFromString('--no-allocation-site-pretenuring');
  return true;
}
