import { sleep, waitUntil } from '../scripts/harness/wait.mjs';
import { startProcessSystem, type ProcessSystem } from './support/process-system.js';
import { TestRedisServer } from './support/redis-server.js';
import { TestSocket } from './support/test-socket.js';

/** How long Redis is frozen: longer than a POST may wait, so the bound below is the timeout's, not the stall's. */
const STALL_MS = 8000;
/** HERALD_REDIS_COMMAND_TIMEOUT_MS for the api: its default. */
const COMMAND_TIMEOUT_MS = 1000;
/**
 * The promise (docs/security.md): a POST answers within four command
 * timeouts plus this, however long Redis hangs. A POST waits on Redis up to
 * four times: the address budget, the publish budget (each then answers
 * from its in-memory twin), the publish of the batch committing ahead of
 * it and its own publish (each goes out when Redis wakes). The slack covers
 * a loaded machine.
 */
const SLACK_MS = 1500;
const BOUND_MS = 4 * COMMAND_TIMEOUT_MS + SLACK_MS;
const USERS = Array.from({ length: 40 }, (_, i) => `stall-${i}`);
const LANES = 4;

interface Post {
  user: string;
  startedMs: number;
  ms: number;
  status: number;
}

/**
 * Redis frozen with DEBUG SLEEP (a private redis-server) while POSTs keep
 * coming through an api process, with two gateway processes holding the
 * users' sockets.
 */
describe('faults: Redis stalls while POSTs flow', () => {
  let redis: TestRedisServer;
  let sys: ProcessSystem;

  beforeAll(async () => {
    redis = await new TestRedisServer({ debugCommand: true }).start();
    sys = await startProcessSystem({ gateways: 2, env: { REDIS_URL: redis.url, HERALD_REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) } });
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
    await redis?.kill();
  });

  it(`answers every POST within ${BOUND_MS} ms while Redis hangs for ${STALL_MS} ms, and delivers every committed notification once, in order`, async () => {
    const sockets = await Promise.all(USERS.map((u, i) => TestSocket.connect(`${sys.gateways[i % 2].wsUrl}?token=${sys.userToken(u)}`)));
    const t0 = performance.now();
    const posts: Post[] = [];
    let publishing = true;
    const lane = async (l: number) => {
      // Bounded: at most 400 POSTs a lane, and only while the test says so.
      for (let i = 0; publishing && i < 400; i++) {
        const user = USERS[(i * LANES + l) % USERS.length];
        const startedMs = performance.now() - t0;
        const res = await sys.publish([user], { title: `${l}-${i}` });
        posts.push({ user, startedMs, ms: performance.now() - t0 - startedMs, status: res.status });
        await sleep(20);
      }
    };
    const lanes = Promise.all(Array.from({ length: LANES }, (_, l) => lane(l)));

    await sleep(1000);
    const stallStartMs = performance.now() - t0;
    await redis.stall(STALL_MS);
    const stallEndMs = performance.now() - t0;
    await sleep(1500);
    publishing = false;
    await lanes;

    const during = posts.filter((p) => p.startedMs >= stallStartMs && p.startedMs < stallEndMs);
    const slowest = Math.max(...posts.map((p) => p.ms));
    expect(stallEndMs - stallStartMs).toBeGreaterThanOrEqual(STALL_MS - 100); // Redis really froze
    expect(during.length).toBeGreaterThan(0);
    expect(posts.filter((p) => p.status !== 201)).toEqual([]);
    expect(slowest).toBeLessThan(BOUND_MS);

    const sent = new Map(USERS.map((u) => [u, posts.filter((p) => p.user === u).length]));
    for (const [i, socket] of sockets.entries()) {
      const expected = sent.get(USERS[i]) ?? 0;
      const got = await socket.waitForNotifications(expected, 15_000);
      expect(got.map((n) => n.seq)).toEqual(Array.from({ length: expected }, (_, k) => k + 1));
    }
    await sleep(300); // room for a duplicate to show up
    for (const [i, socket] of sockets.entries()) expect(socket.notifications()).toHaveLength(sent.get(USERS[i]) ?? 0);
    await waitUntil(() => sockets.every((s) => s.ws.readyState === s.ws.OPEN), { timeoutMs: 1000, what: 'sockets still open' });
    await Promise.all(sockets.map((s) => s.close()));
  }, 90_000);
});
