import type { HeraldClientOptions } from '@herald/client';
import { createGatewayApp } from '../../apps/gateway/src/create-gateway-app.js';
import { RecordedClient } from '../support/recorded-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * The SDK (`@herald/client`) in Node with `ws`, against the real api and a
 * gateway on loopback with real Postgres and Redis.
 */
describe('HeraldClient against the real system', () => {
  let sys: TestSystem;
  const clients: RecordedClient[] = [];

  const client = (user: string, options: Partial<HeraldClientOptions> = {}) => {
    const recorded = new RecordedClient({
      url: sys.apis[0].url,
      wsUrl: sys.gateways[0].wsUrl,
      getToken: () => sys.userToken(user),
      socketAuth: 'header',
      ...options,
    });
    clients.push(recorded);
    return recorded;
  };

  /** Closes gateway 0 (it drains: 1012 to every socket) and starts a new one on the same port. */
  const restartGateway = async (whileDown: () => Promise<void>) => {
    const gateway = sys.gateways[0];
    await gateway.app.close();
    await whileDown();
    gateway.app = await createGatewayApp(gateway.config);
    await gateway.app.listen(Number(new URL(gateway.url).port), '127.0.0.1');
  };

  beforeAll(async () => {
    // No drain window, so the restart below is immediate.
    sys = await startTestSystem({ gateways: 1, env: { HERALD_DRAIN_MS: '0' } });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await sys.close();
  });

  it('receives live notifications in seq order, once, and counts them as unread', async () => {
    const sut = await client('sdk-live').open();

    for (const title of ['a', 'b', 'c']) await sys.publish(['sdk-live'], { title });

    await sut.waitForSeqs(3);
    expect(sut.notifications.map((n) => [n.seq, n.title])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    await sut.until(() => sut.unread.at(-1) === 3, 'unread 3');
    expect(sut.unread).toEqual([0, 1, 2, 3]);
    expect(sut.errors).toEqual([]);
  });

  it('authenticates the socket with a single-use ticket, never a token in the URL', async () => {
    const sut = await client('sdk-ticket', { socketAuth: 'ticket' }).open();

    await sys.publish(['sdk-ticket'], { title: 'by ticket' });

    await sut.waitForSeqs(1);
    expect(sut.notifications[0].title).toBe('by ticket');
    expect(sut.socketUrls).toHaveLength(1);
    const url = new URL(sut.socketUrls[0]);
    expect(url.searchParams.get('ticket')).toMatch(/.{16,}/);
    expect(url.searchParams.has('token')).toBe(false);
  });

  it('marks read and all read, syncs a second device, and reports unreadCount', async () => {
    const [sut, laptop] = await Promise.all([client('sdk-inbox').open(), client('sdk-inbox', { socketAuth: 'query' }).open()]);
    for (const title of ['one', 'two', 'three']) await sys.publish(['sdk-inbox'], { title });
    await Promise.all([sut.waitForSeqs(3), laptop.waitForSeqs(3)]);

    await sut.client.markRead(sut.notifications[0].id);

    await laptop.until(() => laptop.updated.length === 1 && laptop.unread.at(-1) === 2, 'the read on the other device');
    expect(laptop.updated[0]).toEqual({ id: sut.notifications[0].id, readAt: expect.any(String) });
    expect(await laptop.client.unreadCount()).toBe(2);

    await laptop.client.markAllRead();

    await sut.until(() => sut.readAll.length === 1 && sut.unread.at(-1) === 0, 'read_all on the other device');
    expect(await sut.client.unreadCount()).toBe(0);
    expect((await sut.client.list({ unread: true })).items).toEqual([]);
    expect((await sut.client.list({ limit: 2 })).items.map((n) => n.title)).toEqual(['three', 'two']);
  });

  it('resumes after a gateway restart without loss or duplicates', async () => {
    const sut = await client('sdk-resume', { backoffCapMs: 1000 }).open();
    for (const title of ['1', '2', '3']) await sys.publish(['sdk-resume'], { title });
    await sut.waitForSeqs(3);

    await restartGateway(async () => {
      await sut.until(() => sut.client.state !== 'open', 'the drop');
      for (const title of ['4', '5', '6']) await sys.publish(['sdk-resume'], { title });
    });
    await sut.until(() => sut.client.state === 'open', 'reconnect', 15_000);
    await sys.publish(['sdk-resume'], { title: '7' });
    await sut.waitForSeqs(7);
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a duplicate to show up

    expect(sut.seqs()).toEqual(range(1, 7));
    expect(new Set(sut.notifications.map((n) => n.id)).size).toBe(7);
    // Every reconnect resumes from what the client held; the first from seq 3.
    // (A later attempt may carry a higher seq if an earlier one, or a poll, got further.)
    const sinces = sut.socketUrls.slice(1).map((u) => Number(new URL(u).searchParams.get('since')));
    expect(sinces[0]).toBe(3);
    expect(sinces).toEqual([...sinces].sort((a, b) => a - b));
    expect(sut.states).toEqual(expect.arrayContaining(['reconnecting']));
    await sut.until(() => sut.unread.at(-1) === 7, 'unread 7');
  });
});
