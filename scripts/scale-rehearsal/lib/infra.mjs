// What the rehearsal borrows from the machine: a Postgres database and a
// Redis prefix of its own, an HS256 secret, and the environment every Herald
// process gets. All of it is given back by `dispose`.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDatabase, databaseUrl, dropDatabase } from '../../harness/databases.mjs';
import { DIST_DIR, DIST_MAIN } from '../../harness/paths.mjs';
import { deleteRedisPrefix } from '../../harness/redis-prefix.mjs';
import { REDIS_URL } from '../../harness/services.mjs';
import { newSecret, signHs256 } from '../../harness/tokens.mjs';

const MIGRATE = join(DIST_DIR, DIST_MAIN.migrate);
/** The admin connection gives up on a Postgres that does not answer. */
const ADMIN = { connectTimeoutMs: 5000 };
const TOKEN_TTL_S = 3600;

export async function createInfra({ drainMs }) {
  const tag = randomBytes(4).toString('hex');
  const name = `herald_rehearsal_${process.pid}_${tag}`;
  const prefix = `rehearsal-${tag}:`;
  const secret = newSecret();
  await createDatabase(name, ADMIN);
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(name),
    REDIS_URL,
    HERALD_REDIS_PREFIX: prefix,
    HERALD_JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
    HERALD_DRAIN_MS: String(drainMs),
    // Every client is 127.0.0.1 here: per-address budgets off, the pod cap
    // above what one gateway may be asked to hold.
    HERALD_IP_HANDSHAKES_PER_MINUTE: '0',
    HERALD_IP_REQUESTS_PER_SECOND: '0',
    HERALD_MAX_CONNECTIONS: '1000000',
  };
  const infra = {
    name,
    prefix,
    env,
    /** Environment of a gateway: gateways only read, 5 Postgres connections each, as in k8s/base/gateway.yaml. */
    gatewayEnv: { ...env, DATABASE_POOL_SIZE: '5' },
    userToken: (sub) => signHs256(secret, { sub }, TOKEN_TTL_S),
    serviceToken: (scope) => signHs256(secret, { sub: 'scale-rehearsal', scope }, TOKEN_TTL_S),
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
      await dropDatabase(name, ADMIN).catch((e) => errors.push(`drop database: ${e.message}`));
      await deleteRedisPrefix(prefix).catch((e) => errors.push(`redis cleanup: ${e.message}`));
      return errors;
    },
  };
  return infra;
}
