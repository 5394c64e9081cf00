import { READ_REPLICA, type ReadReplica } from '@herald/database';
import { http } from './support/http-client.js';
import { startStreamingReplica, type StreamingReplica } from './support/streaming-replica.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';

const STICKY_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Inbox reads over a real streaming replica (a second Postgres cluster on
 * loopback). Pausing the replica's replay makes what it serves visibly
 * older than the primary, which shows where each read went.
 */
describe('read replica (DATABASE_REPLICA_URL)', () => {
  let replica: StreamingReplica;
  let sys: TestSystem;
  const get = (user: string, path: string) => http(sys.apis[0].url, 'GET', path, { token: sys.userToken(user) });
  const count = async (user: string) => (await get(user, '/v1/notifications/unread-count')).body.count as number;
  const titles = async (user: string, query = '') => ((await get(user, `/v1/notifications${query}`)).body.items as { title: string }[]).map((n) => n.title);
  /** Polls until `check` holds, bounded. */
  async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await check()) return;
    throw new Error('condition not met in time');
  }

  beforeAll(async () => {
    replica = await startStreamingReplica();
    sys = await startTestSystem({
      apis: 1, gateways: 0,
      replicaUrl: (name) => replica.url(name),
      env: { HERALD_REPLICA_STICKY_MS: String(STICKY_MS), HERALD_INBOX_REQUESTS_PER_MINUTE: '10000' },
    });
  }, 120_000);
  afterAll(async () => {
    await sys?.close();
    await replica?.stop();
  });

  it('serves lists and counts from the replica, yet a writer reads their write and ?after= never skips', async () => {
    expect((await sys.publish(['ann', 'bob'], { title: 'one' })).status).toBe(201);
    const probe = sys.apis[0].app.get<ReadReplica>(READ_REPLICA);
    await until(async () => probe.isFresh(STICKY_MS));
    await replica.query('SELECT pg_wal_replay_pause()');
    await until(async () => (await replica.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state'))[0].state === 'paused');

    const two = await sys.publish(['ann', 'bob'], { title: 'two' });
    const [annTwo] = two.body.notifications as { id: string }[];
    expect((await http(sys.apis[0].url, 'POST', `/v1/notifications/${annTwo.id}/read`, { token: sys.userToken('ann') })).status).toBe(200);

    // bob wrote nothing: the paused replica answers, without "two".
    expect(await titles('bob')).toEqual(['one']);
    expect(await count('bob')).toBe(1);
    // ann just wrote: the primary answers, with her write.
    expect(await titles('ann')).toEqual(['two', 'one']);
    expect(await count('ann')).toBe(1);
    // Catching up with ?after= is on the primary: nothing is skipped.
    expect(await titles('bob', '?after=0')).toEqual(['one', 'two']);

    // Once the replica is further behind than the window, nobody reads it.
    await sleep(STICKY_MS + 500);
    expect(await titles('bob')).toEqual(['two', 'one']);
    expect(await count('bob')).toBe(2);

    await replica.query('SELECT pg_wal_replay_resume()');
    await until(async () => probe.isFresh(STICKY_MS));
    expect(await count('bob')).toBe(2);
  }, 60_000);

  it('falls back to the primary when the replica goes away', async () => {
    await replica.stop();

    expect((await sys.publish(['cy'], { title: 'three' })).status).toBe(201);

    expect(await titles('cy')).toEqual(['three']);
    expect(await count('cy')).toBe(1);
  }, 30_000);
});
