// Whose CPU an ingest round costs on the database's side: every Postgres
// process, by what it does (the backends serving the api, autovacuum, the WAL
// writer, the checkpointer, ...). Counted from /proc, so only when Postgres
// runs on this machine. The total counts processes that exited during the
// window too (the postmaster's reaped-children counter holds their CPU), up
// to one that exits in the instant between two reads; a sampler reads the
// live ones every 200 ms so that short-lived ones (an autovacuum worker, a
// backend that exits at the api's stop) are put under their kind too, up to
// their last 200 ms, which stay in "exited".
import { readdirSync, readFileSync } from 'node:fs';
import { procStat, TICKS_PER_SECOND } from '../../scripts/harness/proc-stat.mjs';
import { perRow } from '../lib/util.mjs';

const SAMPLE_MS = 200;
/** Process title → kind; the first match wins; anything else serves a client, of our database ('backends') or another. */
const KINDS = [
  ['autovacuum', /autovacuum/],
  ['walwriter', /walwriter/],
  ['checkpointer', /checkpointer/],
  ['bgwriter', /background writer/],
  ['walsender', /walsender/],
  ['other background', /logical replication|stats collector|archiver|startup/],
];

/** Undefined while a just-forked backend still shows the postmaster's command line: the next sample tries again. */
function kindOf(pid, database) {
  const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  if (!title.startsWith('postgres: ')) return undefined;
  const kind = KINDS.find(([, re]) => re.test(title))?.[0];
  if (kind) return kind;
  // A backend's title: "postgres: <cluster>: <user> <database> <host>(<port>) <activity>".
  return title.split(' ').includes(database) ? 'backends' : 'other databases';
}

function safeKind(pid, database) {
  try {
    return kindOf(pid, database);
  } catch {
    return undefined; // exited while we read
  }
}

function children(postmaster) {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = procStat(name);
      if (stat.ppid === postmaster) found.push({ pid: Number(name), ...stat });
    } catch {
      // exited while we read
    }
  }
  return found;
}

/**
 * Starts counting; stop() answers CPU seconds by kind, with `total`, `ours` (less other databases' backends)
 * and `exited` (what the sampler could not place: the last moments of processes that exited). Null when Postgres is
 * not on this machine.
 */
export async function startPostgresCpu(db) {
  let postmaster;
  let database;
  try {
    // The checkpointer lives as long as the server (a backend of db.query's may exit at once).
    const [{ pid, name }] = await db.query(`SELECT pid, current_database() AS name FROM pg_stat_activity WHERE backend_type = 'checkpointer'`);
    postmaster = procStat(pid).ppid;
    database = name;
  } catch {
    return null;
  }
  const own = () => {
    const s = procStat(postmaster);
    return s.ticks + s.reapedTicks;
  };
  const ownBefore = own();
  /** `pid:start` → { kind, first, last } ticks; `first` 0 for a process born after the window opened. */
  const seen = new Map();
  const sample = (opening) => {
    for (const c of children(postmaster)) {
      const key = `${c.pid}:${c.start}`;
      const known = seen.get(key);
      if (known) {
        known.last = c.ticks;
        known.kind ??= safeKind(c.pid, database);
      } else seen.set(key, { kind: safeKind(c.pid, database), first: opening ? c.ticks : 0, last: c.ticks });
    }
  };
  sample(true);
  const liveBefore = [...seen.values()].reduce((s, p) => s + p.first, 0);
  const timer = setInterval(() => sample(false), SAMPLE_MS).unref();
  return () => {
    clearInterval(timer);
    sample(false);
    const live = children(postmaster).reduce((s, c) => s + c.ticks, 0);
    const byKind = {};
    for (const p of seen.values()) {
      const kind = p.kind ?? 'backends';
      byKind[kind] = (byKind[kind] ?? 0) + (p.last - p.first) / TICKS_PER_SECOND;
    }
    const total = (own() - ownBefore + live - liveBefore) / TICKS_PER_SECOND;
    const placed = Object.values(byKind).reduce((a, b) => a + b, 0);
    // `ours`: all of it but other databases' backends (a dev server, another run beside the bench).
    return { ...byKind, exited: Math.max(0, total - placed), total, ours: total - (byKind['other databases'] ?? 0) };
  };
}

/** CPU seconds by kind → microseconds per inserted row. */
export function perRowUs(seconds, rows) {
  return Object.fromEntries(Object.entries(seconds).map(([k, s]) => [k, perRow(s * 1e6, rows, 0)]));
}
