// The shared Postgres and Redis every harness borrows from: where they are,
// whether they answer, and how the bench starts them when they do not.
// Trust auth on loopback, as in CI; HERALD_TEST_DATABASE_URL and
// HERALD_TEST_REDIS_URL point every harness elsewhere.
import { spawnSync } from 'node:child_process';
import { portAccepts } from './network.mjs';
import { pollUntil } from './wait.mjs';

/** Admin connection used to create and drop each run's own databases. */
export const DATABASE_ADMIN_URL = process.env.HERALD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.HERALD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const address = (url, defaultPort) => {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port || defaultPort) };
};
const POSTGRES = { name: 'Postgres', url: DATABASE_ADMIN_URL, ...address(DATABASE_ADMIN_URL, 5432) };
const REDIS = { name: 'Redis', url: REDIS_URL, ...address(REDIS_URL, 6379) };

const answers = (service, timeoutMs) => portAccepts(service.port, { host: service.host, timeoutMs });

/** "Postgres at <url>" for each service that accepts no connection within `timeoutMs` (default 1000). */
export async function unreachableServices(timeoutMs = 1000) {
  const missing = [];
  for (const service of [POSTGRES, REDIS]) if (!(await answers(service, timeoutMs))) missing.push(`${service.name} at ${service.url}`);
  return missing;
}

async function waitForService(service, timeoutMs = 30_000) {
  if (await pollUntil(() => answers(service), { timeoutMs, intervalMs: 250 })) return;
  throw new Error(`${service.name} did not come up on ${service.host}:${service.port} within ${timeoutMs} ms`);
}

/** Starts Postgres 15 and Redis 7 with the commands CI uses, only if they are not listening. */
export async function ensureServices(log) {
  if (!(await answers(POSTGRES))) {
    log('starting Postgres (pg_ctlcluster 15 main)');
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'start'], { stdio: 'inherit' });
    await waitForService(POSTGRES);
  }
  if (!(await answers(REDIS))) {
    log('starting Redis');
    spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no',
      '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log'], { stdio: 'inherit' });
    await waitForService(REDIS);
  }
}
