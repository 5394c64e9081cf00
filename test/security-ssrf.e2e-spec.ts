import jwt from 'jsonwebtoken';
import { http } from './support/http-client.js';
import { startJwksServer, type JwksServer } from './support/jwks-server.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * Herald fetches keys only from HERALD_JWT_JWKS_URL. A token that names
 * another key set (`jku`, `x5u`) or carries its own key (`jwk`) must neither
 * be accepted nor make Herald request anything from where it points.
 */
describe('outbound requests: a token cannot point Herald at a URL', () => {
  let sys: TestSystem;
  let idp: JwksServer;
  let attacker: JwksServer;

  beforeAll(async () => {
    idp = await startJwksServer();
    attacker = await startJwksServer();
    sys = await startTestSystem({ gateways: 1, env: { HERALD_JWT_JWKS_URL: idp.url } });
  });
  afterAll(async () => {
    await sys.close();
    await idp.close();
    await attacker.close();
  });

  it('ignores jku, x5u and jwk headers on HTTP and on the socket, and never calls the URL they name', async () => {
    const forged = ['rsa-1', 'unknown-kid'].map((kid) =>
      jwt.sign({ sub: 'eve', exp: now() + 600 }, attacker.rsaPrivate, {
        algorithm: 'RS256',
        header: { alg: 'RS256', kid, jku: attacker.url, x5u: attacker.url, jwk: attacker.rsaJwk } as jwt.JwtHeader,
      }),
    );
    const genuine = jwt.sign({ sub: 'eve', exp: now() + 600 }, idp.rsaPrivate, { algorithm: 'RS256', keyid: 'rsa-1' });

    const answers = await Promise.all(forged.map((token) => http(sys.apis[0].url, 'GET', '/v1/notifications', { token })));
    const sockets = await Promise.all(forged.map((token) => TestSocket.open(`${sys.gateways[0].wsUrl}?token=${token}`)));
    const closes = await Promise.all(sockets.map((s) => s.closed));

    expect(answers.map((a) => a.body)).toEqual(Array(2).fill(expect.objectContaining({ statusCode: 401, message: 'invalid credentials' })));
    expect(closes.map((c) => c.code)).toEqual([4001, 4001]);
    expect(attacker.requests).toBe(0);
    expect(idp.requests).toBeGreaterThan(0); // keys come from the configured set only
    expect((await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: genuine })).status).toBe(200);
  });
});
