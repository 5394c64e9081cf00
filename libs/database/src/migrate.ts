// `npm run migrate`: applies pending migrations to DATABASE_URL and exits.
import 'reflect-metadata';
import { loadConfig } from '@herald/config';
import { createDataSource, isEmbedded } from './data-source.js';
import { runMigrationsLocked } from './run-migrations.js';

const config = loadConfig({ defaultPort: 0, role: 'migrate' });
const dataSource = createDataSource(config);
await dataSource.initialize();
const applied = await runMigrationsLocked(dataSource, isEmbedded(config));
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
await dataSource.destroy();
