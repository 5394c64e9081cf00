import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import type { HeraldConfig } from '@herald/config';
import { lockDataDir } from './data-dir-lock.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * The one DataSource definition, used by the apps and by `npm run migrate`.
 * Without DATABASE_URL it runs on PGlite (Postgres in WebAssembly) under the
 * data dir, which is what makes `npm start` work on a machine with nothing
 * installed. `synchronize` stays off: the schema comes from migrations only.
 * No entities: every query is raw SQL in the repositories, so mapped classes
 * would be a second, unchecked copy of the schema (they drifted once already).
 * A PGlite data dir is held by one process at a time (lockDataDir).
 */
export function createDataSource(config: Pick<HeraldConfig, 'database'>, options: { inMemory?: boolean } = {}): DataSource {
  const common = { type: 'postgres' as const, entities: [], migrations: MIGRATIONS, synchronize: false, migrationsRun: false };
  if (config.database.url) {
    return new DataSource({ ...common, url: config.database.url, extra: { max: config.database.poolSize, connectionTimeoutMillis: 5000 } });
  }
  const dataDir = options.inMemory ? undefined : join(config.database.dataDir, 'pgdata');
  const unlock = dataDir ? lockDataDir(dataDir) : undefined;
  const dataSource = new DataSource({ ...common, driver: new PGliteDriver({ dataDir }).driver });
  if (unlock) {
    const destroy = dataSource.destroy.bind(dataSource);
    dataSource.destroy = () => destroy().finally(unlock);
  }
  return dataSource;
}

/** True when the DataSource runs on the embedded single-connection PGlite. */
export function isEmbedded(config: Pick<HeraldConfig, 'database'>): boolean {
  return !config.database.url;
}
