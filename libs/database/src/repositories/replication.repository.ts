import type { SqlExecutor } from '../database.js';

/** A WAL position ("16/B374D848") as a number that compares. */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/** WAL positions of a primary and of its streaming replica, for judging how far behind the replica is. */
export class ReplicationRepository {
  /**
   * Where the primary's WAL inserts have got to: at or past the commit
   * record of every transaction acknowledged so far, even with
   * synchronous_commit=off (whose commit records may not be written yet).
   */
  async insertPosition(primary: SqlExecutor): Promise<bigint> {
    const [row] = await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return lsnValue(row.lsn);
  }

  /** What the replica has replayed; undefined when it is not a standby at all. */
  async replayPosition(replica: SqlExecutor): Promise<bigint | undefined> {
    const [row] = await replica.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
    return row?.lsn ? lsnValue(row.lsn) : undefined;
  }
}
