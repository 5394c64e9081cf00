// Who used the CPU during a measurement window. The bench machine may be
// shared (builds and test runs of other work), and a figure measured while
// something else ate a core says little about Herald. Every process is
// classified from /proc: ours (descendants of this orchestrator and the
// Postgres backends serving our databases), shared services (Postgres
// background workers, Redis), or foreign (everything else, including CPU of
// processes that exited during the window, seen only in /proc/stat).
import { readdirSync, readFileSync } from 'node:fs';
import { adminQuery } from '../../scripts/harness/databases.mjs';
import { procStat, TICKS_PER_SECOND as HZ } from '../../scripts/harness/proc-stat.mjs';
import { ourDatabasePrefix } from './infra.mjs';
import { machineCpu } from './procs.mjs';
import { sleep } from './util.mjs';

function snapshot() {
  const procs = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      procs.set(Number(name), procStat(name));
    } catch {
      // exited while we read
    }
  }
  return procs;
}

function isOurs(pid, procs) {
  for (let cur = pid, guard = 0; cur > 1 && guard < 64; guard++) {
    if (cur === process.pid) return true;
    cur = procs.get(cur)?.ppid ?? 0;
  }
  return false;
}

/** Starts a window; stop() resolves to machine, ours, shared and foreign CPU as % of the whole machine. */
export function startContention(ourDbPrefix = ourDatabasePrefix()) {
  const m0 = machineCpu();
  const p0 = snapshot();
  return async () => {
    const m1 = machineCpu();
    const p1 = snapshot();
    const dbOf = new Map();
    try {
      for (const r of await adminQuery('SELECT pid, datname FROM pg_stat_activity')) dbOf.set(r.pid, r.datname);
    } catch {
      // Postgres unreachable: its backends count as shared
    }
    const total = m1.total - m0.total;
    const busy = m1.busy - m0.busy;
    const sums = { ours: 0, shared: 0, foreign: 0 };
    for (const [pid, p] of p1) {
      const before = p0.get(pid);
      const ticks = before && before.start === p.start ? p.ticks - before.ticks : p.ticks; // new in the window: all of it
      if (ticks <= 0) continue;
      let kind = 'foreign';
      if (isOurs(pid, p1)) kind = 'ours';
      else if (p.comm === 'redis-server') kind = 'shared';
      else if (p.comm === 'postgres') {
        const db = dbOf.get(pid);
        kind = db?.startsWith(ourDbPrefix) ? 'ours' : db ? 'foreign' : 'shared';
      }
      sums[kind] += ticks;
    }
    // total is in jiffies summed over cores; per-process ticks use the same unit.
    const pct = (t) => Math.round((t / total) * 1000) / 10;
    const residual = Math.max(0, busy - sums.ours - sums.shared - sums.foreign);
    return { machinePct: pct(busy), oursPct: pct(sums.ours), sharedPct: pct(sums.shared), foreignPct: pct(sums.foreign + residual), windowS: total / HZ / (readCores() || 1) };
  };
}

function readCores() {
  return readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
}

/** A flag when other work used more than `limitPct` of the machine during the window. */
export function contentionFlags(c, limitPct = 10) {
  return c && c.foreignPct > limitPct ? [`machine shared: other processes used ${c.foreignPct} % of the machine during the window`] : [];
}

/** Waits (at most `maxMs`) until other work uses less than `limitPct` of the machine over 2 s. */
export async function waitQuiet(maxMs, limitPct = 10, log = () => undefined) {
  const end = Date.now() + maxMs;
  let c;
  for (let i = 0; Date.now() < end && i < 1000; i++) {
    const stop = startContention();
    await sleep(2000);
    c = await stop();
    if (c.foreignPct < limitPct) return c;
    if (i === 0) log(`  waiting for a quiet machine (other processes at ${c.foreignPct} %)`);
  }
  return c;
}
