import pg from 'pg';

/** Connections of the publish path: its group commit runs at most two batches for notifications and two for topics. */
export const PUBLISH_POOL_SIZE = 4;

/**
 * Longest the publish path waits for one statement's answer (ms). A
 * database that stops answering (frozen, or cut off without a reset) would
 * otherwise hold a batch, its requests and its connection for as long as
 * the stall lasts. Past it the statement fails as unavailable (503) and its
 * connection is closed, not reused. Whether the statement committed is
 * then unknown: a client retries with the same Idempotency-Key.
 */
export const PUBLISH_QUERY_TIMEOUT_MS = 10_000;
/**
 * The server's own limit, a second earlier: a Postgres that is slow rather
 * than gone cancels the statement and rolls back, so the client's answer
 * (503) is a definite "not written" instead of a statement left running.
 */
const STATEMENT_TIMEOUT_MS = PUBLISH_QUERY_TIMEOUT_MS - 1000;
/** A transaction whose client went away (its connection closed on a frozen network) gives up its locks after this. */
const IDLE_IN_TRANSACTION_MS = PUBLISH_QUERY_TIMEOUT_MS;

/**
 * The pool the publish path's batches run on (Database.publishing). Its
 * sessions plan every statement generically: the append, and also the
 * key claims, the preference check, the stored answers, the grouping and
 * the topic writes of a batch.
 *
 * Why the path has sessions of its own: the append statement is prepared
 * once per connection (prepared()), yet Postgres planned it again on every
 * execution. Its parameters are arrays, so a custom plan knows the batch's
 * real size while the generic plan must assume ten rows, and the plan cache
 * never found the generic plan cheaper. Planning was 0.2 ms of the 0.45 ms
 * a one-POST append took (docs/benchmarks.md). The generic plan hash-joins
 * the arrays and is as fast from one row to 500. Reads stay on the main
 * pool, where Postgres chooses as usual: a generic plan is a guess made
 * without the parameters' values (a LIMIT, a time range), and only the
 * publish path was measured with it.
 */
export function createPublishPool(url: string, onProblem: (message: string) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: PUBLISH_POOL_SIZE,
    connectionTimeoutMillis: 5000,
    query_timeout: PUBLISH_QUERY_TIMEOUT_MS,
    // This runs before pg-pool hands the connection out. The settings are
    // set in the session rather than sent as the `options` startup
    // parameter, because PgBouncer refuses a connection that sends one
    // (docs/deployment.md has the transaction-mode caveat). If this fails,
    // the connection is broken: pg-pool closes it and the checkout fails
    // like any other lost connection.
    onConnect: async (client) => {
      await client.query(
        `SELECT set_config('plan_cache_mode', 'force_generic_plan', false),
                set_config('statement_timeout', '${STATEMENT_TIMEOUT_MS}', false),
                set_config('idle_in_transaction_session_timeout', '${IDLE_IN_TRANSACTION_MS}', false)`,
      );
    },
  });
  // An idle client whose server went away must not crash the process: the next batch reconnects.
  pool.on('error', (err) => onProblem(`publish pool connection: ${err.message}`));
  return pool;
}
