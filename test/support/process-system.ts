import { signToken, type SignTokenOptions } from '@herald/auth';
import { Scope } from '@herald/contracts';
import { HeraldProcess } from '../../scripts/harness/herald-process.mjs';
import { freePort } from '../../scripts/harness/network.mjs';
import { removeDir, tempDir } from '../../scripts/harness/paths.mjs';
import { REDIS_URL } from '../../scripts/harness/services.mjs';
import { newSecret } from '../../scripts/harness/tokens.mjs';
import { http } from './http-client.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { uniquePrefix } from './test-env.js';
import { jwtEnv } from './dev-mode.js';

/** How much of a child's output to keep (tests grep it; error messages show the end). */
const OUTPUT_TAIL = 4_000_000;

/**
 * One built Herald process on a fixed loopback port, its metrics listener on
 * another (the shared harness's HeraldProcess), keeping the last 4 MB of its
 * output for log checks.
 */
export type ChildApp = HeraldProcess;

const childApp = async (kind: 'api' | 'gateway' | 'worker', env: Record<string, string>, cwd: string): Promise<ChildApp> =>
  new HeraldProcess(kind, { port: await freePort(), metricsPort: await freePort(), env, cwd, keepChars: OUTPUT_TAIL });

export interface ProcessSystem {
  db: TestDatabase;
  prefix: string;
  secret: string;
  api: ChildApp;
  /** Every api process; `api` is the first. */
  apis: ChildApp[];
  gateways: ChildApp[];
  workers: ChildApp[];
  userToken(sub: string, extra?: Partial<SignTokenOptions>): string;
  serviceToken(): string;
  /** POST /v1/notifications through the api process. */
  publish(recipients: string[], fields?: Record<string, unknown>): ReturnType<typeof http>;
  close(): Promise<void>;
}

export interface ProcessSystemOptions {
  /** Api processes. @default 1 */
  apis?: number;
  /** Gateway processes. @default 1 */
  gateways?: number;
  /** Worker processes. @default 0 */
  workers?: number;
  /** Herald's own dev mode: the secret as if generated (dev tokens, the demo page's test hooks). @default false */
  devMode?: boolean;
  /** Extra environment for every process. */
  env?: Record<string, string>;
}

/**
 * The real system as separate OS processes: the built api and gateways
 * (`npm run start:api` / `start:gateway`), with the same environment
 * startTestSystem gives its in-process apps, their own database and Redis
 * prefix. Use it where a test needs to kill a process; otherwise
 * startTestSystem is quicker.
 */
export async function startProcessSystem(options: ProcessSystemOptions = {}): Promise<ProcessSystem> {
  const db = await createTestDatabase();
  const prefix = uniquePrefix();
  const secret = newSecret();
  // Not the repo: the api must find the SDK bundle from its own location.
  const cwd = tempDir('herald-processes');
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL,
    HERALD_REDIS_PREFIX: prefix,
    ...jwtEnv(secret, options.devMode),
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const apis: ChildApp[] = [];
  for (let i = 0; i < (options.apis ?? 1); i++) apis.push(await childApp('api', env, cwd));
  const api = apis[0];
  const gateways: ChildApp[] = [];
  for (let i = 0; i < (options.gateways ?? 1); i++) gateways.push(await childApp('gateway', env, cwd));
  const workers: ChildApp[] = [];
  for (let i = 0; i < (options.workers ?? 0); i++) workers.push(await childApp('worker', env, cwd));
  const all = [...apis, ...gateways, ...workers];
  try {
    await Promise.all(all.map((app) => app.start()));
  } catch (error) {
    await Promise.all(all.map((app) => app.stop()));
    await db.drop();
    removeDir(cwd);
    throw error;
  }
  const serviceToken = () => signToken(secret, { sub: 'test-service', scope: Scope.Publish });
  return {
    db,
    prefix,
    secret,
    api,
    apis,
    gateways,
    workers,
    userToken: (sub, extra = {}) => signToken(secret, { sub, ...extra }),
    serviceToken,
    publish: (recipients, fields = {}) =>
      http(api.url, 'POST', '/v1/notifications', { token: serviceToken(), body: { recipients, type: 'test', title: 'Test', ...fields } }),
    close: async () => {
      await Promise.all(all.map((app) => app.stop('SIGTERM')));
      await db.drop();
      removeDir(cwd);
    },
  };
}
