// The bench's databases (each dropped at the end, even by an interrupted
// run) and a description of the machine. Starting Postgres and Redis, admin
// queries and Redis clean-up are the shared harness's (scripts/harness).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { adminQuery, createDatabase as createNamedDatabase, databaseUrl, dropDatabase } from '../../scripts/harness/databases.mjs';
import { REDIS_URL } from '../../scripts/harness/services.mjs';

const ownDatabases = new Set();
let runId = randomBytes(3).toString('hex');

/** Database names start with `herald_bench_<runId>_`, so a run can tell its backends from another run's. */
export function setRunId(id) {
  runId = id;
}
export const ourDatabasePrefix = () => `herald_bench_${runId}_`;

/** A fresh database (migrated by the caller), with drop() and setSyncCommit(). */
export async function createDatabase(tag) {
  const name = `${ourDatabasePrefix()}${tag.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  await createNamedDatabase(name);
  ownDatabases.add(name);
  const url = databaseUrl(name);
  const db = {
    name,
    url,
    /** Applies to connections opened afterwards: restart the pools after calling it. */
    async setSyncCommit(on) {
      await adminQuery(`ALTER DATABASE ${name} SET synchronous_commit = ${on ? 'on' : 'off'}`);
      const [row] = await db.query('SHOW synchronous_commit'); // a new connection sees the new default
      if (row.synchronous_commit !== (on ? 'on' : 'off')) throw new Error(`synchronous_commit is ${row.synchronous_commit} on ${name}`);
    },
    query: async (sql, params) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows;
      } finally {
        await c.end();
      }
    },
    drop: async () => {
      await dropDatabase(name);
      ownDatabases.delete(name);
    },
  };
  return db;
}

/** Drops the databases this run created and has not dropped yet (interrupted runs). */
export async function dropOwnDatabases() {
  for (const name of ownDatabases) await dropDatabase(name).catch(() => undefined);
  ownDatabases.clear();
}

function tryExec(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return null;
  }
}

/** nproc, memory, CPU model, versions, and the Postgres settings that matter. */
export async function describeMachine() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model;
  const [pgVersion] = await adminQuery('SHOW server_version');
  const settings = await adminQuery(
    `SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers','max_connections','fsync','synchronous_commit','wal_level','max_wal_size','checkpoint_timeout','wal_compression','autovacuum')`,
  );
  const r = new Redis(REDIS_URL);
  const info = await r.info('server');
  r.disconnect();
  return {
    nproc: Number(tryExec('nproc', [])) || os.cpus().length,
    cpuModel: cpu,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    node: process.version,
    postgres: pgVersion.server_version,
    postgresSettings: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
    redis: info.match(/redis_version:(\S+)/)?.[1] ?? 'unknown',
    openFilesLimit: Number(tryExec('sh', ['-c', 'ulimit -n'])) || null,
    redisBenchmark: Boolean(tryExec('sh', ['-c', 'command -v redis-benchmark'])),
    // What was measured: the checkout's commit, and how many files differed from it.
    commit: tryExec('git', ['rev-parse', '--short', 'HEAD']),
    uncommittedFiles: (tryExec('git', ['status', '--porcelain']) ?? '').split('\n').filter(Boolean).length,
  };
}
