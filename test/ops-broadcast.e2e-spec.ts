import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

describe('ops: broadcasts', () => {
  let sys: TestSystem;
  const broadcast = (body: unknown, token = sys.adminToken()) => http(sys.apis[0].url, 'POST', '/v1/broadcasts', { token, body });

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 2, env: { HERALD_DRAIN_MS: '0' } });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('reaches every connected socket on every gateway, once, and stores nothing', async () => {
    const sockets = await Promise.all([
      TestSocket.connect(sys.socketUrl(0, 'b-ann')),
      TestSocket.connect(sys.socketUrl(1, 'b-bob')),
      TestSocket.connect(sys.socketUrl(1, 'b-bob')),
    ]);

    const res = await broadcast({ type: 'maintenance', title: 'Down at 22:00', body: 'For ten minutes', severity: 'warning', data: { window: 10 } });

    expect(res).toMatchObject({ status: 202, body: { id: expect.any(String) } });
    for (const socket of sockets) {
      const frame = await socket.waitFor((f) => f.type === 'broadcast');
      expect(frame.broadcast).toEqual({
        id: res.body.id,
        type: 'maintenance',
        title: 'Down at 22:00',
        body: 'For ten minutes',
        severity: 'warning',
        data: { window: 10 },
        createdAt: expect.any(String),
      });
    }
    await new Promise((r) => setTimeout(r, 100));
    for (const socket of sockets) expect(socket.ofType('broadcast')).toHaveLength(1);
    const inbox = await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: sys.userToken('b-ann') });
    expect(inbox.body.items).toEqual([]);
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('defaults severity to info and the optional fields to null', async () => {
    const socket = await TestSocket.connect(sys.socketUrl(0, 'b-cy'));

    const res = await broadcast({ type: 'hello', title: 'Hi all' });

    const frame = await socket.waitFor((f) => f.type === 'broadcast' && f.broadcast.id === res.body.id);
    expect(frame.broadcast).toMatchObject({ body: null, severity: 'info', data: null });
    await socket.close();
  });

  it('rejects unknown fields and bad values, naming each field', async () => {
    const unknown = await broadcast({ type: 'x', title: 'y', recipients: ['ann'] });
    const bad = await broadcast({ type: 'Bad Type', title: '', severity: 'loud', data: 'nope' });

    expect(unknown).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(unknown.body.details.map((d: { field: string }) => d.field)).toContain('recipients');
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(new Set(bad.body.details.map((d: { field: string }) => d.field))).toEqual(new Set(['type', 'title', 'severity', 'data']));
  });
});
