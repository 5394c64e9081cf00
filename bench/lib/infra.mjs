// Postgres and Redis for a bench run: start them when they are down, make a
// database of our own (dropped at the end), and describe the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { sleep } from './util.mjs';

export const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = 'redis://127.0.0.1:6379';

function reachable(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(timeoutMs);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

async function waitFor(port, what, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await reachable(port)) return;
    await sleep(250);
  }
  throw new Error(`${what} did not come up on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** Starts Postgres 15 and Redis 7 with the commands CI uses, only if they are not listening. */
export async function ensureServices(log) {
  if (!(await reachable(5432))) {
    log('starting Postgres (pg_ctlcluster 15 main)');
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'start'], { stdio: 'inherit' });
    await waitFor(5432, 'Postgres');
  }
  if (!(await reachable(6379))) {
    log('starting Redis');
    spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no',
      '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log'], { stdio: 'inherit' });
    await waitFor(6379, 'Redis');
  }
}

export async function adminQuery(sql, params) {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

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
  await adminQuery(`CREATE DATABASE ${name}`);
  ownDatabases.add(name);
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
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
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      ownDatabases.delete(name);
    },
  };
  return db;
}

/** Drops the databases this run created and has not dropped yet (interrupted runs). */
export async function dropOwnDatabases() {
  for (const name of ownDatabases) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  ownDatabases.clear();
}

/** Deletes every key under our Redis prefix (ticket stores and the like). */
export async function cleanRedisPrefix(prefix) {
  const r = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    for (let i = 0; i < 10_000; i++) {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await r.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    r.disconnect();
  }
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
    `SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers','max_connections','fsync','synchronous_commit','wal_level','max_wal_size')`,
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
