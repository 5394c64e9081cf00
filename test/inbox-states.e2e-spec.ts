import { signToken } from '@herald/auth';
import { Scope } from '@herald/contracts';
import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

type Item = { id: string; title: string; [k: string]: any };

/** Each state, filter and bulk action through the real api, gateway and worker, over Postgres and Redis. */
describe('inbox states, filters, counts and bulk changes', () => {
  let sys: TestSystem;
  const as = (sub: string) => {
    const token = sys.userToken(sub);
    return {
      get: (path: string) => http(sys.apis[0].url, 'GET', path, { token }),
      post: (path: string, body?: unknown) => http(sys.apis[0].url, 'POST', path, { token, body }),
      del: (path: string) => http(sys.apis[0].url, 'DELETE', path, { token }),
    };
  };
  const titles = (res: { body: { items: Item[] } }) => res.body.items.map((n) => n.title);
  const tabs = { all: {}, unread: { state: 'unread' }, unseen: { state: 'unseen' }, archived: { state: 'archived' }, snoozed: { state: 'snoozed' } };

  beforeAll(async () => {
    // The worker wakes snoozes; a short period keeps the wake-up test quick.
    sys = await startTestSystem({ gateways: 1, workers: 1, env: { HERALD_INBOX_WAKE_INTERVAL_MS: '200' } });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('stores the content fields, and refuses bad ones naming the field', async () => {
    const actions = [{ id: 'reply', label: 'Reply', url: 'https://example.com/r' }, { id: 'mute', label: 'Mute', style: 'secondary' }];
    const ok = await sys.publish(['u-content'], { title: 'c', category: 'social', tags: ['post-1', 'x'], actions, avatar: 'https://example.com/a.png', actor: 'Ana' });
    const [item] = (await as('u-content').get('/v1/notifications')).body.items;

    expect(ok.status).toBe(201);
    expect(item).toMatchObject({
      category: 'social', tags: ['post-1', 'x'], avatar: 'https://example.com/a.png', actor: 'Ana', group: null,
      actions: [{ id: 'reply', label: 'Reply', url: 'https://example.com/r', style: 'primary' }, { id: 'mute', label: 'Mute', style: 'secondary' }],
      seenAt: null, archivedAt: null, snoozedUntil: null, interactedAt: null, interaction: null,
    });
    const bad = await Promise.all([
      sys.publish(['u-content'], { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
      sys.publish(['u-content'], { tags: ['Bad Tag'] }),
      sys.publish(['u-content'], { actions: [1, 2, 3, 4].map((i) => ({ id: `a${i}`, label: 'x' })) }),
      sys.publish(['u-content'], { actions: [{ id: 'link', label: 'x' }] }),
      sys.publish(['u-content'], { actions: [{ id: 'a', label: 'x' }, { id: 'a', label: 'y' }] }),
      sys.publish(['u-content'], { category: 'Nope!' }),
      sys.publish(['u-content'], { groupKey: ' spaced' }),
      sys.publish(['u-content'], { avatar: 'javascript:alert(1)' }),
    ]);
    for (const res of bad) expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(bad.map((r) => r.body.details[0].field)).toEqual(['tags', 'tags', 'actions', 'actions.0.id', 'actions', 'category', 'groupKey', 'avatar']);
  });

  it('moves each state, pushes each change as an entry on the stream with its counts, and answers counts per tab', async () => {
    const socket = await TestSocket.connect(sys.socketUrl(0, 'u-states'));
    const ids: string[] = [];
    for (const title of ['a', 'b', 'c']) {
      ids.push((await sys.publish(['u-states'], { title, actions: [{ id: 'ok', label: 'OK' }], link: 'https://example.com' })).body.notifications[0].id);
    }
    const ann = as('u-states');
    const counts = async () => (await ann.post('/v1/notifications/counts', { filters: tabs })).body.counts;
    expect(await counts()).toEqual({ all: 3, unread: 3, unseen: 3, archived: 0, snoozed: 0 });

    expect((await ann.post(`/v1/notifications/${ids[0]}/seen`)).body.seenAt).toEqual(expect.any(String));
    expect((await ann.post(`/v1/notifications/${ids[0]}/read`)).body.readAt).toEqual(expect.any(String));
    expect((await ann.post(`/v1/notifications/${ids[0]}/unread`)).body.readAt).toBeNull();
    expect((await ann.post(`/v1/notifications/${ids[1]}/archive`)).body.archivedAt).toEqual(expect.any(String));
    expect(await counts()).toEqual({ all: 2, unread: 2, unseen: 1, archived: 1, snoozed: 0 });
    expect((await ann.post(`/v1/notifications/${ids[1]}/unarchive`)).body.archivedAt).toBeNull();
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await ann.post(`/v1/notifications/${ids[2]}/snooze`, { until })).body.snoozedUntil).toBe(until);
    expect(await counts()).toEqual({ all: 2, unread: 2, unseen: 1, archived: 0, snoozed: 1 });
    expect(titles(await ann.get('/v1/notifications'))).toEqual(['b', 'a']);
    expect(titles(await ann.get('/v1/notifications?state=snoozed'))).toEqual(['c']);
    expect((await ann.post(`/v1/notifications/${ids[2]}/unsnooze`)).body.snoozedUntil).toBeNull();
    const interacted = await ann.post(`/v1/notifications/${ids[1]}/interact`, { interaction: 'ok' });
    expect(interacted.body).toMatchObject({ interaction: 'ok', interactedAt: expect.any(String), readAt: expect.any(String), seenAt: expect.any(String) });
    expect((await ann.post(`/v1/notifications/${ids[0]}/interact`, { interaction: 'link' })).body.interaction).toBe('link');
    expect(await ann.post(`/v1/notifications/${ids[0]}/interact`, { interaction: 'nope' })).toMatchObject({ status: 400, body: { details: [{ field: 'interaction' }] } });
    expect((await ann.del(`/v1/notifications/${ids[2]}`)).status).toBe(204);
    expect(await counts()).toEqual({ all: 2, unread: 0, unseen: 0, archived: 0, snoozed: 0 });

    // seen, read, unread, archived, unarchived, snoozed, unsnoozed, interacted ×2, deleted: ten entries after the three notifications.
    const changes = await socket.waitForType('inbox.change', 10);
    expect(changes.map((f) => [f.seq, f.change])).toEqual([
      [4, 'seen'], [5, 'read'], [6, 'unread'], [7, 'archived'], [8, 'unarchived'], [9, 'snoozed'], [10, 'unsnoozed'], [11, 'interacted'], [12, 'interacted'], [13, 'deleted'],
    ]);
    expect(changes[3].counts).toEqual({ inbox: 2, unread: 2, unseen: 1, archived: 1, snoozed: 0 });
    expect(changes[9].counts).toEqual({ inbox: 2, unread: 0, unseen: 0, archived: 0, snoozed: 0 });
    // Old clients' frames still come: the unread count whenever it moved.
    expect(socket.ofType('unread').at(-1)?.count).toBe(0);
    // The same stream over REST, for polling: notifications and changes in one order.
    const entries = (await ann.get('/v1/notifications/entries?after=2&limit=5')).body;
    expect(entries.lastSeq).toBe(13);
    expect(entries.entries.map((e: { type: string; seq?: number; notification?: Item }) => e.seq ?? e.notification?.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(entries.entries[0]).toMatchObject({ type: 'inbox.change', change: 'seen', ids: [ids[0]] });
    // A change that changes nothing takes no position and pushes nothing.
    await ann.post(`/v1/notifications/${ids[0]}/seen`);
    expect((await ann.post('/v1/notifications/counts', { filters: { all: {} } })).body.seq).toBe(13);
    await socket.close();
  });

  it("answers the same 404 for another user's notification on every new route", async () => {
    const id = (await sys.publish(['u-own'])).body.notifications[0].id;
    const thief = as('u-thief2');
    const attempts = await Promise.all([
      thief.post(`/v1/notifications/${id}/seen`),
      thief.post(`/v1/notifications/${id}/archive`),
      thief.post(`/v1/notifications/${id}/snooze`, { until: new Date(Date.now() + 60_000).toISOString() }),
      thief.post(`/v1/notifications/${id}/interact`, { interaction: 'link' }),
      thief.post('/v1/notifications/not-a-uuid/archive'),
    ]);
    for (const a of attempts) expect(a).toMatchObject({ status: 404, body: { code: 'not_found' } });
    const bulk = await thief.post('/v1/notifications/bulk', { action: 'read', ids: [id] });
    expect(bulk.body).toEqual({ changed: 0, seq: null });
    expect((await as('u-own').get('/v1/notifications?state=unread')).body.items).toHaveLength(1);
  });

  it('filters lists and counts by state, category, tags, type, severity and time', async () => {
    const user = 'u-filter';
    await sys.publish([user], { title: 'p', category: 'social', tags: ['a', 'b'], type: 'comment' });
    await sys.publish([user], { title: 'q', category: 'billing', tags: ['b'], severity: 'error' });
    const mark = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await sys.publish([user], { title: 'r', category: 'social', tags: ['c'], type: 'comment' });
    const ann = as(user);

    expect(titles(await ann.get('/v1/notifications?category=social'))).toEqual(['r', 'p']);
    expect(titles(await ann.get('/v1/notifications?tags=a,c'))).toEqual(['r', 'p']);
    expect(titles(await ann.get('/v1/notifications?tags=a,b&tagsMatch=all'))).toEqual(['p']);
    expect(titles(await ann.get('/v1/notifications?type=comment&category=social'))).toEqual(['r', 'p']);
    expect(titles(await ann.get('/v1/notifications?severity=error'))).toEqual(['q']);
    expect(titles(await ann.get(`/v1/notifications?from=${mark}`))).toEqual(['r']);
    expect(titles(await ann.get(`/v1/notifications?to=${mark}`))).toEqual(['q', 'p']);
    const counted = await ann.post('/v1/notifications/counts', { filters: { all: {}, social: { category: 'social' }, b: { tags: ['b'] }, unreadSocial: { state: 'unread', category: 'social' } } });
    expect(counted.body.counts).toEqual({ all: 3, social: 2, b: 2, unreadSocial: 2 });
    expect(await ann.get('/v1/notifications?state=gone')).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await ann.get('/v1/notifications?from=yesterday')).toMatchObject({ status: 400, body: { details: [{ field: 'from' }] } });
    expect(await ann.post('/v1/notifications/counts', { filters: { x: { colour: 'red' } } })).toMatchObject({ status: 400, body: { details: [{ field: 'filters.x.colour' }] } });
  });

  it('applies a bulk change by ids or by filter as one entry on the stream, and bounds it', async () => {
    const user = 'u-bulk';
    const socket = await TestSocket.connect(sys.socketUrl(0, user));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await sys.publish([user], { title: `b${i}`, category: i < 2 ? 'one' : 'two' })).body.notifications[0].id);
    const ann = as(user);

    expect((await ann.post('/v1/notifications/bulk', { action: 'seen', ids: ids.slice(0, 3) })).body).toEqual({ changed: 3, seq: 5 });
    expect((await ann.post('/v1/notifications/bulk', { action: 'archived', filter: { category: 'one' } })).body).toEqual({ changed: 2, seq: 6 });
    expect((await ann.post('/v1/notifications/bulk', { action: 'read', filter: {} })).body).toEqual({ changed: 2, seq: 7 });
    expect((await ann.post('/v1/notifications/counts', { filters: tabs })).body.counts).toEqual({ all: 2, unread: 0, unseen: 0, archived: 2, snoozed: 0 });
    const bulks = await socket.waitForType('inbox.change', 3);
    expect(bulks.map((f) => [f.seq, f.change, f.action, f.ids.length, f.filter])).toEqual([
      [5, 'bulk', 'seen', 3, undefined], [6, 'bulk', 'archived', 0, { category: 'one' }], [7, 'bulk', 'read', 0, {}],
    ]);
    const tooMany = Array.from({ length: 1001 }, () => ids[0]);
    expect(await ann.post('/v1/notifications/bulk', { action: 'read', ids: tooMany })).toMatchObject({ status: 400, body: { details: [{ field: 'ids' }] } });
    expect(await ann.post('/v1/notifications/bulk', { action: 'read' })).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await ann.post('/v1/notifications/bulk', { action: 'deleted', ids })).toMatchObject({ status: 400, body: { details: [{ field: 'action' }] } });
    await socket.close();
  });

  it('wakes a snoozed notification at its time: back at the top, unread, and live on the socket', async () => {
    const user = 'u-wake';
    const id = (await sys.publish([user], { title: 'later' })).body.notifications[0].id;
    await sys.publish([user], { title: 'newer' });
    const socket = await TestSocket.connect(sys.socketUrl(0, user));
    const ann = as(user);
    await ann.post(`/v1/notifications/${id}/read`);
    await ann.post(`/v1/notifications/${id}/snooze`, { until: new Date(Date.now() + 1200).toISOString() });
    expect(titles(await ann.get('/v1/notifications'))).toEqual(['newer']);

    const woken = await socket.waitFor((f) => f.type === 'inbox.change' && f.change === 'woken', 10_000);

    expect(woken).toMatchObject({ ids: [id], notification: { id, title: 'later', readAt: null, seenAt: null, snoozedUntil: null }, counts: { unread: 2, snoozed: 0 } });
    expect(titles(await ann.get('/v1/notifications'))).toEqual(['later', 'newer']);
    expect((await ann.get('/v1/notifications/unread-count')).body.count).toBe(2);
    await socket.close();
  });

  it('records deliveredAt once a socket got the notification, and lets its publisher read states and times', async () => {
    const user = 'u-receipt';
    const socket = await TestSocket.connect(sys.socketUrl(0, user));
    const sent = (await sys.publish([user], { title: 'r1' })).body.notifications[0].id;
    const unsent = (await sys.publish(['u-receipt-offline'], { title: 'r2' })).body.notifications[0].id;
    await socket.waitForNotifications(1);
    const service = sys.serviceToken();
    const read = (id: string, token = service) => http(sys.apis[0].url, 'GET', `/v1/notifications/${id}`, { token });

    let delivered: string | null = null;
    for (let i = 0; i < 50 && !delivered; i++) {
      delivered = (await read(sent)).body.deliveredAt;
      if (!delivered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(Date.parse(delivered as string)).toBeGreaterThan(0);
    expect((await read(unsent)).body.deliveredAt).toBeNull();
    await as(user).post(`/v1/notifications/${sent}/read`);
    expect((await read(sent)).body).toMatchObject({ id: sent, readAt: expect.any(String), seenAt: expect.any(String), deliveredAt: delivered });
    const page = await http(sys.apis[0].url, 'GET', `/v1/recipients/${user}/notifications`, { token: service });
    expect(page.body.items.map((n: Item) => n.id)).toEqual([sent]);

    const otherService = signToken(sys.secret, { sub: 'other-service', scope: Scope.Publish });
    expect(await read(sent, otherService)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await http(sys.apis[0].url, 'GET', `/v1/recipients/${user}/notifications`, { token: otherService })).body.items).toEqual([]);
    // The user inbox routes stay the user's; the service routes a service's.
    expect((await http(sys.apis[0].url, 'GET', `/v1/notifications/${sent}`, { token: sys.userToken(user) })).status).toBe(403);
    expect((await http(sys.apis[0].url, 'GET', '/v1/notifications/unread-count', { token: sys.userToken(user) })).status).toBe(200);
    await socket.close();
  });
});
