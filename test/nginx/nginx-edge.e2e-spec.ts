import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchLike } from '@herald/client';
import { freePort } from '../../scripts/harness/network.mjs';
import { startNginx, stopNginx, writeSite, type NginxSite } from '../deploy/support/nginx.js';
import { http } from '../support/http-client.js';
import { httpsFetch, httpsJson } from '../support/https-fetch.js';
import { inboxUrl, InboxPage, launchChromium } from '../support/inbox-page.js';
import { RecordedClient } from '../support/recorded-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

const USERS = Array.from({ length: 6 }, (_, i) => `edge-${i}`);
const CLIENTS_PER_USER = 4;
const POSTS = 5;

const portOf = (url: string) => Number(new URL(url).port);

/**
 * Debian's nginx with deploy/nginx/herald.conf (substituted as its header
 * says: our upstreams, a loopback port, a cert made by gen-cert.sh, i.e.
 * `openssl req -x509`) in front of two real gateways and the api, in
 * production mode. Everything goes through nginx over TLS, verified against
 * the generated cert.
 */
describe('Herald behind nginx (wss, two gateways)', () => {
  let sys: TestSystem;
  let site: NginxSite;
  let nginx: ChildProcess | undefined;
  let fetch: FetchLike;
  let base: string;
  let ca: Buffer;
  const clients: RecordedClient[] = [];

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 2, env: { NODE_ENV: 'production' } });
    site = writeSite({ port: await freePort(), gateways: sys.gateways.map((g) => portOf(g.url)), apis: [portOf(sys.apis[0].url)] });
    nginx = await startNginx(site);
    ca = readFileSync(join(site.dir, 'certs', 'tls.crt'));
    fetch = httpsFetch(ca);
    base = `https://127.0.0.1:${site.port}`;
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await stopNginx(nginx, site);
    await sys?.close();
  });

  /** The open sockets a gateway reports on its metrics port (never on the public one). */
  const connectionsOn = async (i: number) => {
    const text = (await http(sys.gateways[i].metricsUrl, 'GET', '/metrics')).body as string;
    return Number(/^herald_gateway_connections (\d+)$/m.exec(text)?.[1]);
  };

  it('spreads many wss clients over both gateways and delivers every POST to every client', async () => {
    const opened = await Promise.all(
      USERS.flatMap((user) =>
        Array.from({ length: CLIENTS_PER_USER }, () => {
          // The SDK's defaults: REST on `url`, the socket on `url`'s /ws, a ticket per socket.
          const sut = new RecordedClient({ url: base, getToken: () => sys.userToken(user), fetch }, { ca });
          clients.push(sut);
          return sut.open();
        }),
      ),
    );
    const perGateway = [await connectionsOn(0), await connectionsOn(1)];

    const posts = [];
    for (let i = 1; i <= POSTS; i++) {
      posts.push(await httpsJson(fetch, `${base}/v1/notifications`, 'POST', { token: sys.serviceToken(), body: { recipients: USERS, type: 'edge', title: `post ${i}` } }));
    }
    await Promise.all(opened.map((c) => c.waitForSeqs(POSTS)));
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a duplicate to show up

    expect(opened).toHaveLength(USERS.length * CLIENTS_PER_USER);
    expect(perGateway[0] + perGateway[1]).toBe(opened.length);
    expect(Math.min(...perGateway)).toBeGreaterThan(0);
    expect(posts.map((p) => p.status)).toEqual(Array(POSTS).fill(201));
    for (const c of opened) {
      expect(c.seqs()).toEqual([1, 2, 3, 4, 5]);
      expect(c.notifications.map((n) => n.title)).toEqual(['post 1', 'post 2', 'post 3', 'post 4', 'post 5']);
    }
    expect(new Set(opened.map((c) => new URL(c.socketUrls[0]).protocol))).toEqual(new Set(['wss:']));
  }, 60_000);

  it('serves the demo page, and the page connects over wss to the same origin', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const sut = await InboxPage.open(context, inboxUrl(base, { token: sys.userToken('edge-page') }));
      await sut.waitForState('connected');

      await httpsJson(fetch, `${base}/v1/notifications`, 'POST', { token: sys.serviceToken(), body: { recipients: ['edge-page'], type: 'edge', title: 'through nginx' } });

      await sut.waitForTitle('through nginx');
      expect(sut.requests.filter((url) => url.startsWith('wss://'))).toEqual([expect.stringMatching(new RegExp(`^wss://127\\.0\\.0\\.1:${site.port}/ws\\?ticket=`))]);
      expect(sut.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
