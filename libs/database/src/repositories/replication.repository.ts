import type { SqlExecutor } from '../database.js';

/** A WAL position ("16/B374D848") as a number that compares. */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/** Sizes of a WAL page header: the first page of a segment has the long one. */
const SHORT_PAGE_HEADER = 24n;
const LONG_PAGE_HEADER = 40n;

/** WAL positions of a primary and of its streaming replica, for judging how far behind the replica is. */
export class ReplicationRepository {
  /**
   * Where the primary's WAL inserts have got to: at or past the end of the
   * commit record of every transaction acknowledged so far, even with
   * synchronous_commit=off (whose commit records may not be written yet).
   * At a page boundary Postgres answers the position past the next page's
   * header, which no record ends at; the boundary itself is answered then,
   * so an idle primary's position is one its replica can reach.
   */
  async insertPosition(primary: SqlExecutor): Promise<bigint> {
    const [row] = await primary.query<{ lsn: string; block: string; segment: string }>(
      `SELECT pg_current_wal_insert_lsn()::text AS lsn, current_setting('wal_block_size') AS block, current_setting('wal_segment_size') AS segment`,
    );
    const lsn = lsnValue(row.lsn);
    const segment = BigInt(row.segment.endsWith('MB') ? Number.parseInt(row.segment, 10) * 1024 * 1024 : Number(row.segment));
    if (lsn % segment === LONG_PAGE_HEADER) return lsn - LONG_PAGE_HEADER;
    if (lsn % BigInt(row.block) === SHORT_PAGE_HEADER) return lsn - SHORT_PAGE_HEADER;
    return lsn;
  }

  /** What the replica has replayed; undefined when it is not a standby at all. */
  async replayPosition(replica: SqlExecutor): Promise<bigint | undefined> {
    const [row] = await replica.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
    return row?.lsn ? lsnValue(row.lsn) : undefined;
  }
}
