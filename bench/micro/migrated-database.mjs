// A micro benchmark's own database: created, migrated to today's schema,
// and a client on it with synchronous_commit off (the publish pool's
// setting). The caller drops it with dropDatabase(name).
import pg from 'pg';
import { createDataSource } from '../../dist/libs/database/src/data-source.js';
import { createDatabase, databaseUrl } from '../../scripts/harness/databases.mjs';

/** Creates and migrates database `name`; answers a connected client. */
export async function openMigratedDatabase(name) {
  await createDatabase(name);
  const dataSource = createDataSource({ database: { url: databaseUrl(name), poolSize: 1, dataDir: '' } });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  await client.query('SET synchronous_commit = off');
  return client;
}
