import { Scope } from '@herald/contracts';
import { createKey } from './support/herald-cli.js';
import { http } from './support/http-client.js';
import { startProcessSystem, type ProcessSystem } from './support/process-system.js';
import { TestSocket } from './support/test-socket.js';

const ORIGIN = 'https://app.example.com';
const AGENT = 'audit-test-agent/1.0';

type AuditLine = Record<string, unknown> & { log: string; event: string };

/** Every `"log":"audit"` JSON line a process printed. */
function auditLines(output: string): AuditLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"log":"audit"'))
    .map((line) => JSON.parse(line) as AuditLine);
}

/**
 * The api and a gateway as real processes at the default log level (info):
 * every accepted and refused handshake and every 401/403 of the HTTP guard
 * is one structured audit line with who, from where and why, and no line
 * anywhere carries a credential.
 */
describe('audit log of authentication', () => {
  let sys: ProcessSystem;

  beforeAll(async () => {
    sys = await startProcessSystem({ gateways: 1, env: { LOG_LEVEL: 'info', HERALD_ALLOWED_ORIGINS: ORIGIN } });
  }, 60_000);
  afterAll(async () => {
    await sys.close();
  });

  it('records each kind of event with its fields and never a credential', async () => {
    const user = sys.userToken('audit-user');
    const expired = sys.userToken('audit-user', { expiresIn: -10 });
    const service = sys.serviceToken();
    const ws = (query: string, from: string, origin = ORIGIN) =>
      TestSocket.open(`${sys.gateways[0].wsUrl}?${query}`, { localAddress: from, headers: { origin, 'user-agent': AGENT } });
    const refusedWith = async (socket: Promise<TestSocket>) => (await (await socket).closed).code;
    const ticket = (await http(sys.api.url, 'POST', '/v1/ws-tickets', { token: user })).body.ticket as string;

    const byToken = await ws(`token=${user}`, '127.0.0.41');
    await byToken.waitFor((f) => f.type === 'welcome');
    const byTicket = await ws(`ticket=${ticket}`, '127.0.0.42');
    await byTicket.waitFor((f) => f.type === 'welcome');
    const closes = [
      await refusedWith(ws(`ticket=${ticket}`, '127.0.0.43')),
      await refusedWith(ws('token=garbage', '127.0.0.44')),
      await refusedWith(ws(`token=${expired}`, '127.0.0.45')),
      await refusedWith(ws('', '127.0.0.46')),
      await refusedWith(ws(`token=${user}`, '127.0.0.47', 'https://evil.test')),
      await refusedWith(ws(`token=${service}`, '127.0.0.48')),
    ];
    const call = (method: string, path: string, token: string | undefined, from: string) =>
      http(sys.api.url, method, path, { token, from, headers: { origin: ORIGIN, 'user-agent': AGENT } });
    const statuses = [
      (await call('GET', '/v1/notifications', undefined, '127.0.0.51')).status,
      (await call('GET', '/v1/notifications?token=in-the-query', 'garbage', '127.0.0.52')).status,
      (await call('GET', '/v1/notifications', expired, '127.0.0.53')).status,
      (await call('GET', '/v1/notifications', service, '127.0.0.54')).status,
      (await call('POST', '/v1/notifications', user, '127.0.0.55')).status,
    ];
    await byToken.close();
    await byTicket.close();
    await new Promise((r) => setTimeout(r, 300)); // the last lines reach the pipes

    const lines = [...auditLines(sys.gateways[0].output()), ...auditLines(sys.api.output())];
    const from = (ip: string) => lines.filter((l) => l.ip === ip);
    const common = { log: 'audit', origin: ORIGIN, userAgent: AGENT };

    expect(closes).toEqual([4003, 4001, 4002, 4001, 4003, 4003]);
    expect(statuses).toEqual([401, 401, 401, 403, 403]);
    expect(from('127.0.0.41')).toEqual([expect.objectContaining({ ...common, event: 'socket.accepted', user: 'audit-user', principal: 'user' })]);
    expect(from('127.0.0.42')).toEqual([expect.objectContaining({ ...common, event: 'socket.accepted', user: 'audit-user' })]);
    expect(from('127.0.0.43')).toEqual([expect.objectContaining({ ...common, event: 'socket.refused', reason: 'ticket', code: 4003 })]);
    expect(from('127.0.0.44')).toEqual([expect.objectContaining({ ...common, event: 'socket.refused', reason: 'invalid_token', code: 4001 })]);
    expect(from('127.0.0.45')).toEqual([expect.objectContaining({ ...common, event: 'socket.refused', reason: 'expired', code: 4002 })]);
    expect(from('127.0.0.46')).toEqual([expect.objectContaining({ ...common, event: 'socket.refused', reason: 'missing_token', code: 4001 })]);
    expect(from('127.0.0.47')).toEqual([expect.objectContaining({ ...common, origin: 'https://evil.test', event: 'socket.refused', reason: 'origin', code: 4003 })]);
    expect(from('127.0.0.48')).toEqual([expect.objectContaining({ ...common, event: 'socket.refused', reason: 'service_token', code: 4003, user: 'test-service', principal: 'service' })]);
    const httpRefusal = { ...common, event: 'http.refused', method: 'GET', path: '/v1/notifications' };
    expect(from('127.0.0.51')).toEqual([expect.objectContaining({ ...httpRefusal, reason: 'missing_token', code: 401 })]);
    expect(from('127.0.0.52')).toEqual([expect.objectContaining({ ...httpRefusal, reason: 'invalid_token', code: 401 })]);
    expect(from('127.0.0.53')).toEqual([expect.objectContaining({ ...httpRefusal, reason: 'token_expired', code: 401 })]);
    expect(from('127.0.0.54')).toEqual([expect.objectContaining({ ...httpRefusal, reason: 'service_token_on_user_route', code: 403, user: 'test-service', principal: 'service' })]);
    expect(from('127.0.0.55')).toEqual([expect.objectContaining({ ...httpRefusal, method: 'POST', reason: 'missing_scope', code: 403, user: 'audit-user' })]);
    // Unverified tokens name no one.
    for (const ip of ['127.0.0.44', '127.0.0.45', '127.0.0.51', '127.0.0.52', '127.0.0.53']) expect(from(ip)[0]).not.toHaveProperty('user');

    const everything = sys.api.output() + sys.gateways[0].output();
    for (const credential of [user, expired, service, ticket, sys.secret, 'in-the-query']) {
      expect(everything).not.toContain(credential);
      for (const part of credential.split('.')) expect(everything).not.toContain(part.slice(0, 16));
    }
  }, 30_000);

  it('records API key refusals like any other: unverified ones name no one, a verified key names its service', async () => {
    const key = await createKey({ DATABASE_URL: sys.db.url }, 'audited', [Scope.Publish]);
    const altered = key.slice(0, -2) + (key.endsWith('AA') ? 'BB' : 'AA');
    const call = (path: string, token: string, from: string) => http(sys.api.url, 'GET', path, { token, from, headers: { origin: ORIGIN, 'user-agent': AGENT } });

    const statuses = [(await call('/v1/notifications', altered, '127.0.0.61')).status, (await call('/v1/notifications', key, '127.0.0.62')).status];
    const socket = await TestSocket.open(`${sys.gateways[0].wsUrl}?token=${key}`, { localAddress: '127.0.0.63', headers: { origin: ORIGIN, 'user-agent': AGENT } });
    const closed = await socket.closed;
    await new Promise((r) => setTimeout(r, 300)); // the last lines reach the pipes

    const lines = [...auditLines(sys.gateways[0].output()), ...auditLines(sys.api.output())];
    const from = (ip: string) => lines.filter((l) => l.ip === ip);
    expect(statuses).toEqual([401, 403]);
    expect(closed.code).toBe(4001);
    expect(from('127.0.0.61')).toEqual([expect.objectContaining({ event: 'http.refused', reason: 'invalid_token', code: 401 })]);
    expect(from('127.0.0.61')[0]).not.toHaveProperty('user');
    expect(from('127.0.0.62')).toEqual([expect.objectContaining({ event: 'http.refused', reason: 'service_token_on_user_route', code: 403, user: 'apikey:audited', principal: 'service' })]);
    expect(from('127.0.0.63')).toEqual([expect.objectContaining({ event: 'socket.refused', reason: 'invalid_token', code: 4001 })]);
    expect(sys.api.output() + sys.gateways[0].output()).not.toContain(key.slice(22, 38));
  }, 30_000);
});
