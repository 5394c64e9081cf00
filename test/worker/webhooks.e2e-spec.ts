import { waitUntil } from '../../scripts/harness/wait.mjs';
import { http } from '../support/http-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

describe('worker: webhooks to services', () => {
  let sys: TestSystem;
  const receiver = new WebhookReceiver();
  const admin = (method: string, path: string, body?: unknown) => http(sys.apis[0].url, method, path, { token: sys.adminToken(), body });
  const forUser = (user: string) => receiver.received.filter((r) => r.body.data.userId === user);

  beforeAll(async () => {
    await receiver.start();
    sys = await startTestSystem({
      apis: 1,
      gateways: 0,
      workers: 1,
      env: { HERALD_ALLOW_PRIVATE_ENDPOINTS: 'true', HERALD_OUTBOX_POLL_MS: '50', HERALD_RETRY_DELAY_SECONDS: '1', HERALD_WEBHOOK_RETRY_WINDOW_SECONDS: '4' },
    });
    const created = await admin('POST', '/v1/webhooks', { url: receiver.url, events: ['notification.delivered'] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    receiver.secret = created.body.secret;
  });
  afterAll(async () => {
    await sys.close();
    await receiver.close();
  });

  it('delivers notification.delivered, signed per Standard Webhooks', async () => {
    const res = await sys.publish(['wh-1', 'wh-2'], { type: 'order.shipped' });

    await waitUntil(() => forUser('wh-1').length && forUser('wh-2').length, { timeoutMs: 15_000, what: 'two deliveries' });
    const [first] = forUser('wh-1');
    expect(first.verified).toBe(true);
    expect(first.id).toMatch(/^msg_/);
    expect(first.body).toMatchObject({ type: 'notification.delivered', data: { notificationId: res.body.notifications[0].id, userId: 'wh-1' } });
  });

  it('rejects a URL that is not http(s) and an unknown event type', async () => {
    const bad = await admin('POST', '/v1/webhooks', { url: 'ftp://example.com/x', events: ['notification.exploded'] });

    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['events']);
    expect((await admin('POST', '/v1/webhooks', { url: 'ftp://example.com/x', events: ['notification.read'] })).status).toBe(400);
  });

  it('retries a failing delivery with the same webhook-id until it succeeds', async () => {
    receiver.respond = (attempt) => (attempt < 3 ? 500 : 200);

    await sys.publish(['wh-retry']);

    await waitUntil(() => forUser('wh-retry').length === 3, { timeoutMs: 20_000, what: 'three attempts' });
    const ids = new Set(forUser('wh-retry').map((r) => r.id));
    expect(ids.size).toBe(1);
    expect(forUser('wh-retry').every((r) => r.verified)).toBe(true);
    const [endpoint] = (await admin('GET', '/v1/webhooks')).body.items;
    const deliveries = (await admin('GET', `/v1/webhooks/${endpoint.id}/deliveries`)).body.items;
    await waitUntil(async () => (await admin('GET', `/v1/webhooks/${endpoint.id}/deliveries`)).body.items.find((d: { id: string }) => ids.has(d.id))?.status === 'delivered', { timeoutMs: 5000, what: 'delivered status' });
    expect(deliveries.length).toBeGreaterThan(0);
  });

  it('disables the endpoint with its reason when the window passes without success, and a replay re-enables it', async () => {
    receiver.respond = () => 503;

    await sys.publish(['wh-down']);

    const disabled = await waitUntil(async () => {
      const [ep] = (await admin('GET', '/v1/webhooks')).body.items;
      return ep.enabled ? undefined : ep;
    }, { timeoutMs: 30_000, what: 'the endpoint disabled' });
    expect(disabled.disabledReason).toMatch(/last: endpoint answered 503/);
    const failed = (await admin('GET', `/v1/webhooks/${disabled.id}/deliveries`)).body.items.find((d: { status: string }) => d.status === 'failed');
    expect(failed).toMatchObject({ lastStatus: 503 });

    receiver.respond = () => 200;
    const before = receiver.received.filter((r) => r.id === failed.id).length;
    const replay = await admin('POST', `/v1/webhooks/${disabled.id}/deliveries/${failed.id}/replay`);

    expect(replay.status).toBe(202);
    await waitUntil(() => receiver.received.filter((r) => r.id === failed.id).length === before + 1, { timeoutMs: 15_000, what: 'the replay' });
    const [after] = (await admin('GET', '/v1/webhooks')).body.items;
    expect(after.enabled).toBe(true);
  });
});
