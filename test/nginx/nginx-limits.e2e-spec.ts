import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freePort } from '../../scripts/harness/network.mjs';
import { startNginx, stopNginx, writeSite, type NginxSite } from '../deploy/support/nginx.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

const portOf = (url: string) => Number(new URL(url).port);

/**
 * Debian's nginx with deploy/nginx/herald.conf and the shipped limits.conf
 * in front of the real api and a gateway: a flood from one address meets
 * 429 at the edge while a client on another address goes on as normal.
 * Loopback addresses 127.0.0.2 and 127.0.0.3 stand for two clients.
 */
describe('the shipped nginx limits, against a flood from one address', () => {
  let sys: TestSystem;
  let site: NginxSite;
  let nginx: ChildProcess | undefined;
  let ca: Buffer;
  let base: string;

  beforeAll(async () => {
    // Herald trusts its proxy, so its own per-address budgets see the clients nginx sees.
    sys = await startTestSystem({ gateways: 1, env: { NODE_ENV: 'production', HERALD_TRUSTED_PROXIES: 'loopback' } });
    site = writeSite({ port: await freePort(), gateways: [portOf(sys.gateways[0].url)], apis: [portOf(sys.apis[0].url)], limits: 'shipped', workerConnections: 2048 });
    nginx = await startNginx(site);
    ca = readFileSync(join(site.dir, 'certs', 'tls.crt'));
    base = `https://127.0.0.1:${site.port}`;
  }, 60_000);
  afterAll(async () => {
    await stopNginx(nginx, site);
    await sys?.close();
  });

  /** GET over TLS from `from` (on kept-alive connections, with `agent`); the status and the headers that matter here. */
  const get = (path: string, token: string, from: string, agent: Agent | false = false) =>
    new Promise<{ status: number; server?: string; hsts?: string }>((resolve, reject) => {
      const req = request(`${base}${path}`, { ca, localAddress: from, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume().on('end', () => resolve({ status: res.statusCode ?? 0, server: res.headers.server as string | undefined, hsts: res.headers['strict-transport-security'] as string }));
      });
      req.on('error', reject).end();
    });

  /** A WebSocket upgrade from `from`: 101, or the status nginx answered instead. */
  const handshake = (token: string, from: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${base.replace('https', 'wss')}/ws?token=${token}`, { ca, localAddress: from });
      ws.once('upgrade', () => resolve(101));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(0));
      ws.once('open', () => ws.terminate());
    });

  const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

  it('answers an api flood with 429 at the edge, and a client elsewhere with 200', async () => {
    // 600 requests on 32 kept-alive connections: TLS handshakes would otherwise spread the flood out.
    const agent = new Agent({ keepAlive: true, maxSockets: 32, ca, localAddress: '127.0.0.2' });
    const started = performance.now();
    const flood = await Promise.all(Array.from({ length: 600 }, () => get('/v1/notifications/unread-count', sys.userToken('flooder'), '127.0.0.2', agent)));
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    const normal = [];
    for (let i = 0; i < 5; i++) normal.push(await get('/v1/notifications/unread-count', sys.userToken('neighbour'), '127.0.0.3'));

    const statuses = flood.map((r) => r.status);
    expect(count(statuses, 200) + count(statuses, 429)).toBe(600);
    // 50 a second with bursts of 100: no more got through than that allows, and the rest were refused.
    expect(count(statuses, 200)).toBeLessThanOrEqual(100 + 50 * Math.ceil(seconds));
    expect(count(statuses, 429)).toBeGreaterThan(0);
    expect(normal.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // No version in the Server header; HSTS on every answer, a refusal included.
    expect(new Set(flood.map((r) => r.server))).toEqual(new Set(['nginx']));
    expect(flood.find((r) => r.status === 429)?.hsts).toBe('max-age=31536000');
    expect(normal[0].hsts).toBe('max-age=31536000');
  }, 60_000);

  it('answers a handshake flood with 429 at the edge, and a socket elsewhere opens', async () => {
    const started = performance.now();
    const flood = await Promise.all(Array.from({ length: 250 }, (_, i) => handshake(sys.userToken(`ws-flood-${i}`), '127.0.0.4')));
    const seconds = (performance.now() - started) / 1000;
    const normal = await handshake(sys.userToken('ws-neighbour'), '127.0.0.5');

    expect(count(flood, 101) + count(flood, 429)).toBe(250);
    // 10 a second with bursts of 50.
    expect(count(flood, 101)).toBeLessThanOrEqual(50 + 10 * Math.ceil(seconds));
    expect(count(flood, 429)).toBeGreaterThan(0);
    expect(normal).toBe(101);
  }, 60_000);
});
