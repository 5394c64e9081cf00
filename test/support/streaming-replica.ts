import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { DATABASE_ADMIN_URL } from '../../scripts/harness/services.mjs';

const run = promisify(execFile);
/** Where pg_basebackup and pg_ctl are: HERALD_TEST_PG_BIN, else Debian's newest installed server. */
const PG_BIN = process.env.HERALD_TEST_PG_BIN ?? newestDebianPgBin();

function newestDebianPgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  return newest ? join(root, newest, 'bin') : '/usr/lib/postgresql/15/bin';
}

export interface StreamingReplica {
  port: number;
  /** URL of `database` on the replica. */
  url(database: string): string;
  /** An admin connection's query on the replica (pause and resume replay). */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  stop(): Promise<void>;
}

/** A free loopback port, chosen by the OS. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * A hot standby of the test Postgres, streaming over loopback: a base
 * backup (`pg_basebackup -R -X stream`) started as a second cluster on a
 * free port, in a temporary directory that `stop` removes. Postgres refuses
 * to run as root, so as root the cluster runs as `postgres`.
 */
export async function startStreamingReplica(): Promise<StreamingReplica> {
  const primary = new URL(DATABASE_ADMIN_URL);
  const dir = mkdtempSync(join(tmpdir(), 'herald-replica-'));
  try {
    return await startIn(dir, primary);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(dir: string, primary: URL): Promise<StreamingReplica> {
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const as = (bin: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]) : run(join(PG_BIN, bin), args));
  const ids = asRoot ? await postgresIds() : undefined;
  if (ids) chownSync(dir, ...ids);
  await as('pg_basebackup', ['-h', primary.hostname, '-p', primary.port || '5432', '-U', primary.username || 'postgres', '-D', data, '-R', '-X', 'stream']);
  // Debian keeps a cluster's config outside its data directory: the copy gets its own.
  const owned = (file: string, text: string) => {
    writeFileSync(join(data, file), text);
    if (ids) chownSync(join(data, file), ...ids);
  };
  owned('postgresql.conf', `hot_standby = on\nlisten_addresses = '127.0.0.1'\n${await standbyMinimums(DATABASE_ADMIN_URL)}`);
  owned('pg_hba.conf', 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  owned('pg_ident.conf', '');
  const port = await freePort();
  await as('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir}`, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']).catch(async (err: Error) => {
    // Started but not ready in time: stopped before its directory goes.
    await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    throw err;
  });
  const url = (database: string) => `postgres://${primary.username || 'postgres'}@127.0.0.1:${port}/${database}`;
  const stop = async () => {
    await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    port,
    url,
    async query<T>(sql: string) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        return (await client.query(sql)).rows as T[];
      } finally {
        await client.end();
      }
    },
    stop,
  };
}

/** A standby refuses to start with fewer of these than its primary has: the primary's own values. */
async function standbyMinimums(primaryUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: primaryUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings
        WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`,
    );
    return rows.map((r) => `${r.name} = ${r.setting}\n`).join('');
  } finally {
    await client.end();
  }
}

async function postgresIds(): Promise<[number, number]> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return [Number(uid.trim()), Number(gid.trim())];
}
