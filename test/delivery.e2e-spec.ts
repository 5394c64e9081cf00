import { multicastChannel, userChannel } from '@herald/contracts';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

describe('delivery across gateway replicas (real Postgres, Redis, ws)', () => {
  let sys: TestSystem;
  const sockets: TestSocket[] = [];
  const connect = async (url: string) => {
    const s = await TestSocket.connect(url);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    sys = await startTestSystem({ apis: 2, gateways: 2 });
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await sys.close();
  });

  const numsub = async (userId: string): Promise<number> => {
    const channel = userChannel(userId, sys.prefix);
    const [, count] = (await sys.redis.pubsub('NUMSUB', channel)) as [string, number];
    return Number(count);
  };

  it('delivers one POST to the user on both gateways, once each', async () => {
    const onA = await connect(sys.socketUrl(0, 'u-both'));
    const onB = await connect(sys.socketUrl(1, 'u-both'));

    const res = await sys.publish(['u-both'], { title: 'hello' });

    expect(res.status).toBe(201);
    const [a] = await onA.waitForNotifications(1);
    const [b] = await onB.waitForNotifications(1);
    expect(a).toMatchObject({ userId: 'u-both', seq: 1, title: 'hello' });
    expect(b.id).toBe(a.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(onA.notifications()).toHaveLength(1);
    expect(onB.notifications()).toHaveLength(1);
  });

  it('subscribes a gateway only while the user has sockets on it (PUBSUB NUMSUB)', async () => {
    const first = await connect(sys.socketUrl(0, 'u-ref'));
    expect(await numsub('u-ref')).toBe(1);

    const second = await connect(sys.socketUrl(0, 'u-ref'));
    expect(await numsub('u-ref')).toBe(1); // same gateway: one subscription, counted

    const onB = await connect(sys.socketUrl(1, 'u-ref'));
    expect(await numsub('u-ref')).toBe(2);

    await first.close();
    await onB.close();
    await waitUntil(async () => (await numsub('u-ref')) === 1);
    await second.close();
    await waitUntil(async () => (await numsub('u-ref')) === 0);
    expect(await numsub('u-ref')).toBe(0);
  });

  it('delivers 200 concurrent POSTs from two api instances as seq 1..200, once, in order', async () => {
    const socket = await connect(sys.socketUrl(1, 'u-order'));

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => sys.publish(['u-order'], { title: `n${i}` }, i % 2)),
    );

    expect(results.every((r) => r.status === 201)).toBe(true);
    const seqs = (await socket.waitForNotifications(200, 20000)).map((n) => n.seq);
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.notifications().map((n) => n.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(seqs).size).toBe(200);
  });

  it('sends a many-recipient POST as one multicast message; each recipient on each gateway gets its own copy, in seq order', async () => {
    const recipients = Array.from({ length: 40 }, (_, i) => `u-multi-${i}`);
    const onA = await connect(sys.socketUrl(0, recipients[0]));
    const onB = await connect(sys.socketUrl(1, recipients[1]));
    const twiceA = await connect(sys.socketUrl(0, recipients[39]));
    const twiceB = await connect(sys.socketUrl(1, recipients[39]));
    const listener = sys.redis.duplicate();
    const multicasts: string[] = [];
    listener.on('message', (_channel: string, payload: string) => multicasts.push(payload));
    await listener.subscribe(multicastChannel(sys.prefix));

    await sys.publish([recipients[0], recipients[1]], { title: 'before' });
    const res = await sys.publish(recipients, { title: 'to many', body: 'b', data: { k: [1, 'two'] }, link: 'https://example.test/x' });
    await sys.publish([recipients[0], recipients[39]], { title: 'after' });

    expect(res.status).toBe(201);
    const created = new Map(res.body.notifications.map((n: { userId: string; id: string; seq: number }) => [n.userId, n]));
    for (const [socket, userId, titles] of [
      [onA, recipients[0], ['before', 'to many', 'after']],
      [onB, recipients[1], ['before', 'to many']],
      [twiceA, recipients[39], ['to many', 'after']],
      [twiceB, recipients[39], ['to many', 'after']],
    ] as const) {
      const got = await socket.waitForNotifications(titles.length);
      expect(got.map((n) => n.title)).toEqual(titles);
      expect(got.map((n) => n.seq)).toEqual(titles.map((_, i) => i + 1));
      const copy = got.find((n) => n.title === 'to many');
      expect(copy).toMatchObject({
        id: (created.get(userId) as { id: string }).id, userId, seq: (created.get(userId) as { seq: number }).seq,
        type: expect.any(String), body: 'b', severity: 'info', data: { k: [1, 'two'] }, link: 'https://example.test/x', readAt: null, expiresAt: null,
      });
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(onA.notifications()).toHaveLength(3);
    expect(multicasts).toHaveLength(1);
    await listener.quit();
  });

  it('tells a new socket its lastSeq and unreadCount, and sends ?recent=N newest first', async () => {
    await sys.publish(['u-welcome'], { title: 'one' });
    await sys.publish(['u-welcome'], { title: 'two' });

    const socket = await connect(sys.socketUrl(0, 'u-welcome', 'recent=5'));

    const welcome = socket.ofType('welcome')[0];
    expect(welcome).toMatchObject({ userId: 'u-welcome', lastSeq: 2, unreadCount: 2, heartbeatMs: 25000 });
    expect(welcome.recent.map((n: { title: string }) => n.title)).toEqual(['two', 'one']);
  });

  it('exposes the gateway metrics ops need on its metrics port', async () => {
    const socket = await connect(sys.socketUrl(0, 'u-metrics'));
    await sys.publish(['u-metrics']);
    await socket.waitForNotifications(1);
    const refused = await TestSocket.open(`${sys.gateways[0].wsUrl}?token=garbage`);
    await refused.closed;

    const res = await fetch(`${sys.gateways[0].metricsUrl}/metrics`);
    const text = await res.text();

    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/^herald_gateway_connections [1-9]/m);
    expect(text).toMatch(/^herald_gateway_auth_failures_total\{reason="invalid_token"\} [1-9]/m);
    expect(text).toMatch(/^herald_gateway_frames_sent_total\{type="notification"\} [1-9]/m);
    expect(text).toMatch(/^herald_gateway_frames_sent_total\{type="welcome"\} [1-9]/m);
    expect(text).toMatch(/^herald_delivery_latency_seconds_count [1-9]/m);
    expect(text).toContain('herald_gateway_resumes_total');
    expect(text).toContain('herald_gateway_closes_total');
  });

  it('answers an app-level ping with pong', async () => {
    const socket = await connect(sys.socketUrl(0, 'u-ping'));

    socket.send({ type: 'ping' });

    const pong = await socket.waitFor((f) => f.type === 'pong');
    expect(typeof pong.ts).toBe('number');
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
