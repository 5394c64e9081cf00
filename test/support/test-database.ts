import { createDataSource } from '@herald/database';
import { createDatabase, databaseUrl, dropDatabase } from '../../scripts/harness/databases.mjs';
import { uniqueName } from './test-env.js';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates a database of its own for this test file, migrated, and a way to drop it. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = uniqueName('herald_test');
  await createDatabase(name);
  const url = databaseUrl(name);
  if (options.migrate ?? true) {
    const dataSource = createDataSource({ database: { url, poolSize: 2, dataDir: '' } });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
  }
  return { url, name, drop: () => dropDatabase(name) };
}
