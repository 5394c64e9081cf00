import { sleep } from '../scripts/harness/wait.mjs';
import { http } from './support/http-client.js';
import { startProcessSystem, type ProcessSystem } from './support/process-system.js';
import { TestSocket } from './support/test-socket.js';

/** A user's view across reconnects: every seq it was sent, from every socket it held. */
class UserView {
  readonly seqs: number[] = [];
  socket: TestSocket | undefined;

  constructor(readonly userId: string) {}

  get lastSeq(): number {
    return this.seqs.length ? this.seqs[this.seqs.length - 1] : 0;
  }

  async connect(wsUrl: string, token: string, since?: number): Promise<void> {
    const socket = await TestSocket.open(`${wsUrl}?token=${token}${since === undefined ? '' : `&since=${since}`}`);
    // Frames that came in the same read as the upgrade were recorded by the
    // socket before this await returned: take them first, then follow live.
    this.seqs.push(...socket.notifications().map((n) => n.seq as number));
    socket.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'notification') this.seqs.push(frame.notification.seq);
    });
    await socket.waitFor((f) => f.type === (since === undefined ? 'welcome' : 'synced'));
    this.socket = socket;
  }
}

async function publishWhile(sys: ProcessSystem, users: string[], running: () => boolean, counts: Map<string, number>, max = 300): Promise<void> {
  for (let i = 0; running() && i < max; i++) {
    const user = users[i % users.length];
    const res = await sys.publish([user], { title: `m${i}` });
    if (res.status === 201) counts.set(user, (counts.get(user) ?? 0) + 1);
    await sleep(5);
  }
}

describe('pods dying: SIGKILL and SIGTERM drain (gateways as real processes)', () => {
  let sys: ProcessSystem;

  beforeEach(async () => {
    sys = await startProcessSystem({ gateways: 2, env: { HERALD_DRAIN_MS: '2000' } });
  }, 60000);
  afterEach(async () => {
    await sys.close();
  });

  it('a SIGKILLed gateway: its users resume on the other gateway with since and lose nothing', async () => {
    const views = Array.from({ length: 20 }, (_, i) => new UserView(`kill-${i}`));
    await Promise.all(views.map((v) => v.connect(sys.gateways[0].wsUrl, sys.userToken(v.userId))));
    const counts = new Map<string, number>();
    let running = true;
    const publishing = publishWhile(sys, views.map((v) => v.userId), () => running, counts);

    await sleep(300);
    await sys.gateways[0].stop('SIGKILL');
    await Promise.all(views.map((v) => v.socket?.closed));
    await Promise.all(views.map((v) => v.connect(sys.gateways[1].wsUrl, sys.userToken(v.userId), v.lastSeq)));
    await sleep(300);
    running = false;
    await publishing;

    for (const v of views) {
      const expected = counts.get(v.userId) ?? 0;
      await v.socket?.waitForNotifications(0);
      const deadline = Date.now() + 10000;
      while (v.seqs.length < expected && Date.now() < deadline) await sleep(50);
      expect(v.seqs).toEqual(Array.from({ length: expected }, (_, k) => k + 1));
    }
    await Promise.all(views.map((v) => v.socket?.close()));
  }, 60000);

  it('SIGTERM: not ready first, then 1012 closes spread over the window, exit before window + margin, no loss', async () => {
    const gw = sys.gateways[0];
    const views = Array.from({ length: 40 }, (_, i) => new UserView(`drain-${i}`));
    await Promise.all(views.map((v) => v.connect(gw.wsUrl, sys.userToken(v.userId))));
    const closes: { at: number; code: number }[] = [];
    let firstNotReadyAt = 0;
    for (const v of views) void v.socket?.closed.then(({ code }) => closes.push({ at: Date.now(), code }));
    const counts = new Map<string, number>();
    let running = true;
    const publishing = publishWhile(sys, views.map((v) => v.userId), () => running, counts);

    const sentAt = Date.now();
    const stopped = gw.stop('SIGTERM', 15000).then(() => Date.now());
    while (!firstNotReadyAt && Date.now() - sentAt < 3000) {
      const status = await http(gw.url, 'GET', '/readyz').then((r) => r.status, () => 0);
      if (status === 503) firstNotReadyAt = Date.now();
      else await sleep(20);
    }
    // Resume on the other gateway as each socket is told to go.
    await Promise.all(views.map(async (v) => {
      await v.socket?.closed;
      await v.connect(sys.gateways[1].wsUrl, sys.userToken(v.userId), v.lastSeq);
    }));
    const exitedAt = await stopped;
    await sleep(300);
    running = false;
    await publishing;

    expect(firstNotReadyAt).toBeGreaterThan(0);
    expect(closes).toHaveLength(40);
    expect(new Set(closes.map((c) => c.code))).toEqual(new Set([1012]));
    const times = closes.map((c) => c.at).sort((a, b) => a - b);
    expect(times[0]).toBeGreaterThanOrEqual(firstNotReadyAt);
    expect(times[times.length - 1] - times[0]).toBeGreaterThan(1000); // spread, not all at once
    expect(exitedAt - sentAt).toBeLessThan(2000 + 3000);
    for (const v of views) {
      const expected = counts.get(v.userId) ?? 0;
      const deadline = Date.now() + 10000;
      while (v.seqs.length < expected && Date.now() < deadline) await sleep(50);
      expect(v.seqs).toEqual(Array.from({ length: expected }, (_, k) => k + 1));
    }
    await Promise.all(views.map((v) => v.socket?.close()));
  }, 60000);
});
