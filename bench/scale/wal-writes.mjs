// What ingest writes to the WAL, per row: records, full-page images and
// bytes (pg_stat_wal), and the checkpoints meanwhile (pg_stat_bgwriter).
// After a checkpoint, the first change to each page logs the whole 8 KB page;
// an insert that lands on pages spread over a million users touches pages
// not changed since the last checkpoint far more often than one spread over
// 50,000. Both views are for the whole server: nothing else may write
// during a round.
import { perRow } from '../lib/util.mjs';

const WAL = `
  SELECT w.wal_records AS records, w.wal_fpi AS fpi, w.wal_bytes AS bytes,
         b.checkpoints_timed + b.checkpoints_req AS checkpoints, b.checkpoints_req AS requested
    FROM pg_stat_wal w, pg_stat_bgwriter b`;

export async function walWrites(db) {
  const [row] = await db.query(WAL);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

/** The change from `before` to `after`, per inserted row where that is meaningful. */
export function walWritesPerRow(before, after, rows) {
  const per = (k, digits = 2) => perRow(after[k] - before[k], rows, digits);
  return {
    recordsPerRow: per('records'),
    fullPagesPerRow: per('fpi'),
    bytesPerRow: per('bytes', 0),
    checkpoints: after.checkpoints - before.checkpoints,
    requestedCheckpoints: after.requested - before.requested,
  };
}
