import jwt from 'jsonwebtoken';
import { http } from './support/http-client.js';
import { startJwksServer, type JwksServer } from './support/jwks-server.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

const now = () => Math.floor(Date.now() / 1000);
const unsigned = (payload: object) =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

describe('authentication on HTTP and on the socket (one verifier)', () => {
  let sys: TestSystem;
  let idp: JwksServer;
  const ISSUER = 'https://idp.test';
  const AUDIENCE = 'herald';

  beforeAll(async () => {
    idp = await startJwksServer();
    sys = await startTestSystem({
      gateways: 1,
      env: { HERALD_JWT_JWKS_URL: idp.url, HERALD_JWT_ISSUER: ISSUER, HERALD_JWT_AUDIENCE: AUDIENCE },
    });
  });
  afterAll(async () => {
    await sys.close();
    await idp.close();
  });

  const hs = (claims: object, secret = sys.secret, opts: jwt.SignOptions = {}) =>
    jwt.sign({ iss: ISSUER, aud: AUDIENCE, ...claims }, secret, { algorithm: 'HS256', ...opts });
  const good = (sub: string) => hs({ sub, exp: now() + 600 });

  const cases: [string, () => string | undefined, string, number][] = [
    ['missing', () => undefined, 'unauthorized', 4001],
    ['garbage', () => 'not.a.jwt', 'unauthorized', 4001],
    ['signed with the wrong key', () => hs({ sub: 'eve', exp: now() + 600 }, 'x'.repeat(40)), 'unauthorized', 4001],
    ['alg none', () => unsigned({ sub: 'eve', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 }), 'unauthorized', 4001],
    ['HS256 signed with the JWKS public key (algorithm switch)', () => hs({ sub: 'eve', exp: now() + 600 }, idp.rsaPublicPem), 'unauthorized', 4001],
    ['without exp', () => hs({ sub: 'eve' }), 'unauthorized', 4001],
    ['for another issuer', () => hs({ sub: 'eve', exp: now() + 600, iss: 'https://other.test' }), 'unauthorized', 4001],
    ['for another audience', () => hs({ sub: 'eve', exp: now() + 600, aud: 'other' }), 'unauthorized', 4001],
    ['expired', () => hs({ sub: 'eve', exp: now() - 60 }), 'token_expired', 4002],
  ];

  it.each(cases)('refuses a %s token on HTTP with 401', async (_name, token, code) => {
    const res = await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: token() });

    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, code });
    // The answer names the failure, never what was expected (issuer, audience, keys).
    expect(res.body.message).toMatch(/^(credentials are missing|invalid credentials|token expired)$/);
  });

  it.each(cases)('closes a socket with a %s token at once (%s → %i)', async (_name, token, _code, closeCode) => {
    const t = token();
    const url = sys.gateways[0].wsUrl + (t ? `?token=${encodeURIComponent(t)}` : '');
    const socket = await TestSocket.open(url);

    const closed = await socket.closed;

    expect(closed.code).toBe(closeCode);
    expect(socket.frames).toEqual([]);
  });

  it('accepts HS256, RS256 and ES256 tokens on both paths', async () => {
    const rs = jwt.sign({ sub: 'rs-user', iss: ISSUER, aud: AUDIENCE }, idp.rsaPrivate, { algorithm: 'RS256', keyid: 'rsa-1', expiresIn: 600 });
    const es = jwt.sign({ sub: 'es-user', iss: ISSUER, aud: AUDIENCE }, idp.ecPrivate, { algorithm: 'ES256', keyid: 'ec-1', expiresIn: 600 });

    for (const [token, sub] of [[good('hs-user'), 'hs-user'], [rs, 'rs-user'], [es, 'es-user']]) {
      const res = await http(sys.apis[0].url, 'GET', '/v1/notifications/unread-count', { token });
      expect(res.status).toBe(200);
      const socket = await TestSocket.connect(`${sys.gateways[0].wsUrl}?token=${token}`);
      expect(socket.ofType('welcome')[0].userId).toBe(sub);
      await socket.close();
    }
  });

  it('takes the token from the Authorization header on the socket', async () => {
    const socket = await TestSocket.connect(sys.gateways[0].wsUrl, { headers: { authorization: `Bearer ${good('header-user')}` } });

    expect(socket.ofType('welcome')[0].userId).toBe('header-user');
    await socket.close();
  });

  it('refuses a user token on the publish route with 403', async () => {
    const res = await http(sys.apis[0].url, 'POST', '/v1/notifications', {
      token: good('mallory'),
      body: { recipients: ['alice'], type: 'x', title: 'spoof' },
    });

    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });
});
