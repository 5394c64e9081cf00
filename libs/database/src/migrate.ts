// `npm run migrate`: applies pending migrations to DATABASE_URL and exits.
import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { createDataSource } from './data-source.js';

const config = loadConfig({ defaultPort: 0 });
const dataSource = createDataSource(config);
await dataSource.initialize();
const applied = await dataSource.runMigrations({ transaction: 'each' });
console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'schema is up to date');
await dataSource.destroy();
