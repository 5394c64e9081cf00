import type { DataSource } from 'typeorm';
import { MIGRATION_LOCK_KEY } from './advisory-locks.js';

/**
 * Applies pending migrations while holding a Postgres advisory lock, so api
 * pods that boot together (or their migrate init containers) take turns
 * instead of racing to create the same tables. PGlite has one connection
 * and one process, so it needs no lock.
 */
export async function runMigrationsLocked(dataSource: DataSource, embedded: boolean): Promise<string[]> {
  if (embedded) return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}
