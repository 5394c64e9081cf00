import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signToken, type SignTokenOptions } from '@herald/auth';
import { Scope } from '@herald/contracts';
import { freePort } from './free-port.js';
import { http } from './http-client.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { TEST_REDIS_URL, uniquePrefix } from './test-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = { api: 'dist/apps/api/src/main.js', gateway: 'dist/apps/gateway/src/main.js' } as const;
const PRELOAD = join(ROOT, 'test/support/loopback-only.mjs');
/** How much of a child's output to keep (tests grep it; error messages show the end). */
const OUTPUT_TAIL = 4_000_000;
const MESSAGE_TAIL = 8000;

/**
 * One built Herald process (`node dist/apps/<kind>/src/main.js`) on a fixed
 * loopback port, so that it can be killed for real and started again where
 * clients expect it.
 */
export class ChildApp {
  private child: ChildProcess | null = null;
  private log = '';
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  constructor(
    readonly kind: keyof typeof ENTRY,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly cwd: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** What the process printed (the last 4 MB), for failure messages and log checks. */
  output(): string {
    return this.log;
  }

  /** Spawns the process and resolves once `/readyz` answers 200. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error(`${this.kind} on ${this.port} is already running`);
    const entry = join(ROOT, ENTRY[this.kind]);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm test does it first)`);
    const child = spawn(process.execPath, ['--import', PRELOAD, entry], {
      cwd: this.cwd,
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-OUTPUT_TAIL));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', () => {
      if (this.child === child) this.child = null;
      process.off('exit', this.killOnExit);
    });
    // A crashed test run must not leave servers behind.
    process.once('exit', this.killOnExit);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child !== child) throw new Error(`${this.kind} exited during start-up:\n${this.log.slice(-MESSAGE_TAIL)}`);
      const ready = await http(this.url, 'GET', '/readyz').then((r) => r.status === 200, () => false);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`${this.kind} not ready after ${timeoutMs} ms:\n${this.log.slice(-MESSAGE_TAIL)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Sends `signal` (SIGKILL: a crash, no drain) and resolves once the
   * process is gone; one still alive after `graceMs` is killed.
   */
  async stop(signal: NodeJS.Signals = 'SIGKILL', graceMs = 5000): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Kills the process and starts a fresh one on the same port. */
  async restart(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }
}

export interface ProcessSystem {
  db: TestDatabase;
  prefix: string;
  secret: string;
  api: ChildApp;
  gateways: ChildApp[];
  userToken(sub: string, extra?: Partial<SignTokenOptions>): string;
  serviceToken(): string;
  /** POST /v1/notifications through the api process. */
  publish(recipients: string[], fields?: Record<string, unknown>): ReturnType<typeof http>;
  close(): Promise<void>;
}

export interface ProcessSystemOptions {
  /** Gateway processes. @default 1 */
  gateways?: number;
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
  const secret = randomBytes(32).toString('hex');
  // Not the repo: the api must find the SDK bundle from its own location.
  const cwd = mkdtempSync(join(tmpdir(), 'herald-processes-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: TEST_REDIS_URL,
    HERALD_REDIS_PREFIX: prefix,
    HERALD_JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const api = new ChildApp('api', await freePort(), env, cwd);
  const gateways: ChildApp[] = [];
  for (let i = 0; i < (options.gateways ?? 1); i++) gateways.push(new ChildApp('gateway', await freePort(), env, cwd));
  const all = [api, ...gateways];
  try {
    await Promise.all(all.map((app) => app.start()));
  } catch (error) {
    await Promise.all(all.map((app) => app.stop()));
    await db.drop();
    rmSync(cwd, { recursive: true, force: true });
    throw error;
  }
  const serviceToken = () => signToken(secret, { sub: 'test-service', scope: Scope.Publish });
  return {
    db,
    prefix,
    secret,
    api,
    gateways,
    userToken: (sub, extra = {}) => signToken(secret, { sub, ...extra }),
    serviceToken,
    publish: (recipients, fields = {}) =>
      http(api.url, 'POST', '/v1/notifications', { token: serviceToken(), body: { recipients, type: 'test', title: 'Test', ...fields } }),
    close: async () => {
      await Promise.all(all.map((app) => app.stop('SIGTERM')));
      await db.drop();
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}
