import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

describe('sockets under abuse: tickets, origins, token lifetime, limits', () => {
  let sys: TestSystem;
  const ORIGIN = 'https://app.example.com';

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 1, env: { HERALD_ALLOWED_ORIGINS: ORIGIN } });
  });
  afterAll(async () => {
    await sys.close();
  });

  const ticketFor = async (token: string) => {
    const res = await http(sys.apis[0].url, 'POST', '/v1/ws-tickets', { token });
    expect(res.status).toBe(201);
    return res.body as { ticket: string; expiresIn: number };
  };

  describe('tickets', () => {
    it('opens one socket per ticket; a reused ticket closes with 4003', async () => {
      const { ticket, expiresIn } = await ticketFor(sys.userToken('u-ticket'));
      expect(expiresIn).toBeLessThanOrEqual(60);

      const first = await TestSocket.connect(`${sys.gateways[0].wsUrl}?ticket=${ticket}`);
      const reused = await TestSocket.open(`${sys.gateways[0].wsUrl}?ticket=${ticket}`);

      expect(first.ofType('welcome')[0].userId).toBe('u-ticket');
      expect((await reused.closed).code).toBe(4003);
      await first.close();
    });

    it('refuses a stale ticket and an invented one with 4003', async () => {
      const { ticket } = await ticketFor(sys.userToken('u-stale', { expiresIn: 1 }));
      await new Promise((r) => setTimeout(r, 1500));

      const stale = await TestSocket.open(`${sys.gateways[0].wsUrl}?ticket=${ticket}`);
      const invented = await TestSocket.open(`${sys.gateways[0].wsUrl}?ticket=${'A'.repeat(32)}`);

      expect((await stale.closed).code).toBe(4003);
      expect((await invented.closed).code).toBe(4003);
    });

    it('lets only 1 of 10 concurrent sockets use the same ticket', async () => {
      const { ticket } = await ticketFor(sys.userToken('u-race'));

      const sockets = await Promise.all(Array.from({ length: 10 }, () => TestSocket.open(`${sys.gateways[0].wsUrl}?ticket=${ticket}`)));
      await new Promise((r) => setTimeout(r, 300));

      const welcomed = sockets.filter((s) => s.ofType('welcome').length === 1);
      expect(welcomed).toHaveLength(1);
      await Promise.all(sockets.map((s) => s.close()));
    });
  });

  describe('origin allow list', () => {
    it.each([['https://evil.test'], ['null'], ['https://app.example.com.evil.test'], ['http://app.example.com']])(
      'closes a socket from %s with 4003 before anything else',
      async (origin) => {
        const socket = await TestSocket.open(sys.socketUrl(0, 'u-origin'), { headers: { origin } });

        expect((await socket.closed).code).toBe(4003);
        expect(socket.frames).toEqual([]);
      },
    );

    it('accepts the allowed origin', async () => {
      const socket = await TestSocket.connect(sys.socketUrl(0, 'u-origin'), { headers: { origin: ORIGIN } });

      expect(socket.ofType('welcome')).toHaveLength(1);
      await socket.close();
    });
  });

  describe('token lifetime', () => {
    it('closes the socket with 4002 when its token expires', async () => {
      const socket = await TestSocket.connect(`${sys.gateways[0].wsUrl}?token=${sys.userToken('u-exp', { expiresIn: 2 })}`);

      const closed = await socket.closed;

      expect(closed.code).toBe(4002);
    });

    it('keeps the socket open past exp after an auth frame with a fresh token for the same user', async () => {
      const socket = await TestSocket.connect(`${sys.gateways[0].wsUrl}?token=${sys.userToken('u-refresh', { expiresIn: 2 })}`);

      socket.send({ type: 'auth', token: sys.userToken('u-refresh', { expiresIn: 600 }) });
      socket.send({ type: 'auth', token: sys.userToken('someone-else', { expiresIn: 600 }) });
      await new Promise((r) => setTimeout(r, 3200));

      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
      expect(socket.ofType('error').map((f) => f.code)).toEqual(['wrong_user']);
      await sys.publish(['u-refresh']);
      await socket.waitForNotifications(1);
      await socket.close();
    });
  });

  describe('limits', () => {
    it('closes the 11th socket of one user with 4029', async () => {
      const ten = await Promise.all(Array.from({ length: 10 }, () => TestSocket.connect(sys.socketUrl(0, 'u-many'))));

      const eleventh = await TestSocket.open(sys.socketUrl(0, 'u-many'));

      expect((await eleventh.closed).code).toBe(4029);
      await Promise.all(ten.map((s) => s.close()));
    });

    it('closes a socket that sends a frame over 4 KiB with 1009', async () => {
      const socket = await TestSocket.connect(sys.socketUrl(0, 'u-big'));

      socket.send({ type: 'ping', pad: 'x'.repeat(5000) });

      expect((await socket.closed).code).toBe(1009);
    });

    it('closes a socket that sends more than 20 frames a second with 4008', async () => {
      const socket = await TestSocket.connect(sys.socketUrl(0, 'u-flood'));

      for (let i = 0; i < 30; i++) socket.send({ type: 'ping' });

      expect((await socket.closed).code).toBe(4008);
    });

    it('answers malformed JSON, unknown types and raw channel names with error frames and stays open', async () => {
      const socket = await TestSocket.connect(sys.socketUrl(0, 'u-junk'));

      socket.send('{not json');
      socket.send({ type: 'psubscribe', channel: 'herald:*' });
      // A subscribe names topics, never a Redis channel: another user's channel is no topic name.
      socket.send({ type: 'subscribe', channel: 'herald:u:{someone-else}' });
      socket.send({ type: 'subscribe', topics: ['herald:u:{someone-else}'] });
      socket.send({ type: 'ping' });
      await socket.waitFor((f) => f.type === 'pong');

      expect(socket.ofType('error').map((f) => f.code)).toEqual(['malformed_frame', 'unknown_type', 'malformed_frame', 'invalid_topic']);
      expect(socket.ofType('subscribed')).toEqual([]);
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
      await socket.close();
    });

    it('does not negotiate permessage-deflate', async () => {
      const socket = await TestSocket.connect(sys.socketUrl(0, 'u-deflate'), { perMessageDeflate: true });

      expect(socket.ws.extensions).toBe('');
      await socket.close();
    });
  });
});
