import jwt from 'jsonwebtoken';
import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

const nowSec = () => Date.now() / 1000;

/** Token holes a security review reproduced, each through the real HTTP and socket paths. */
describe('token rules on HTTP and on the socket', () => {
  let sys: TestSystem;
  // jsonwebtoken keeps an `iat` given in the claims; noTimestamp leaves it out altogether.
  const sign = (claims: object, noTimestamp = false) => jwt.sign(claims, sys.secret, { algorithm: 'HS256', noTimestamp });

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 1, env: { HERALD_JWT_MAX_LIFETIME_SECONDS: '86400' } });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('closes a socket whose token has a fractional exp when that exp comes', async () => {
    const iat = Math.floor(nowSec());
    const token = sign({ sub: 'fraction', iat, exp: nowSec() + 2.4 });
    const socket = await TestSocket.connect(`${sys.gateways[0].wsUrl}?token=${token}`);

    const closed = await Promise.race([socket.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), 9000))]);

    // Before the fix the expiry sat in a bucket no whole-second sweep visits: the socket stayed open.
    expect(closed).toMatchObject({ code: 4002 });
  });

  it('refuses a token issued in the future (beyond the clock skew) on both paths', async () => {
    const token = sign({ sub: 'time-traveller', iat: Math.floor(nowSec()) + 600, exp: Math.floor(nowSec()) + 1200 });

    expect((await http(sys.apis[0].url, 'GET', '/v1/notifications', { token })).body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
    const socket = await TestSocket.open(`${sys.gateways[0].wsUrl}?token=${token}`);
    expect((await socket.closed).code).toBe(4001);
  });

  it('refuses a token that lives longer than HERALD_JWT_MAX_LIFETIME_SECONDS, or has no iat to tell', async () => {
    const iat = Math.floor(nowSec());
    const tooLong = sign({ sub: 'forever', iat, exp: iat + 86400 + 60 });
    const noIat = sign({ sub: 'forever', exp: iat + 600 }, true);
    const fine = sign({ sub: 'forever', iat, exp: iat + 600 });

    expect((await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: tooLong })).status).toBe(401);
    expect((await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: noIat })).status).toBe(401);
    expect((await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: fine })).status).toBe(200);
    expect((await (await TestSocket.open(`${sys.gateways[0].wsUrl}?token=${tooLong}`)).closed).code).toBe(4001);
  });

  it("keeps a service token off a user's inbox and tickets, even with that user's sub", async () => {
    await sys.publish(['bob'], { title: 'for bob only' });
    const service = sys.serviceToken({ sub: 'bob' });

    const inbox = await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: service });
    const ticket = await http(sys.apis[0].url, 'POST', '/v1/ws-tickets', { token: service });
    const own = await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: sys.userToken('bob') });

    expect(inbox.body).toMatchObject({ statusCode: 403, code: 'forbidden' });
    expect(ticket.status).toBe(403);
    expect(own.body.items.map((n: { title: string }) => n.title)).toEqual(['for bob only']);
  });

  it('keeps each app to its own keys when several run in one process', async () => {
    const other = await startTestSystem({ gateways: 0 });
    try {
      expect((await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: sys.userToken('a') })).status).toBe(200);
      expect((await http(other.apis[0].url, 'GET', '/v1/notifications', { token: other.userToken('a') })).status).toBe(200);
      expect((await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: other.userToken('a') })).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
