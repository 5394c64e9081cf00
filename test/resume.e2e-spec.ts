import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

describe('resume with ?since= (real Postgres, Redis, ws)', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 2 });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('replays exactly what was missed, in order, on the other gateway, then synced', async () => {
    const first = await TestSocket.connect(sys.socketUrl(0, 'u-resume'));
    await sys.publish(['u-resume'], { title: 'seen' });
    const [seen] = await first.waitForNotifications(1);
    await first.close();

    for (let i = 1; i <= 5; i++) expect((await sys.publish(['u-resume'], { title: `missed ${i}` })).status).toBe(201);
    const second = await TestSocket.connect(sys.socketUrl(1, 'u-resume', `since=${seen.seq}`));
    await second.waitFor((f) => f.type === 'synced');

    expect(second.frames.map((f) => f.type)).toEqual(['welcome', ...Array(5).fill('notification'), 'synced']);
    expect(second.notifications().map((n) => n.title)).toEqual(['missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5']);
    expect(second.ofType('synced')[0].seq).toBe(6);

    await sys.publish(['u-resume'], { title: 'live' });
    const all = await second.waitForNotifications(6);
    expect(all.map((n) => n.seq)).toEqual([2, 3, 4, 5, 6, 7]);
    await second.close();
  });

  it('loses nothing published while the resume is being read (subscribe, then read)', async () => {
    const publishing = Promise.all(Array.from({ length: 40 }, (_, i) => sys.publish(['u-race'], { title: `r${i}` })));
    const socket = await TestSocket.connect(sys.socketUrl(0, 'u-race', 'since=0'));
    await publishing;

    const seqs = (await socket.waitForNotifications(40)).map((n) => n.seq);
    await new Promise((r) => setTimeout(r, 200));
    expect(socket.notifications().map((n) => n.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(seqs).toHaveLength(40);
    await socket.close();
  });

  it('answers resync_required when more than 1000 are missing', async () => {
    for (let batch = 0; batch < 1001; batch += 50) {
      const size = Math.min(50, 1001 - batch);
      const results = await Promise.all(Array.from({ length: size }, () => sys.publish(['u-many'])));
      expect(results.every((r) => r.status === 201)).toBe(true);
    }

    const socket = await TestSocket.connect(sys.socketUrl(1, 'u-many', 'since=0'));
    const resync = await socket.waitFor((f) => f.type === 'resync_required');

    expect(resync.lastSeq).toBe(1001);
    expect(socket.notifications()).toHaveLength(0);
    await socket.close();
  }, 60000);

  it('answers resync_required for a since the server never issued', async () => {
    await sys.publish(['u-future']);

    const socket = await TestSocket.connect(sys.socketUrl(0, 'u-future', 'since=99'));

    const resync = await socket.waitFor((f) => f.type === 'resync_required');
    expect(resync.lastSeq).toBe(1);
    await socket.close();
  });

  it('refuses a malformed since with close code 1008', async () => {
    const socket = await TestSocket.open(sys.socketUrl(0, 'u-bad', 'since=abc'));

    const { code } = await socket.closed;

    expect(code).toBe(1008);
  });
});
