import type { Pool, PoolClient, QueryConfig } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { queryConfig } from './prepared.js';

/** What a unit of work can do: run SQL and read the rows it returns. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Raw-SQL access over the TypeORM DataSource. Herald's hot paths (seq
 * allocation, batch inserts, resume) are single statements with unnest and
 * ON CONFLICT that a query builder would only obscure.
 *
 * PGlite has one connection and no per-client transaction isolation, so in
 * embedded mode every unit of work is serialised through a promise chain;
 * on real Postgres they run concurrently over the pool, straight on the pg
 * Pool TypeORM opened: a QueryRunner per statement (subscriber broadcast,
 * logging hooks, result wrapping) cost as much CPU as the statement itself.
 */
export class Database implements SqlExecutor {
  private tail: Promise<unknown> = Promise.resolve();
  /**
   * Where the publish path's batches run: over `publishPool` when given
   * (publish-pool.ts: sessions with generic plans), else this Database.
   */
  readonly publishing: Database;

  constructor(
    readonly dataSource: DataSource,
    private readonly serialize: boolean,
    publishPool?: Pool,
    /** This Database's own pool in place of TypeORM's (the publishing view). */
    private readonly ownPool?: Pool,
  ) {
    this.publishing = publishPool ? new Database(dataSource, serialize, undefined, publishPool) : this;
  }

  /** Ends the publish path's pool, when it has one and it is not ended yet (TypeORM's own ends with the DataSource). */
  async closePublishing(): Promise<void> {
    const pool = this.publishing.ownPool;
    if (this.publishing !== this && pool && !pool.ended) await pool.end();
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const pool = this.pool();
    if (pool) return pool.query(queryConfig(sql, params)).then((r) => r.rows as T[]);
    return this.exclusive(() => this.withRunner((qr) => run<T>(qr, sql, params)));
  }

  /**
   * query(), failing after `timeoutMs` without an answer ("Query read
   * timeout", a 503): for a read that requests wait on while the database
   * may hang. pg then closes the connection rather than reuse it. PGlite is
   * in process and has no such wait.
   */
  queryWithin<T = Record<string, unknown>>(timeoutMs: number, sql: string, params?: unknown[]): Promise<T[]> {
    const pool = this.pool();
    // pg reads query_timeout from the query's config too; its types know it only on the pool's.
    if (pool) return pool.query({ ...queryConfig(sql, params), query_timeout: timeoutMs } as QueryConfig).then((r) => r.rows as T[]);
    return this.query<T>(sql, params);
  }

  /** Runs `work` in one transaction; rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const pool = this.pool();
    if (pool) return pool.connect().then((client) => inTransaction(client, work));
    return this.exclusive(() =>
      this.withRunner(async (qr) => {
        await qr.startTransaction();
        try {
          const result = await work({ query: (sql, params) => run(qr, sql, params) });
          await qr.commitTransaction();
          return result;
        } catch (err) {
          if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
          throw err;
        }
      }),
    );
  }

  /**
   * Runs `work` while no other unit of work of this Database runs: on PGlite
   * the turn every statement waits for, so a second client of the same
   * PGlite instance (the job queue in embedded mode) takes turns with ours;
   * on Postgres it runs at once.
   */
  serial<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusive(work);
  }

  /** True on the embedded single-connection PGlite. */
  get embedded(): boolean {
    return this.serialize;
  }

  async ping(): Promise<boolean> {
    try {
      await this.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** TypeORM's pg Pool (or this view's own) on real Postgres; undefined for PGlite (embedded). */
  private pool(): Pool | undefined {
    if (this.serialize) return undefined;
    return this.ownPool ?? (this.dataSource.driver as unknown as { master?: Pool }).master;
  }

  private async withRunner<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    try {
      return await fn(qr);
    } finally {
      await qr.release();
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.serialize) return fn();
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

async function run<T>(qr: QueryRunner, sql: string, params?: unknown[]): Promise<T[]> {
  const result = await qr.query(sql, params, true);
  return (result.records ?? []) as T[];
}

async function inTransaction<T>(client: PoolClient, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  let broken: Error | undefined;
  // pg-pool drops its own error listener while a client is checked out: a
  // connection lost between two statements would otherwise emit an
  // unhandled 'error' and end the process. The next statement fails anyway.
  const lost = (err: Error) => (broken = err);
  client.on('error', lost);
  try {
    await client.query('BEGIN');
    const result = await work({ query: (sql, params) => client.query(queryConfig(sql, params)).then((r) => r.rows) });
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A statement pg stopped waiting for still holds the connection: a
    // ROLLBACK would queue behind it. Closing the connection rolls back.
    if (isReadTimeout(err)) broken = err as Error;
    else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    // A connection that was lost or could not even roll back is destroyed, not reused.
    client.removeListener('error', lost);
    client.release(broken);
  }
}

/** pg's error for a statement that outlived the pool's query_timeout (publish-pool.ts). */
function isReadTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === 'Query read timeout';
}
