import { join } from 'node:path';
import { generateApiKey } from '@herald/auth';
import { Scope, SERVICE_SCOPES } from '@herald/contracts';
import { freePort } from '../scripts/harness/network.mjs';
import { sleep } from '../scripts/harness/wait.mjs';
import { EmbeddedProcess } from './support/embedded-process.js';
import { createKey, herald } from './support/herald-cli.js';
import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

/** What every refused credential answers on HTTP: nothing about why. */
const REFUSED = { statusCode: 401, error: 'Unauthorized', code: 'unauthorized', message: 'invalid credentials' };
/** The revocation bound docs/security.md promises: the api's key cache period. */
const REVOKE_BOUND_MS = 2000;

interface Listed {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const notification = (recipient: string, title = 'from a key') => ({ recipients: [recipient], type: 'keys', title });

/**
 * API keys end to end: made, listed and revoked by the CLI as a real
 * process (`npm run herald`), used against two real api replicas.
 */
describe('API keys (the CLI as a process, two api replicas)', () => {
  let sys: TestSystem;
  let env: Record<string, string>;
  const post = (api: number, key: string, recipient: string, headers: Record<string, string> = {}) =>
    http(sys.apis[api].url, 'POST', '/v1/notifications', { token: key, body: notification(recipient), headers });
  const list = async (): Promise<Listed[]> => {
    const res = await herald(['keys', 'list', '--json'], env);
    if (res.code !== 0) throw new Error(res.stderr);
    return JSON.parse(res.stdout) as Listed[];
  };

  beforeAll(async () => {
    sys = await startTestSystem({ apis: 2, gateways: 1 });
    env = { DATABASE_URL: sys.db.url };
  });
  afterAll(async () => {
    await sys.close();
  });

  it('publishes with a key from `keys create`, delivers it, and lists the key without ever showing it again', async () => {
    const key = await createKey(env, 'billing', [Scope.Publish]);
    const socket = await TestSocket.connect(sys.socketUrl(0, 'kim'));

    const res = await post(0, key, 'kim');
    const [delivered] = await socket.waitForNotifications(1);
    const table = await herald(['keys', 'list'], env);
    const listed = (await list()).find((k) => k.name === 'billing');

    expect(res.status).toBe(201);
    expect(delivered).toMatchObject({ userId: 'kim', title: 'from a key', seq: 1 });
    expect(key).toMatch(/^hrld_[0-9a-f]{16}_/);
    expect(listed).toMatchObject({ id: key.slice(5, 21), scopes: [Scope.Publish], revokedAt: null, createdAt: expect.any(String) });
    expect(table.stdout).toMatch(/^ID +NAME +SCOPES +CREATED +LAST USED +REVOKED$/m);
    expect(table.stdout).toContain(listed?.id);
    expect(table.stdout + table.stderr).not.toContain(key.slice(22));
    // Service JWTs keep working beside keys.
    expect((await sys.publish(['kim'])).status).toBe(201);
    await socket.close();
  });

  it('refuses malformed, forged and altered keys, and keys sent any other way, with the one fixed answer', async () => {
    const key = await createKey(env, 'real', [Scope.Publish]);
    const altered = key.slice(0, -2) + (key.endsWith('AA') ? 'BB' : 'AA');
    const forged = generateApiKey().key;

    const answers = await Promise.all(['hrld_', 'hrld_0123456789abcdef_short', forged, altered].map((k) => post(0, k, 'nobody')));
    const asHeader = await http(sys.apis[0].url, 'POST', '/v1/notifications', { body: notification('nobody'), headers: { 'x-api-key': key } });

    for (const a of answers) expect(a.body).toEqual(REFUSED);
    // One header for every credential: X-Api-Key is not read.
    expect(asHeader.body).toMatchObject({ statusCode: 401, code: 'unauthorized', message: 'credentials are missing' });
  });

  it("never acts as a user: no inbox, no tickets, no socket, whatever the key's name", async () => {
    await sys.publish(['bob'], { title: "bob's own" });
    const key = await createKey(env, 'bob', [Scope.Publish, Scope.Admin]);

    const inbox = await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: key });
    const ticket = await http(sys.apis[0].url, 'POST', '/v1/ws-tickets', { token: key });
    const socket = await TestSocket.open(`${sys.gateways[0].wsUrl}?token=${key}`);
    const stats = await http(sys.apis[0].url, 'GET', '/v1/stats', { token: key });

    expect(inbox.body).toMatchObject({ statusCode: 403, code: 'forbidden' });
    expect(ticket.status).toBe(403);
    expect((await socket.closed).code).toBe(4001);
    expect(stats.status).toBe(200); // the admin scope it was given
  });

  it('grants only the scopes it was created with', async () => {
    const publishOnly = await createKey(env, 'publisher', [Scope.Publish]);
    const adminOnly = await createKey(env, 'watcher', [Scope.Admin]);

    expect((await http(sys.apis[0].url, 'GET', '/v1/stats', { token: publishOnly })).body).toMatchObject({ statusCode: 403, code: 'forbidden' });
    expect((await post(0, adminOnly, 'nobody')).body).toMatchObject({ statusCode: 403, code: 'forbidden' });
    expect((await http(sys.apis[0].url, 'GET', '/v1/stats', { token: adminOnly })).status).toBe(200);
  });

