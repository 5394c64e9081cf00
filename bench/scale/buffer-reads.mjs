// Where ingest's page reads come from: Postgres counts, per table and index,
// the blocks it found in its own buffer cache (hit) and those it had to read
// from the kernel (read; the page cache or the disk). Their change over an
// ingest window, per row inserted, says which relations no longer fit
// shared_buffers at a given size. Over warm-up and window together, so a
// round's first loads of pages count too.
import { perRow } from '../lib/util.mjs';

const STATS = `
  SELECT schemaname || '.' || relname AS relation, coalesce(heap_blks_read, 0) + coalesce(toast_blks_read, 0) AS read,
         coalesce(heap_blks_hit, 0) + coalesce(toast_blks_hit, 0) AS hit
    FROM pg_statio_user_tables
  UNION ALL
  SELECT schemaname || '.' || indexrelname, idx_blks_read, idx_blks_hit FROM pg_statio_user_indexes`;
const OTHERS = 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';

/** The counters now, by relation (partitions each by name). */
export async function bufferReads(db) {
  const rows = await db.query(STATS);
  return new Map(rows.map((r) => [r.relation, { read: Number(r.read), hit: Number(r.hit) }]));
}

/**
 * The counters once no other session is connected (up to 10 s): a backend
 * reports its counters as it exits, which can be after its client has gone.
 */
export async function bufferReadsOnceAlone(db) {
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const [{ n }] = await db.query(OTHERS);
    if (n === 0) break;
  }
  return bufferReads(db);
}

/** The change from `before` to `after` per inserted row: totals, the hit share, and the `top` relations by blocks read. */
export function bufferReadsPerRow(before, after, rows, top = 6) {
  const delta = [...after].map(([relation, a]) => {
    const b = before.get(relation) ?? { read: 0, hit: 0 };
    return { relation, read: a.read - b.read, hit: a.hit - b.hit };
  });
  const read = delta.reduce((s, d) => s + d.read, 0);
  const hit = delta.reduce((s, d) => s + d.hit, 0);
  return {
    readsPerRow: perRow(read, rows),
    hitsPerRow: perRow(hit, rows),
    hitPct: read + hit ? Math.round((hit / (read + hit)) * 1000) / 10 : null,
    topReads: delta
      .filter((d) => d.read > 0)
      .sort((x, y) => y.read - x.read)
      .slice(0, top)
      .map((d) => ({ relation: d.relation, readsPerRow: perRow(d.read, rows), hitPct: Math.round((d.hit / (d.read + d.hit)) * 1000) / 10 })),
  };
}
