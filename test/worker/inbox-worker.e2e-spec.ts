import { waitUntil } from '../../scripts/harness/wait.mjs';
import { http } from '../support/http-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** The inbox in the worker's hands: state events reach webhooks with their category, and deferred sends group as POSTs do. */
describe('worker: inbox state events and grouped sends', () => {
  let sys: TestSystem;
  const receiver = new WebhookReceiver();
  const admin = (method: string, path: string, body?: unknown) => http(sys.apis[0].url, method, path, { token: sys.adminToken(), body });
  const forUser = (user: string, type: string) => receiver.received.filter((r) => r.body.data.userId === user && r.body.type === type);

  beforeAll(async () => {
    await receiver.start();
    sys = await startTestSystem({
      apis: 1,
      gateways: 0,
      workers: 1,
      env: { HERALD_ALLOW_PRIVATE_ENDPOINTS: 'true', HERALD_OUTBOX_POLL_MS: '50', HERALD_RETRY_DELAY_SECONDS: '1' },
    });
    const created = await admin('POST', '/v1/webhooks', { url: receiver.url, events: ['notification.delivered', 'notification.read', 'notification.archived', 'notification.seen'] });
    receiver.secret = created.body.secret;
  });
  afterAll(async () => {
    await sys.close();
    await receiver.close();
  });

  it('sends delivered with the category, and read, seen and archived as the user changes state, bulk changes included', async () => {
    const user = 'wh-inbox';
    const id = (await sys.publish([user], { type: 'invoice.due', category: 'billing' })).body.notifications[0].id;
    const token = sys.userToken(user);
    await http(sys.apis[0].url, 'POST', `/v1/notifications/${id}/read`, { token });
    await http(sys.apis[0].url, 'POST', '/v1/notifications/bulk', { token, body: { action: 'archived', ids: [id] } });

    await waitUntil(() => forUser(user, 'notification.archived').length, { timeoutMs: 15_000, what: 'the archived event' });
    const data = { notificationId: id, userId: user, type: 'invoice.due', category: 'billing' };
    expect(forUser(user, 'notification.delivered')[0].body.data).toEqual(data);
    expect(forUser(user, 'notification.read')[0].body.data).toEqual(data);
    expect(forUser(user, 'notification.archived')[0].body.data).toEqual(data);
    // Read set seenAt too, but the change was a read: no separate seen event.
    expect(forUser(user, 'notification.seen')).toEqual([]);
  });

  it('groups deferred sends with one key into one entry, as POSTs group', async () => {
    const user = 'send-group';
    const sendAt = new Date(Date.now() + 1500).toISOString();
    for (const actor of ['Ana', 'Bo']) {
      const res = await sys.publish([user], { title: `${actor} liked it`, groupKey: 'like:1', actor, sendAt });
      expect(res.status).toBe(202);
    }
    const list = () => http(sys.apis[0].url, 'GET', '/v1/notifications', { token: sys.userToken(user) });

    const items = await waitUntil(async () => {
      const { body } = await list();
      return body.items[0]?.group?.count === 2 ? body.items : undefined;
    }, { timeoutMs: 20_000, what: 'one entry of two' });
    expect(items).toHaveLength(1);
    expect(items[0].group.actors.sort()).toEqual(['Ana', 'Bo']);
  });
});