  it(`is refused by every replica within ${REVOKE_BOUND_MS} ms of \`keys revoke\`, though both had it cached`, async () => {
    const key = await createKey(env, 'leaving', [Scope.Publish]);
    const id = key.slice(5, 21);
    expect((await post(0, key, 'r')).status).toBe(201);
    expect((await post(1, key, 'r')).status).toBe(201);

    const revoke = await herald(['keys', 'revoke', id], env);
    const revokedAt = Date.now(); // the UPDATE committed before the CLI exited
    const refusedAfter: number[] = [];
    for (const api of [0, 1]) {
      // Bounded: 100 tries, 50 ms apart.
      for (let i = 0; i < 100; i++) {
        const res = await post(api, key, 'r');
        if (res.status === 401) {
          expect(res.body).toEqual(REFUSED);
          refusedAfter.push(Date.now() - revokedAt);
          break;
        }
        await sleep(50);
      }
    }

    expect(revoke).toMatchObject({ code: 0, stdout: expect.stringContaining(`revoked ${id} "leaving"`) });
    expect(refusedAfter).toHaveLength(2);
    // The bound, plus one poll and one request of slack on a shared machine.
    for (const ms of refusedAfter) expect(ms).toBeLessThan(REVOKE_BOUND_MS + 1000);
    expect((await list()).find((k) => k.id === id)?.revokedAt).toEqual(expect.any(String));
  });

  it('keeps the first revoke time, and says so when there is no such key', async () => {
    const key = await createKey(env, 'twice', [Scope.Publish]);
    const id = key.slice(5, 21);

    const first = await herald(['keys', 'revoke', id], env);
    const again = await herald(['keys', 'revoke', key], env); // the key's own start names it too
    const unknown = await herald(['keys', 'revoke', '0000000000000000'], env);

    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('no API key with id 0000000000000000') });
  });

  it('refuses a bad name or scope before touching the database', async () => {
    const badScope = await herald(['keys', 'create', '--name', 'x', '--scope', 'inbox:read'], env);
    const badName = await herald(['keys', 'create', '--name', 'Has Spaces', '--scope', Scope.Publish], env);
    const noScope = await herald(['keys', 'create', '--name', 'x'], env);

    expect(badScope).toMatchObject({ code: 1, stderr: expect.stringContaining(`Allowed choices are ${SERVICE_SCOPES.join(', ')}`) });
    expect(badName).toMatchObject({ code: 1, stderr: expect.stringContaining('--name must match') });
    expect(noScope.code).toBe(1);
    expect((await list()).map((k) => k.name)).not.toContain('x');
  });

  it('shares idempotency keys and the rate budget across keys of one name, so a rotation replays', async () => {
    const before = await createKey(env, 'rotating', [Scope.Publish]);
    const after = await createKey(env, 'rotating', [Scope.Publish]);

    const first = await post(0, before, 'rot', { 'Idempotency-Key': 'order-7' });
    const replay = await post(1, after, 'rot', { 'Idempotency-Key': 'order-7' });

    expect(first.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
  });

  it('writes last-used times in one batch, at the latest when the api shuts down', async () => {
    const used = await createKey(env, 'used', [Scope.Publish]);
    const idle = await createKey(env, 'idle', [Scope.Publish]);
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect((await post(1, used, 'u')).status).toBe(201);

    await sys.apis[1].app.close();
    const keys = await list();

    const lastUsed = keys.find((k) => k.id === used.slice(5, 21))?.lastUsedAt;
    expect(Date.parse(lastUsed ?? '')).toBeGreaterThanOrEqual(started - 1000);
    expect(keys.find((k) => k.id === idle.slice(5, 21))?.lastUsedAt).toBeNull();
  });
});

/** `npm run herald` without DATABASE_URL works on the embedded PGlite, as `npm start` does. */
describe('API keys in embedded mode (npm start)', () => {
  const sut = new EmbeddedProcess();
  const env = { HERALD_DATA_DIR: join(sut.dir, '.herald') };
  let key: string;
  let base: string;

  beforeAll(async () => {
    key = await createKey(env, 'local', [Scope.Publish]); // before the first start: the CLI migrates PGlite itself
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await sut.start({ PORT: String(port), LOG_LEVEL: 'warn' }, async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200);
  }, 90_000);
  afterAll(() => sut.stop());

  it('accepts a key made before it started, and keeps the CLI off its database while it runs', async () => {
    const res = await http(base, 'POST', '/v1/notifications', { token: key, body: notification('alice') });
    const meanwhile = await herald(['keys', 'list'], env);

    expect(res.status).toBe(201);
    expect(meanwhile).toMatchObject({ code: 1, stderr: expect.stringMatching(/embedded database .* is in use by process \d+/) });
  });
});
