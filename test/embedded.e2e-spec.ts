import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/harness/network.mjs';
import { http } from './support/http-client.js';
import { TestSocket } from './support/test-socket.js';

const MAIN = join(process.cwd(), 'dist/apps/embedded/src/main.js');


/**
 * `npm start` on a fresh machine: the built embedded process with no
 * DATABASE_URL, no REDIS_URL and no secret, in an empty directory.
 */
describe('embedded mode (npm start)', () => {
  let child: ChildProcess;
  let dir: string;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: `npm test` builds it first (pretest)');
    dir = mkdtempSync(join(tmpdir(), 'herald-embedded-'));
    const port = await freePort();
    child = spawn(process.execPath, [MAIN], { cwd: dir, env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn' } });
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    while (!output.includes('service token')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`embedded mode did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 200));
  }, 70_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the URL, a user token, a service token and a curl line that delivers to a socket', async () => {
    const base = output.match(/inbox page:\s+(http:\/\/localhost:\d+)/)?.[1] as string;
    const lines = output.split('\n').map((l) => l.trim());
    const userToken = lines[lines.findIndex((l) => l.startsWith('user token')) + 1];
    const serviceToken = lines[lines.findIndex((l) => l.startsWith('service token')) + 1];
    expect(base).toBeDefined();
    expect(output).toContain('curl -s -X POST');

    const socket = await TestSocket.connect(`${base.replace('http', 'ws')}/ws?token=${userToken}`);
    const res = await http(base, 'POST', '/v1/notifications', {
      token: serviceToken,
      body: { recipients: ['alice'], type: 'hello', title: 'Hello from Herald' },
    });

    expect(res.status).toBe(201);
    const [n] = await socket.waitForNotifications(1);
    expect(n).toMatchObject({ userId: 'alice', title: 'Hello from Herald', seq: res.body.notifications[0].seq });
    expect((await http(base, 'GET', '/readyz')).status).toBe(200);
    expect(existsSync(join(dir, '.herald', 'jwt-secret'))).toBe(true);
    await socket.close();
  });
});

/**
 * `npm start` with an operator's secret in production: it must boot into a
 * data dir that does not exist yet, keep that dir to itself, listen on
 * loopback only, and never print or mint a token signed with that secret.
 */
describe('embedded mode with NODE_ENV=production and a secret', () => {
  let child: ChildProcess;
  let dir: string;
  let port: number;
  let output = '';
  const secret = 'operator-secret-'.padEnd(40, 'x');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-embedded-prod-'));
    port = await freePort();
    const env = { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'info', NODE_ENV: 'production', HERALD_JWT_SECRET: secret, HERALD_DATA_DIR: join(dir, 'not', 'yet', 'there') };
    child = spawn(process.execPath, [MAIN], { cwd: dir, env });
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`embedded mode did not start:\n${output}`);
      if ((await http(`http://127.0.0.1:${port}`, 'GET', '/healthz').catch(() => undefined))?.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 70_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('boots into a new data dir kept at 0700, and prints no token', () => {
    expect(statSync(join(dir, 'not', 'yet', 'there')).mode & 0o777).toBe(0o700);
    expect(output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(output).not.toContain('service token');
  });

  it('mints no dev tokens', async () => {
    const sut = await http(`http://127.0.0.1:${port}`, 'POST', '/demo/dev-token');

    expect(sut.status).toBe(404);
  });

  it('listens on loopback only unless HERALD_HOST says otherwise', async () => {
    const elsewhere = await http(`http://127.0.0.2:${port}`, 'GET', '/healthz').then(
      () => 'answered',
      (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
    );

    expect(elsewhere).toBe('ECONNREFUSED');
  });
});
