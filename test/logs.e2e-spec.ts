import { Scope } from '@herald/contracts';
import { createKey, herald } from './support/herald-cli.js';
import { http } from './support/http-client.js';
import { startProcessSystem, type ProcessSystem } from './support/process-system.js';
import { TestSocket } from './support/test-socket.js';

describe('credentials never reach the logs (api and gateway as real processes, LOG_LEVEL=trace)', () => {
  let sys: ProcessSystem;

  beforeAll(async () => {
    sys = await startProcessSystem({ gateways: 1, env: { LOG_LEVEL: 'trace' } });
  }, 60000);
  afterAll(async () => {
    await sys.close();
  });

  it('masks tokens and tickets in every line, on every path', async () => {
    const user = sys.userToken('log-user');
    const expired = sys.userToken('log-user', { expiresIn: -10 });
    const service = sys.serviceToken();
    const ticket = (await http(sys.api.url, 'POST', '/v1/ws-tickets', { token: user })).body.ticket as string;

    await http(sys.api.url, 'GET', '/v1/notifications', { token: user });
    await http(sys.api.url, 'GET', `/v1/notifications?token=${user}`);
    await http(sys.api.url, 'GET', '/v1/notifications', { token: expired });
    await sys.publish(['log-user']);
    const byQuery = await TestSocket.connect(`${sys.gateways[0].wsUrl}?token=${user}`);
    const byTicket = await TestSocket.connect(`${sys.gateways[0].wsUrl}?ticket=${ticket}`);
    const refused = await TestSocket.open(`${sys.gateways[0].wsUrl}?token=${expired}`);
    await refused.closed;
    await byQuery.close();
    await byTicket.close();
    await new Promise((r) => setTimeout(r, 300));

    const logs = sys.api.output() + sys.gateways[0].output();
    expect(logs).toContain('/v1/notifications'); // the requests were logged at all
    expect(logs).toContain('token=***');
    for (const secret of [user, expired, service, ticket, sys.secret]) {
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain(secret.split('.')[2] ?? secret); // not even the signature part
    }
  }, 30000);

  it('never logs an API key, used, refused or revoked, even at trace level', async () => {
    const env = { DATABASE_URL: sys.db.url };
    const key = await createKey(env, 'logged', [Scope.Publish]);
    const altered = key.slice(0, -2) + (key.endsWith('AA') ? 'BB' : 'AA');

    await http(sys.api.url, 'POST', '/v1/notifications', { token: key, body: { recipients: ['log-user'], type: 'log', title: 'by key' } });
    await http(sys.api.url, 'GET', '/v1/notifications', { token: altered });
    await http(sys.api.url, 'GET', `/v1/notifications?token=${key}`);
    await herald(['keys', 'revoke', key.slice(5, 21)], env);
    await new Promise((r) => setTimeout(r, 2500)); // past the api's key cache
    await http(sys.api.url, 'POST', '/v1/notifications', { token: key, body: { recipients: ['log-user'], type: 'log', title: 'revoked' } });
    const refused = await TestSocket.open(`${sys.gateways[0].wsUrl}?token=${key}`);
    await refused.closed;
    await new Promise((r) => setTimeout(r, 300));

    const logs = sys.api.output() + sys.gateways[0].output();
    expect(logs).toContain('API key'); // the refusals were logged, at debug level
    for (const secret of [key, altered]) expect(logs).not.toContain(secret.slice(22)); // not even the secret part
  }, 30000);

  it('writes one line per answered request, with its status and time, and none for health probes', async () => {
    const before = sys.api.output().length;
    await http(sys.api.url, 'GET', '/healthz');
    await http(sys.api.url, 'GET', '/v1/notifications?limit=3', { token: sys.userToken('log-line-user') });
    await http(sys.api.url, 'GET', '/v1/notifications');
    await new Promise((r) => setTimeout(r, 300));

    const lines = sys.api.output().slice(before).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
    const requests = lines.filter((l) => l.msg === 'request completed');
    expect(requests.map((l) => [l.req.method, l.req.url, l.res.statusCode])).toEqual([
      ['GET', '/v1/notifications?limit=3', 200],
      ['GET', '/v1/notifications', 401],
    ]);
    for (const l of requests) {
      expect(l).toMatchObject({ app: 'api', level: 30, req: { id: expect.anything() } });
      expect(l.responseTime).toEqual(expect.any(Number));
    }
  }, 30000);
});
