import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { signToken, type SignTokenOptions } from '@herald/auth';
import { loadConfig, type HeraldConfig } from '@herald/config';
import { Scope } from '@herald/contracts';
import { MetricsServer } from '@herald/observability';
import { createApiApp } from '../../apps/api/src/create-api-app.js';
import { createGatewayApp } from '../../apps/gateway/src/create-gateway-app.js';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app.js';
import { REDIS_URL } from '../../scripts/harness/services.mjs';
import { newSecret } from '../../scripts/harness/tokens.mjs';
import { http, type HttpResult } from './http-client.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { uniquePrefix } from './test-env.js';
import { jwtEnv } from './dev-mode.js';

export interface RunningApp {
  app: INestApplication;
  url: string;
  /** Its metrics listener (HERALD_METRICS_PORT's), on a port of its own. */
  metricsUrl: string;
  config: HeraldConfig;
}

export interface TestSystem {
  db: TestDatabase;
  apis: RunningApp[];
  gateways: (RunningApp & { wsUrl: string })[];
  /** Worker apps (none unless `workers` asks). */
  workers: RunningApp[];
  /** A Redis client for assertions (PUBSUB NUMSUB and the like). */
  redis: Redis;
  prefix: string;
  secret: string;
  env: Record<string, string>;
  userToken(sub: string, extra?: Partial<SignTokenOptions>): string;
  serviceToken(extra?: Partial<SignTokenOptions>): string;
  adminToken(): string;
  /** POST /v1/notifications through api `i` (default 0). */
  publish(recipients: string[], fields?: Record<string, unknown>, apiIndex?: number, headers?: Record<string, string>): Promise<HttpResult>;
  /** A gateway socket URL with the user's token and extra query. */
  socketUrl(gatewayIndex: number, sub: string, query?: string): string;
  startGateway(): Promise<RunningApp & { wsUrl: string }>;
  close(): Promise<void>;
}

export interface TestSystemOptions {
  apis?: number;
  gateways?: number;
  /** Worker apps (durable jobs: push, webhooks, sends). @default 0 */
  workers?: number;
  /** Extra environment for every app (limits and the like). */
  env?: Record<string, string>;
  /** Herald's own dev mode: the secret as if generated (dev tokens, the demo page's test hooks). @default false */
  devMode?: boolean;
  /** Rewrites the database URL the apps get (to route them through a fault proxy). */
  wrapDatabaseUrl?: (url: string) => string;
  /** DATABASE_REPLICA_URL for the apps, from the test database's name (a streaming replica the test started). */
  replicaUrl?: (databaseName: string) => string;
  /** Runs on the migrated database before any app boots (a layout the migrations' clock would not give). */
  prepareDatabase?: (url: string) => Promise<void>;
}

/** Listens on free loopback ports, the app's own and its metrics listener's, as main.ts does. */
async function listen(app: INestApplication): Promise<{ url: string; metricsUrl: string }> {
  const metricsPort = await app.get(MetricsServer).listen(0, '127.0.0.1');
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, metricsUrl: `http://127.0.0.1:${metricsPort}` };
}

/**
 * The real system in one test process: its own database, its own Redis
 * prefix, N api apps and M gateway apps, each a separate Nest app on its
 * own loopback port, meeting only on Redis and Postgres as in production.
 */
export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const db = await createTestDatabase();
  await options.prepareDatabase?.(db.url).catch(async (err: unknown) => {
    await db.drop();
    throw err;
  });
  const prefix = uniquePrefix();
  const secret = newSecret();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: options.wrapDatabaseUrl ? options.wrapDatabaseUrl(db.url) : db.url,
    DATABASE_POOL_SIZE: '5',
    ...(options.replicaUrl ? { DATABASE_REPLICA_URL: options.replicaUrl(db.name) } : {}),
    REDIS_URL,
    HERALD_REDIS_PREFIX: prefix,
    ...jwtEnv(secret, options.devMode),
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  const config = () => loadConfig({ defaultPort: 0, env });
  const apis: RunningApp[] = [];
  const gateways: (RunningApp & { wsUrl: string })[] = [];
  const startGateway = async () => {
    const cfg = config();
    const app = await createGatewayApp(cfg);
    const { url, metricsUrl } = await listen(app);
    const gw = { app, url, metricsUrl, config: cfg, wsUrl: url.replace('http', 'ws') + '/ws' };
    gateways.push(gw);
    return gw;
  };
  for (let i = 0; i < (options.apis ?? 1); i++) {
    const cfg = config();
    const app = await createApiApp(cfg);
    apis.push({ app, ...(await listen(app)), config: cfg });
  }
  for (let i = 0; i < (options.gateways ?? 2); i++) await startGateway();
  const workers: RunningApp[] = [];
  for (let i = 0; i < (options.workers ?? 0); i++) {
    const cfg = config();
    const app = await createWorkerApp(cfg);
    workers.push({ app, ...(await listen(app)), config: cfg });
  }
  const redis = new Redis(REDIS_URL);

  const userToken = (sub: string, extra: Partial<SignTokenOptions> = {}) => signToken(secret, { sub, ...extra });
  const serviceToken = (extra: Partial<SignTokenOptions> = {}) => signToken(secret, { sub: 'test-service', scope: Scope.Publish, ...extra });
  return {
    db,
    apis,
    gateways,
    workers,
    redis,
    prefix,
    secret,
    env,
    userToken,
    serviceToken,
    adminToken: () => signToken(secret, { sub: 'test-admin', scope: `${Scope.Publish} ${Scope.Admin}` }),
    publish: (recipients, fields = {}, apiIndex = 0, headers = {}) =>
      http(apis[apiIndex].url, 'POST', '/v1/notifications', {
        token: serviceToken(),
        body: { recipients, type: 'test', title: 'Test', ...fields },
        headers,
      }),
    socketUrl: (i, sub, query = '') => `${gateways[i].wsUrl}?token=${userToken(sub)}${query ? `&${query}` : ''}`,
    startGateway,
    close: async () => {
      await Promise.all([...apis, ...gateways, ...workers].map((a) => a.app.close().catch(() => undefined)));
      redis.disconnect();
      await db.drop();
    },
  };
}
