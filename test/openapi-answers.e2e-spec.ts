import webpush from 'web-push';
import { eventually, waitUntil } from '../scripts/harness/wait.mjs';
import { http, type HttpOptions, type HttpResult } from './support/http-client.js';
import { OpenApiSchemas } from './support/openapi-schemas.js';
import { browserKeys, PushEndpoint } from './support/push-endpoint.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';
import { publishTopic, publishTopics, topicUser } from './support/topics.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/**
 * The real api's answers, checked against the schemas docs/openapi.json
 * gives them (a client generated from the document must be able to read
 * them): every documented field with its type and format, and no field the
 * document does not name.
 */
describe('docs/openapi.json: the answers a real api gives match their schemas', () => {
  let sys: TestSystem;
  const schemas = new OpenApiSchemas();
  const endpoint = new PushEndpoint();
  const receiver = new WebhookReceiver();
  const vapid = webpush.generateVAPIDKeys();
  const call = (method: string, path: string, options: HttpOptions = {}) => http(sys.apis[0].url, method, path, options);
  const admin = (method: string, path: string, body?: unknown) => call(method, path, { token: sys.adminToken(), body });

  /** The answer has `status` and a body its schema (for `docPath`, as the document spells the path) accepts. */
  const expectDocumented = (res: HttpResult, method: string, docPath: string, status: number) => {
    expect({ status: res.status, problems: schemas.problems(method, docPath, res.status, res.body) }).toEqual({ status, problems: [] });
  };

  beforeAll(async () => {
    await Promise.all([endpoint.start(), receiver.start()]);
    sys = await startTestSystem({
      apis: 1,
      gateways: 1,
      workers: 1,
      env: {
        HERALD_ALLOW_PRIVATE_ENDPOINTS: 'true',
        HERALD_VAPID_PUBLIC_KEY: vapid.publicKey,
        HERALD_VAPID_PRIVATE_KEY: vapid.privateKey,
        HERALD_OUTBOX_POLL_MS: '50',
        HERALD_REPORT_INTERVAL_MS: '300',
        HERALD_DRAIN_MS: '0',
        HERALD_TOPIC_NAMESPACES: JSON.stringify({ inv: { patterns: true }, tele: { live: true } }),
      },
    });
  });
  afterAll(async () => {
    await sys.close();
    await Promise.all([endpoint.close(), receiver.close()]);
  });

  it('rejects what the document does not describe, so a pass below means something', () => {
    const stats = { connections: 1, users: 1, gateways: [{ id: 'gw-1', connections: 1, users: 1, startedAt: '2026-01-01T00:00:00.000Z' }] };

    expect(schemas.problems('GET', '/v1/stats', 200, stats)).toEqual([]);
    expect(schemas.problems('GET', '/v1/stats', 200, { ...stats, extra: true })).not.toEqual([]);
    expect(schemas.problems('GET', '/v1/stats', 200, { ...stats, users: 1.5 })).not.toEqual([]);
    expect(schemas.problems('GET', '/v1/stats', 200, { ...stats, gateways: [{ ...stats.gateways[0], startedAt: 'yesterday' }] })).not.toEqual([]);
    expect(schemas.problems('GET', '/v1/sends/{id}', 200, { id: 'not-a-uuid' })).not.toEqual([]);
    expect(() => schemas.answer('GET', '/v1/nowhere', 200)).toThrow('no JSON schema');
  });

  it('health: /healthz and /readyz', async () => {
    expectDocumented(await call('GET', '/healthz'), 'GET', '/healthz', 200);
    expectDocumented(await call('GET', '/readyz'), 'GET', '/readyz', 200);
  });

  it('a ticket, and the stats and presence of a connected user', async () => {
    const ticket = await call('POST', '/v1/ws-tickets', { token: sys.userToken('oa-ann') });
    const socket = await TestSocket.connect(sys.socketUrl(0, 'oa-ann'));
    try {
      const stats = await eventually(async () => {
        const res = await admin('GET', '/v1/stats');
        expect(res.body.connections).toBe(1);
        return res;
      });
      const presence = await admin('GET', '/v1/users/oa-ann/presence');

      expectDocumented(ticket, 'POST', '/v1/ws-tickets', 201);
      expectDocumented(stats, 'GET', '/v1/stats', 200);
      expect(stats.body.gateways).toHaveLength(1);
      expectDocumented(presence, 'GET', '/v1/users/{userId}/presence', 200);
      expect(presence.body).toEqual({ online: true, connections: 1 });
    } finally {
      await socket.close();
    }
  });

  it('a broadcast', async () => {
    expectDocumented(await admin('POST', '/v1/broadcasts', { type: 'maintenance', title: 'Back soon' }), 'POST', '/v1/broadcasts', 202);
  });

  it('web push: the VAPID key and a subscription', async () => {
    const keys = browserKeys();

    const key = await call('GET', '/v1/push-subscriptions/vapid-public-key', { token: sys.userToken('oa-push') });
    const subscribed = await call('POST', '/v1/push-subscriptions', {
      token: sys.userToken('oa-push'),
      body: { endpoint: endpoint.url('/p/oa-push'), keys: { p256dh: keys.p256dh, auth: keys.auth } },
    });

    expectDocumented(key, 'GET', '/v1/push-subscriptions/vapid-public-key', 200);
    expect(key.body.publicKey).toBe(vapid.publicKey);
    expectDocumented(subscribed, 'POST', '/v1/push-subscriptions', 201);
  });

  it('webhooks: create, list, a real delivery and its replay', async () => {
    const created = await admin('POST', '/v1/webhooks', { url: receiver.url, events: ['notification.delivered'] });
    receiver.secret = created.body.secret;
    const list = await admin('GET', '/v1/webhooks');
    await sys.publish(['oa-hook']);
    await waitUntil(() => receiver.received.some((r) => r.body.data.userId === 'oa-hook'), { timeoutMs: 20_000, what: 'the webhook delivery' });
    // The worker records the attempt's outcome just after the receiver answers.
    const deliveries = await eventually(async () => {
      const res = await admin('GET', `/v1/webhooks/${created.body.id}/deliveries`);
      expect(res.body.items.map((d: { status: string }) => d.status)).toEqual(['delivered']);
      return res;
    });
    const replay = await admin('POST', `/v1/webhooks/${created.body.id}/deliveries/${deliveries.body.items[0].id}/replay`);

    expectDocumented(created, 'POST', '/v1/webhooks', 201);
    expectDocumented(list, 'GET', '/v1/webhooks', 200);
    expect(list.body.items).toHaveLength(1);
    expectDocumented(deliveries, 'GET', '/v1/webhooks/{id}/deliveries', 200);
    expectDocumented(replay, 'POST', '/v1/webhooks/{id}/deliveries/{deliveryId}/replay', 202);
  });

  it('audiences: add, page, remove', async () => {
    const added = await call('PUT', '/v1/audiences/oa-beta/members', { token: sys.serviceToken(), body: { userIds: ['u-1', 'u-2', 'u-3'] } });
    const page = await call('GET', '/v1/audiences/oa-beta/members?limit=2', { token: sys.serviceToken() });
    const last = await call('GET', `/v1/audiences/oa-beta/members?limit=2&after=${page.body.nextCursor}`, { token: sys.serviceToken() });
    const removed = await call('DELETE', '/v1/audiences/oa-beta/members', { token: sys.serviceToken(), body: { userIds: ['u-1'] } });

    expectDocumented(added, 'PUT', '/v1/audiences/{key}/members', 200);
    expectDocumented(page, 'GET', '/v1/audiences/{key}/members', 200);
    expectDocumented(last, 'GET', '/v1/audiences/{key}/members', 200);
    expect([page.body.nextCursor, last.body.nextCursor]).toEqual(['u-2', null]);
    expectDocumented(removed, 'DELETE', '/v1/audiences/{key}/members', 200);
  });

  it('a send: accepted for later, and its status', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const accepted = await sys.publish(['oa-later'], { sendAt });

    const status = await call('GET', `/v1/sends/${accepted.body.send.id}`, { token: sys.serviceToken() });

    expectDocumented(accepted, 'POST', '/v1/notifications', 202);
    expectDocumented(status, 'GET', '/v1/sends/{id}', 200);
    expect(status.body.status).toBe('queued');
  });

  it('a publish, a grouped one, and the inbox reading them', async () => {
    const user = (method: string, path: string, body?: unknown) => call(method, path, { token: sys.userToken('oa-inbox'), body });
    const fields = { category: 'social', tags: ['post-42'], groupKey: 'comment:post-42', actor: 'Ana', actions: [{ id: 'open', label: 'Open', url: 'https://app.example/p/42' }] };

    const first = await sys.publish(['oa-inbox'], fields);
    const grouped = await sys.publish(['oa-inbox'], { ...fields, actor: 'Bo' });
    const page = await user('GET', '/v1/notifications?limit=5');
    const counts = await user('POST', '/v1/notifications/counts', { filters: { all: { state: 'inbox' }, social: { category: 'social' } } });
    const read = await user('POST', `/v1/notifications/${first.body.notifications[0].id}/read`);

    expectDocumented(first, 'POST', '/v1/notifications', 201);
    expectDocumented(grouped, 'POST', '/v1/notifications', 201);
    expect(grouped.body.notifications[0]).toMatchObject({ id: first.body.notifications[0].id, grouped: true });
    expectDocumented(page, 'GET', '/v1/notifications', 200);
    expect(page.body.items[0].group).toMatchObject({ count: 2 });
    expectDocumented(counts, 'POST', '/v1/notifications/counts', 200);
    expectDocumented(read, 'POST', '/v1/notifications/{id}/read', 200);
  });

  it('preferences: defaults, a user\'s choices and the whole state', async () => {
    const defaults = await admin('PUT', '/v1/preferences/defaults', { defaults: [{ category: 'billing', channel: 'in_app', enabled: true, critical: true }] });
    const put = await call('PUT', '/v1/preferences', { token: sys.userToken('oa-pref'), body: { preferences: [{ category: 'billing', type: 'receipt', channel: 'web_push', enabled: false }] } });
    const got = await call('GET', '/v1/preferences', { token: sys.userToken('oa-pref') });

    expectDocumented(defaults, 'PUT', '/v1/preferences/defaults', 200);
    expectDocumented(put, 'PUT', '/v1/preferences', 200);
    expectDocumented(got, 'GET', '/v1/preferences', 200);
    expect(got.body.preferences).toHaveLength(1);
  });

  it('topics: stored and live-only publishes, a topic page and a pattern page', async () => {
    const one = await publishTopic(sys, 'inv:vm-1', { type: 'state', data: { cpu: 3 } });
    const live = await publishTopic(sys, 'tele:vm-1', { type: 'tick' });
    const many = await publishTopics(sys, [{ topic: 'inv:vm-2', type: 'state' }, { topic: 'tele:vm-2', type: 'tick' }]);
    const token = topicUser(sys, 'oa-topics', ['inv:*']);

    const page = await call('GET', '/v1/topics/inv:vm-1/events', { token });
    const pattern = await call('GET', `/v1/topics/${encodeURIComponent('inv:*')}/events?limit=1`, { token });

    expectDocumented(one, 'POST', '/v1/topics/{topic}/events', 201);
    expectDocumented(live, 'POST', '/v1/topics/{topic}/events', 201);
    expect(live.body.seq).toBeNull();
    expectDocumented(many, 'POST', '/v1/topic-events', 201);
    expectDocumented(page, 'GET', '/v1/topics/{topic}/events', 200);
    expect(page.body.items).toHaveLength(1);
    expectDocumented(pattern, 'GET', '/v1/topics/{topic}/events', 200);
    expect(pattern.body).toMatchObject({ items: [{ nsSeq: 1 }], nextCursor: '1' });
  });
});
