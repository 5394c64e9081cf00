import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { freePort } from '../../scripts/harness/network.mjs';
import { nginxArgs, nginxBin, startNginx, stopNginx, writeSite, type NginxSite } from './support/nginx.js';
import { readRepoFile } from './support/repo.js';

const site = readRepoFile('deploy/nginx/herald.conf');
const upstreams = readRepoFile('deploy/nginx/upstreams.conf');
const limits = readRepoFile('deploy/nginx/limits.conf');
const config = Object.fromEntries(
  readRepoFile('k8s/base/config.env').trim().split('\n').map((l) => l.split('=') as [string, string]),
);

/** The body of `location <path> { ... }`, braces balanced. */
function location(path: string): string {
  const start = site.indexOf(`location ${path} {`);
  if (start < 0) throw new Error(`no location ${path}`);
  let depth = 0;
  for (let i = site.indexOf('{', start); i < site.length; i += 1) {
    if (site[i] === '{') depth += 1;
    if (site[i] === '}' && --depth === 0) return site.slice(start, i + 1);
  }
  throw new Error(`unbalanced location ${path}`);
}
const seconds = (block: string, directive: string) => Number(block.match(new RegExp(`${directive} (\\d+)s;`))?.[1]);

describe('deploy/nginx/herald.conf', () => {
  it('upgrades WebSockets on /ws to the gateway upstream, unbuffered', () => {
    const sut = location('/ws');
    expect(site).toMatch(/map \$http_upgrade \$connection_upgrade \{/);
    for (const line of [
      'proxy_pass http://gateway;',
      'proxy_http_version 1.1;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection $connection_upgrade;',
      'proxy_buffering off;',
    ]) {
      expect(sut).toContain(line);
    }
  });

  it('keeps idle WebSockets open well past the heartbeat', () => {
    const sut = location('/ws');
    const heartbeat = Number(config.HERALD_HEARTBEAT_MS) / 1000;
    expect(seconds(sut, 'proxy_read_timeout')).toBeGreaterThanOrEqual(Math.max(75, 2 * heartbeat));
    expect(seconds(sut, 'proxy_send_timeout')).toBeGreaterThanOrEqual(Math.max(75, 2 * heartbeat));
  });

  it('sends everything else to the api, and forwards client address and scheme on both routes', () => {
    expect(location('/')).toContain('proxy_pass http://api;');
    for (const sut of [location('/'), location('/ws')]) {
      expect(sut).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
      expect(sut).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
    }
  });

  it('limits bodies to HERALD_HTTP_BODY_LIMIT', () => {
    const kib = Number(site.match(/client_max_body_size (\d+)k;/)?.[1]);
    expect(kib * 1024).toBe(Number(config.HERALD_HTTP_BODY_LIMIT));
  });

  it('terminates TLS with the documented substitutable cert paths', () => {
    expect(site).toMatch(/^\s*listen 8443 ssl;/m);
    expect(site).toContain('ssl_certificate     /etc/nginx/certs/tls.crt;');
    expect(site).toContain('ssl_certificate_key /etc/nginx/certs/tls.key;');
  });

  it('hides its version and sends HSTS on every answer', () => {
    expect(site).toMatch(/^\s*server_tokens off;/m);
    expect(site).toMatch(/^\s*add_header Strict-Transport-Security "max-age=\d+" always;/m);
  });

  it('limits handshakes and api requests per client address, refusing with 429', () => {
    const zones = Object.fromEntries([...limits.matchAll(/^limit_req_zone \$binary_remote_addr zone=(\w+):\d+m rate=(\d+)r\/s;/gm)].map((m) => [m[1], Number(m[2])]));
    expect(zones).toEqual({ herald_ws: expect.any(Number), herald_api: expect.any(Number) });
    expect(limits).toMatch(/^limit_conn_zone \$binary_remote_addr zone=herald_conn:\d+m;/m);
    expect(location('/ws')).toMatch(/limit_req zone=herald_ws burst=\d+ nodelay;/);
    expect(location('/')).toMatch(/limit_req zone=herald_api burst=\d+ nodelay;/);
    expect(site).toMatch(/^\s*limit_conn herald_conn \d+;/m);
    expect(site).toMatch(/^\s*limit_req_status 429;/m);
    expect(site).toMatch(/^\s*limit_conn_status 429;/m);
  });

  it('balances gateways by least connections with no stickiness', () => {
    expect(upstreams).toMatch(/upstream gateway \{[^}]*least_conn;/);
    expect(upstreams).toMatch(/upstream api \{/);
    for (const sut of [site, upstreams]) expect(sut).not.toMatch(/^\s*(ip_hash|hash|sticky)\b/m);
  });
});

const haveNginx = existsSync(nginxBin);
const describeWithNginx = haveNginx ? describe : describe.skip;

describeWithNginx(`nginx with herald.conf on loopback${haveNginx ? '' : ' (skipped: /usr/sbin/nginx not installed; CI installs it)'}`, () => {
  const backends: Server[] = [];
  const seen: Array<{ backend: string; url?: string; headers: IncomingMessage['headers'] }> = [];
  const open: Socket[] = [];
  let sut: NginxSite;
  let nginx: ChildProcess | undefined;

  const backend = async (name: string): Promise<number> => {
    const server = createServer((req, res) => {
      seen.push({ backend: name, url: req.url, headers: req.headers });
      res.end(name);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
      seen.push({ backend: name, url: req.url, headers: req.headers });
      open.push(socket);
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Backend: ${name}\r\n\r\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    backends.push(server);
    return (server.address() as AddressInfo).port;
  };

  const call = (path: string, opts: { method?: string; body?: Buffer; upgrade?: boolean } = {}) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
      const headers: Record<string, string> = opts.upgrade
        ? { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' }
        : {};
      const req = request({ host: '127.0.0.1', port: sut.port, path, method: opts.method ?? 'GET', headers, rejectUnauthorized: false });
      req.on('upgrade', (res, socket) => {
        open.push(socket);
        resolve({ status: 101, headers: res.headers, body: '' });
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end(opts.body);
    });

  beforeAll(async () => {
    const [gw1, gw2, api] = [await backend('gateway-1'), await backend('gateway-2'), await backend('api')];
    sut = writeSite({ port: await freePort(), gateways: [gw1, gw2], apis: [api], limits: 'shipped' });
    nginx = await startNginx(sut);
  });

  afterAll(async () => {
    open.forEach((s) => s.destroy());
    await stopNginx(nginx, sut);
    await Promise.all(backends.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('passes `nginx -t`', () => {
    expect(() => execFileSync(nginxBin, ['-t', ...nginxArgs(sut)], { stdio: 'pipe' })).not.toThrow();
  });

  it('proxies REST calls to the api with X-Forwarded-Proto https', async () => {
    const res = await call('/v1/notifications?limit=1');
    expect([res.status, res.body]).toEqual([200, 'api']);
    expect(seen.at(-1)?.headers).toEqual(expect.objectContaining({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '127.0.0.1' }));
  });

  it.each(['/metrics', '/METRICS', '/metrics/', '//metrics', '/%6detrics', '/Metrics/x'])('hides %s from the edge', async (path) => {
    const before = seen.length;
    await expect(call(path)).resolves.toEqual(expect.objectContaining({ status: 404 }));
    expect(seen.length).toBe(before);
  });

  it('answers without a version and with HSTS, refusals included', async () => {
    for (const res of [await call('/v1/notifications?limit=1'), await call('/metrics')]) {
      expect(res.headers.server).toBe('nginx');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    }
  });

  it('refuses bodies over 256 KiB before they reach the api', async () => {
    const res = await call('/v1/notifications', { method: 'POST', body: Buffer.alloc(256 * 1024 + 1) });
    expect(res.status).toBe(413);
  });

  it('upgrades /ws with its query string, spreading open sockets over both gateways', async () => {
    const first = await call('/ws?since=41', { upgrade: true });
    const second = await call('/ws?since=41', { upgrade: true });
    expect([first.status, second.status]).toEqual([101, 101]);
    expect(new Set([first.headers['x-backend'], second.headers['x-backend']])).toEqual(new Set(['gateway-1', 'gateway-2']));
    expect(seen.filter((s) => s.backend.startsWith('gateway')).map((s) => s.url)).toEqual(['/ws?since=41', '/ws?since=41']);
  });
});
