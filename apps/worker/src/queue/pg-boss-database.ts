import { fromPglite, type Db as IDatabase } from 'pg-boss';
import { getPGliteInstance } from 'typeorm-pglite';
import type { Database, SqlExecutor } from '@herald/database';

/**
 * pg-boss on embedded PGlite: pg-boss's own PGlite adapter over the one
 * PGlite instance TypeORM opened, with every statement taking its turn in
 * Database's queue (PGlite has one connection: a pg-boss statement must
 * never land inside one of our transactions, nor ours inside its).
 */
export async function pgliteQueueDatabase(db: Database): Promise<IDatabase> {
  const inner = fromPglite(await getPGliteInstance());
  const wrapped: IDatabase = {
    ...inner,
    executeSql: (text, values) => db.serial(() => inner.executeSql(text, values)),
  };
  return wrapped;
}

/** pg-boss statements inside one of our transactions (the outbox drain's), so jobs commit with it. */
export function inTransaction(tx: SqlExecutor): IDatabase {
  return { executeSql: async (text, values) => ({ rows: await tx.query(text, values) }) };
}
