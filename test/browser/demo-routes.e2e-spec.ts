import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { http } from '../support/http-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/** The demo page's HTTP side, without a browser: what each mode serves and refuses. */
describe('demo page routes', () => {
  describe('in production', () => {
    let sys: TestSystem;
    beforeAll(async () => {
      sys = await startTestSystem({ gateways: 0, env: { NODE_ENV: 'production' } });
    });
    afterAll(async () => {
      await sys.close();
    });

    it('serves the page without the send form or test hooks, with a strict CSP and no referrer', async () => {
      const sut = await http(sys.apis[0].url, 'GET', '/');

      expect(sut.status).toBe(200);
      expect(sut.headers.get('content-type')).toMatch(/^text\/html/);
      expect(sut.body).toContain('data-testid="connection-state"');
      expect(sut.body).toContain('<script type="application/json" id="demo-config">{"dev":false}</script>');
      expect(sut.body).not.toContain('id="send-form"');
      const csp = sut.headers.get('content-security-policy') ?? '';
      // The head script, the inbox module and the push/preferences module, each by its hash.
      expect(csp).toMatch(/script-src 'self' 'sha256-[^']+' 'sha256-[^']+' 'sha256-[^']+'(;|$)/);
      expect(csp).toContain("connect-src 'self';");
      expect(csp).not.toContain('unsafe-inline');
      expect(sut.headers.get('referrer-policy')).toBe('no-referrer');
      expect(sut.headers.get('cache-control')).toBe('no-store');
    });

    it('has no dev token routes', async () => {
      for (const path of ['/demo/dev-token', '/demo/dev-service-token']) {
        const sut = await http(sys.apis[0].url, 'POST', path);
        expect([path, sut.status, sut.body.code]).toEqual([path, 404, 'not_found']);
      }
    });

    it('serves the built SDK bundle and its source map, and nothing else from disk', async () => {
      const bundle = readFileSync(join(process.cwd(), 'dist/client/herald-client.js'), 'utf8');

      const sut = await fetch(`${sys.apis[0].url}/sdk/herald-client.js`);
      const map = await http(sys.apis[0].url, 'GET', '/sdk/herald-client.js.map');

      expect(sut.status).toBe(200);
      expect(sut.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await sut.text()).toBe(bundle);
      expect(map.status).toBe(200);
      expect(map.body.version).toBe(3);
      for (const path of ['/sdk/herald-client.cjs', '/sdk/..%2F..%2Fpackage.json', '/sdk/']) {
        expect([path, (await http(sys.apis[0].url, 'GET', path)).status]).toEqual([path, 404]);
      }
    });
  });

  describe('with an operator-provided secret outside production', () => {
    let sys: TestSystem;
    beforeAll(async () => {
      sys = await startTestSystem({ gateways: 0, env: { NODE_ENV: 'development' } });
    });
    afterAll(async () => {
      await sys.close();
    });

    it('serves the page as in production: no send form, no test hooks that could send a ticket elsewhere', async () => {
      const sut = await http(sys.apis[0].url, 'GET', '/');

      expect(sut.body).toContain('{"dev":false}');
      expect(sut.body).not.toContain('id="send-form"');
      expect(sut.headers.get('content-security-policy')).toContain("connect-src 'self';");
    });

    it('mints no tokens: the dev routes would sign with the real secret', async () => {
      for (const path of ['/demo/dev-token', '/demo/dev-service-token']) {
        const sut = await http(sys.apis[0].url, 'POST', path);
        expect([path, sut.status, sut.body.code]).toEqual([path, 404, 'not_found']);
      }
    });
  });

  describe('in dev mode (Herald generated its own secret)', () => {
    let sys: TestSystem;
    beforeAll(async () => {
      sys = await startTestSystem({ gateways: 0, devMode: true });
    });
    afterAll(async () => {
      await sys.close();
    });

    it('serves the page with the send form', async () => {
      const sut = await http(sys.apis[0].url, 'GET', '/');

      expect(sut.body).toContain('{"dev":true}');
      expect(sut.body).toContain('id="send-form"');
      expect(sut.headers.get('content-security-policy')).toContain("connect-src 'self' ws: wss:");
    });

    it('issues a demo user token that reads only that inbox, and a publish-only service token', async () => {
      const user = await http(sys.apis[0].url, 'POST', '/demo/dev-token');
      const service = await http(sys.apis[0].url, 'POST', '/demo/dev-service-token');

      expect(user).toMatchObject({ status: 201, body: { sub: 'alice', expiresIn: 3600 } });
      expect(service).toMatchObject({ status: 201, body: { sub: 'demo-page', expiresIn: 600 } });
      const sent = await http(sys.apis[0].url, 'POST', '/v1/notifications', {
        token: service.body.token,
        body: { recipients: ['alice'], type: 'demo', title: 'hi' },
      });
      expect(sent.status).toBe(201);
      const inbox = await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: user.body.token });
      expect(inbox.body.items.map((n: { title: string }) => n.title)).toEqual(['hi']);
      const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
      expect(claims(service.body.token).scope).toBe('notifications:publish topics:publish');
      expect(claims(user.body.token).scope).toBeUndefined();
      expect(claims(user.body.token).topics).toEqual(['jobs']);
    });
  });
});
