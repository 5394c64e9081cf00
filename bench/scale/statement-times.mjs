// Where the database's time goes during ingest, statement by statement, when
// the server has pg_stat_statements loaded (shared_preload_libraries; it needs
// a restart, so the bench never turns it on itself): execution time, blocks
// and WAL per inserted row for the statements that took most, over warm-up
// and window. Without it, nothing is recorded.
import { perRow } from '../lib/util.mjs';

const LOADED = `SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS loaded`;
const TOP = `
  SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS statement, calls::bigint AS calls, total_exec_time AS ms,
         shared_blks_hit::bigint AS hit, shared_blks_read::bigint AS read, shared_blks_dirtied::bigint AS dirtied, wal_fpi::bigint AS fpi, wal_bytes::bigint AS wal
    FROM pg_stat_statements
   WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
   ORDER BY total_exec_time DESC LIMIT $1`;

/** Resets the database's statement counters; false when pg_stat_statements is not loaded. */
export async function resetStatementTimes(db) {
  const [{ loaded }] = await db.query(LOADED);
  if (!loaded) return false;
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await db.query('SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)');
  return true;
}

/** The `top` statements by total time since the reset, per inserted row. */
export async function statementTimesPerRow(db, rows, top = 5) {
  return (await db.query(TOP, [top])).map((s) => ({
    statement: s.statement,
    calls: Number(s.calls),
    usPerRow: perRow(s.ms * 1000, rows, 0),
    msPerCall: perRow(s.ms, Number(s.calls), 3),
    hitPerRow: perRow(s.hit, rows),
    readPerRow: perRow(s.read, rows),
    dirtiedPerRow: perRow(s.dirtied, rows),
    fullPagesPerRow: perRow(s.fpi, rows),
    walBytesPerRow: perRow(s.wal, rows, 0),
  }));
}
