// `npm run herald -- <command>`: operator commands on Herald's database.
// Today: `keys create | list | revoke`. It connects to DATABASE_URL, or to
// the embedded PGlite under HERALD_DATA_DIR when that is unset (stop
// `npm start` first: PGlite takes one process at a time), where it applies
// pending migrations first as `npm start` would. Like `migrate`, it needs no
// token key.
import 'reflect-metadata';
import { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@herald/config';
import { ApiKeysRepository, createDataSource, Database, isEmbedded, runMigrationsLocked } from '@herald/database';
import { CliError, keysCommand } from './keys.command.js';

/** Postgres' "undefined_table". */
const UNDEFINED_TABLE = '42P01';

let dataSource: DataSource | undefined;
const open = async () => {
  const config = loadConfig({ defaultPort: 0, role: 'migrate' });
  dataSource = createDataSource(config);
  await dataSource.initialize();
  if (isEmbedded(config)) await runMigrationsLocked(dataSource, true);
  return new ApiKeysRepository(new Database(dataSource, isEmbedded(config)));
};

const program = new Command('herald')
  .description("Herald's operator commands")
  .addCommand(keysCommand(open, { out: (line) => console.log(line), err: (line) => console.error(line) }));

try {
  await program.parseAsync();
} catch (err) {
  const code = (err as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code;
  if (err instanceof CliError) console.error(`herald: ${err.message}`);
  else if (code === UNDEFINED_TABLE) console.error('herald: the database has no api_keys table yet: run `npm run migrate` first');
  else console.error(`herald: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  if (dataSource?.isInitialized) await dataSource.destroy();
}
