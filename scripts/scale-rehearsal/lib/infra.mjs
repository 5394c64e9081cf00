// What the rehearsal borrows from the machine: a Postgres database and a
// Redis prefix of its own, an HS256 secret, and the environment every Herald
// process gets. All of it is given back by `dispose`.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { Redis } from 'ioredis';
import { ROOT } from './util.mjs';

/** Trust auth on loopback, as in CI; HERALD_TEST_DATABASE_URL / HERALD_TEST_REDIS_URL override, like the tests. */
const ADMIN_URL = process.env.HERALD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.HERALD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MIGRATE = fileURLToPath(new URL('dist/libs/database/src/migrate.js', ROOT));

async function admin(work) {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createInfra({ drainMs }) {
  const tag = randomBytes(4).toString('hex');
  const name = `herald_rehearsal_${process.pid}_${tag}`;
  const prefix = `rehearsal-${tag}:`;
  const secret = randomBytes(32).toString('hex');
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: url.toString(),
    REDIS_URL,
    HERALD_REDIS_PREFIX: prefix,
    HERALD_JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
    HERALD_DRAIN_MS: String(drainMs),
  };
  const infra = {
    name,
    prefix,
    env,
    /** Environment of a gateway: gateways only read, 5 Postgres connections each, as in k8s/base/gateway.yaml. */
    gatewayEnv: { ...env, DATABASE_POOL_SIZE: '5' },
    userToken: (sub) => jwt.sign({}, secret, { algorithm: 'HS256', subject: sub, expiresIn: 3600 }),
    serviceToken: (scope) => jwt.sign({ scope }, secret, { algorithm: 'HS256', subject: 'scale-rehearsal', expiresIn: 3600 }),
    migrate: async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [MIGRATE], {
        env: { PATH: process.env.PATH ?? '', ...env },
        timeout: 60_000,
      });
      return stdout.trim();
    },
    /** Committed rows per user, straight from Postgres: the truth the 201s are checked against. */
    rowsPerUser: async () => {
      const client = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT user_id, count(*)::int AS n, max(seq)::int AS last FROM notifications GROUP BY user_id');
        return new Map(rows.map((r) => [r.user_id, { rows: r.n, lastSeq: r.last }]));
      } finally {
        await client.end();
      }
    },
    dispose: async () => {
      const errors = [];
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch((e) => errors.push(`drop database: ${e.message}`));
      await deletePrefix(prefix).catch((e) => errors.push(`redis cleanup: ${e.message}`));
      return errors;
    },
  };
  return infra;
}

/** Deletes the run's Redis keys (presence, tickets, counters); bounded scan. */
async function deletePrefix(prefix) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  await redis.connect();
  try {
    let cursor = '0';
    for (let i = 0; i < 1000; i++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}
