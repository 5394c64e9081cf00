import webpush from 'web-push';
import { sleep, waitUntil } from '../../scripts/harness/wait.mjs';
import { http } from '../support/http-client.js';
import { browserKeys, PushEndpoint } from '../support/push-endpoint.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

describe('preferences, enforced at publish and in the worker', () => {
  let sys: TestSystem;
  const endpoint = new PushEndpoint();
  const receiver = new WebhookReceiver();
  const vapid = webpush.generateVAPIDKeys();
  const put = (user: string, preferences: unknown[]) => http(sys.apis[0].url, 'PUT', '/v1/preferences', { token: sys.userToken(user), body: { preferences } });
  const inbox = async (user: string) => (await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: sys.userToken(user) })).body.items;

  beforeAll(async () => {
    await Promise.all([endpoint.start(), receiver.start()]);
    sys = await startTestSystem({
      apis: 1, gateways: 0, workers: 1,
      env: {
        HERALD_ALLOW_PRIVATE_ENDPOINTS: 'true', HERALD_VAPID_PUBLIC_KEY: vapid.publicKey, HERALD_VAPID_PRIVATE_KEY: vapid.privateKey,
        HERALD_OUTBOX_POLL_MS: '50', HERALD_PUSH_DELAY_MS: '0',
      },
    });
  });
  afterAll(async () => {
    await sys.close();
    await Promise.all([endpoint.close(), receiver.close()]);
  });

  it('stores nothing for a recipient who turned in-app off for the type', async () => {
    const set = await put('pref-1', [{ category: 'general', type: 'promo', channel: 'in_app', enabled: false }]);

    const res = await sys.publish(['pref-1', 'pref-2'], { type: 'promo', title: 'Sale' });
    const other = await sys.publish(['pref-1'], { type: 'receipt', title: 'Paid' });

    expect(set.body.preferences).toEqual([{ category: 'general', type: 'promo', channel: 'in_app', enabled: false }]);
    expect(res.body.notifications.map((n: { userId: string }) => n.userId)).toEqual(['pref-2']);
    expect((await inbox('pref-1')).map((n: { type: string }) => n.type)).toEqual(['receipt']);
    expect(other.status).toBe(201);
  });

  it('delivers a critical category whatever the user chose, and refuses turning it off', async () => {
    await put('pref-3', [{ category: 'general', channel: 'in_app', enabled: false }]);
    const defaults = await http(sys.apis[0].url, 'PUT', '/v1/preferences/defaults', {
      token: sys.adminToken(), body: { defaults: [{ category: 'general', channel: 'in_app', enabled: true, critical: true }] },
    });

    const res = await sys.publish(['pref-3'], { type: 'security', title: 'New sign-in' });
    const refused = await put('pref-3', [{ category: 'general', channel: 'in_app', enabled: false }]);

    expect(defaults.status).toBe(200);
    expect(res.body.notifications).toHaveLength(1);
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    await http(sys.apis[0].url, 'PUT', '/v1/preferences/defaults', {
      token: sys.adminToken(), body: { defaults: [{ category: 'general', channel: 'in_app', enabled: true, critical: false }] },
    });
  });

  it('skips web push and webhook events for users who turned those channels off', async () => {
    for (const u of ['pref-push-off', 'pref-push-on']) {
      const keys = browserKeys();
      await http(sys.apis[0].url, 'POST', '/v1/push-subscriptions', { token: sys.userToken(u), body: { endpoint: endpoint.url(`/p/${u}`), keys: { p256dh: keys.p256dh, auth: keys.auth } } });
    }
    const hook = await http(sys.apis[0].url, 'POST', '/v1/webhooks', { token: sys.adminToken(), body: { url: receiver.url, events: ['notification.delivered'] } });
    receiver.secret = hook.body.secret;
    await put('pref-push-off', [{ category: 'general', channel: 'web_push', enabled: false }, { category: 'general', channel: 'webhook', enabled: false }]);

    await sys.publish(['pref-push-off', 'pref-push-on'], { type: 'digest', title: 'Your week' });

    await waitUntil(() => endpoint.accepted.length >= 1 && receiver.received.length >= 1, { timeoutMs: 15_000, what: 'the push and the event for the other user' });
    await sleep(1000);
    expect(endpoint.accepted.map((p) => p.path)).toEqual(['/p/pref-push-on']);
    expect(receiver.received.map((r) => r.body.data.userId)).toEqual(['pref-push-on']);
    expect(receiver.received[0].body.data.type).toBe('digest');
  });
});
