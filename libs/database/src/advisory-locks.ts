import type { SqlExecutor } from './database.js';

// Keys of the Postgres advisory locks Herald takes: any fixed numbers, kept
// in this one file so two features never share a key by accident.

/** Session lock around a migration run: pods that boot together take turns. */
export const MIGRATION_LOCK_KEY = 727_001;
/** Transaction lock of a retention batch: one replica cleans up at a time. */
export const RETENTION_LOCK_KEY = 727_002;
/** Transaction lock of a snooze wake-up batch: one replica wakes snoozed notifications at a time. */
export const SNOOZE_WAKER_LOCK_KEY = 727_003;

/** Transaction-scoped advisory locks; a class so services can be tested with a fake. */
export class AdvisoryLocks {
  /**
   * Takes `key` for the rest of the caller's transaction, without waiting:
   * false means another transaction holds it right now.
   */
  async tryForTransaction(tx: SqlExecutor, key: number): Promise<boolean> {
    const [row] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [key]);
    return row?.locked === true;
  }
}
