import webpush from 'web-push';
import { Database } from '@herald/database';
import { waitUntil } from '../../scripts/harness/wait.mjs';
import { http } from '../support/http-client.js';
import { browserKeys, decryptPush, PushEndpoint, verifyVapid, type BrowserKeys } from '../support/push-endpoint.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { TestSocket } from '../support/test-socket.js';

describe('worker: web push', () => {
  let sys: TestSystem;
  const endpoint = new PushEndpoint();
  const vapid = webpush.generateVAPIDKeys();
  const subscribe = async (user: string, path: string, keys: BrowserKeys = browserKeys()) => {
    const res = await http(sys.apis[0].url, 'POST', '/v1/push-subscriptions', {
      token: sys.userToken(user),
      body: { endpoint: endpoint.url(path), keys: { p256dh: keys.p256dh, auth: keys.auth } },
    });
    expect(res.status).toBe(201);
    return keys;
  };
  const subscriptionCount = async (user: string) =>
    Number((await sys.workers[0].app.get(Database).query('SELECT count(*) AS n FROM push_subscriptions WHERE user_id = $1', [user]))[0].n);

  beforeAll(async () => {
    await endpoint.start();
    sys = await startTestSystem({
      apis: 1,
      gateways: 1,
      workers: 1,
      env: {
        HERALD_ALLOW_PRIVATE_ENDPOINTS: 'true',
        HERALD_VAPID_PUBLIC_KEY: vapid.publicKey,
        HERALD_VAPID_PRIVATE_KEY: vapid.privateKey,
        HERALD_VAPID_SUBJECT: 'mailto:ops@example.com',
        HERALD_OUTBOX_POLL_MS: '50',
        HERALD_RETRY_DELAY_SECONDS: '1',
        HERALD_PUSH_DELAY_MS: '1500',
      },
    });
  });
  afterAll(async () => {
    await sys.close();
    await endpoint.close();
  });

  it('sends an aes128gcm push signed with the VAPID key that the browser keys decrypt', async () => {
    const keys = await subscribe('pu-1', '/push/pu-1');

    const res = await sys.publish(['pu-1'], { title: 'Order shipped', body: 'On its way', link: 'https://shop.example/o/1' });

    await waitUntil(() => endpoint.at('/push/pu-1').length > 0, { timeoutMs: 15_000, what: 'a push' });
    const [push] = endpoint.at('/push/pu-1');
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(push.headers.ttl)).toBeGreaterThan(0);
    expect(push.headers.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    await expect(verifyVapid({ headers: push.headers } as never, endpoint.origin, vapid.publicKey)).resolves.toEqual({ sub: 'mailto:ops@example.com' });
    expect(JSON.parse(decryptPush(push.body, keys))).toEqual({
      id: res.body.notifications[0].id, title: 'Order shipped', body: 'On its way', link: 'https://shop.example/o/1', groupKey: null,
    });
  });

  it('deletes the subscription when the push service answers 410', async () => {
    await subscribe('pu-gone', '/gone/1');
    endpoint.respond = (path) => (path.startsWith('/gone') ? 410 : 201);

    await sys.publish(['pu-gone']);

    await waitUntil(async () => (await subscriptionCount('pu-gone')) === 0, { timeoutMs: 15_000, what: 'the subscription deleted' });
    expect(endpoint.at('/gone/1')).toHaveLength(1);
  });

  it('retries 429 and 5xx with backoff until the push service takes it', async () => {
    const keys = await subscribe('pu-busy', '/busy/1');
    endpoint.respond = (path, attempt) => (path === '/busy/1' && attempt === 1 ? 429 : path === '/busy/1' && attempt === 2 ? 503 : 201);

    const res = await sys.publish(['pu-busy'], { title: 'Third time lucky' });

    await waitUntil(() => endpoint.at('/busy/1').length === 3, { timeoutMs: 20_000, what: 'three attempts' });
    const bodies = endpoint.at('/busy/1').map((p) => JSON.parse(decryptPush(p.body, keys)).id);
    expect(bodies).toEqual([res.body.notifications[0].id, res.body.notifications[0].id, res.body.notifications[0].id]);
  });

  it('does not push a notification the user read on a live socket within the delay', async () => {
    const keys = await subscribe('pu-online', '/online/1');
    endpoint.respond = () => 201;
    const socket = await TestSocket.connect(sys.socketUrl(0, 'pu-online'));

    const res = await sys.publish(['pu-online'], { title: 'Seen live' });
    await http(sys.apis[0].url, 'POST', `/v1/notifications/${res.body.notifications[0].id}/read`, { token: sys.userToken('pu-online') });
    const unread = await sys.publish(['pu-online'], { title: 'Not read' });

    await waitUntil(() => endpoint.at('/online/1').length === 1, { timeoutMs: 15_000, what: 'the unread one pushed after the delay' });
    expect(JSON.parse(decryptPush(endpoint.at('/online/1')[0].body, keys)).id).toBe(unread.body.notifications[0].id);
    await socket.close();
  });

  it('refuses an endpoint that is not https when private endpoints are not allowed', async () => {
    const strict = await startTestSystem({ apis: 1, gateways: 0, env: { HERALD_VAPID_PUBLIC_KEY: vapid.publicKey, HERALD_VAPID_PRIVATE_KEY: vapid.privateKey } });
    try {
      const keys = browserKeys();
      const res = await http(strict.apis[0].url, 'POST', '/v1/push-subscriptions', {
        token: strict.userToken('pu-x'),
        body: { endpoint: endpoint.url('/x'), keys: { p256dh: keys.p256dh, auth: keys.auth } },
      });
      expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    } finally {
      await strict.close();
    }
  });
});
