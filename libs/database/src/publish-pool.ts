import pg from 'pg';

/** Connections of the publish path: its group commit runs at most two batches for notifications and two for topics. */
const PUBLISH_POOL_SIZE = 4;

/**
 * The pool the publish path's batches run on (Database.publishing), on
 * sessions that plan every statement generically.
 *
 * Why its own sessions: the append statement is prepared once per
 * connection (prepared()), yet Postgres re-planned it on every execution.
 * Its parameters are arrays, so each custom plan knows the batch's real
 * size while the generic plan must assume ten rows, and the plan cache
 * never found the generic one cheaper. Planning was 0.2 of the 0.45 ms a
 * one-POST append took in Postgres (docs/benchmarks.md). The generic plan
 * hash-joins the arrays, which is as fast from one row to 500. Reads keep
 * the main pool and Postgres's usual choice: a generic plan is a guess
 * without the parameters' values (a LIMIT, a time range), and only the
 * publish path's statements were measured with it.
 */
export function createPublishPool(url: string, onProblem: (message: string) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: PUBLISH_POOL_SIZE,
    connectionTimeoutMillis: 5000,
  });
  // A SET queued ahead of the first statement, not the `options` startup
  // parameter: PgBouncer refuses a connection that sends one. Behind a
  // transaction-mode PgBouncer the setting may not follow the statement;
  // Postgres then plans as it would have, which costs time, never rows.
  pool.on('connect', (client) => {
    client.query('SET plan_cache_mode = force_generic_plan').catch((err: Error) => onProblem(`publish pool setting: ${err.message}`));
  });
  // An idle client whose server went away must not crash the process: the next batch reconnects.
  pool.on('error', (err) => onProblem(`publish pool connection: ${err.message}`));
  return pool;
}
