import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

describe('the inbox: list, read state, ownership, read sync', () => {
  let sys: TestSystem;
  const as = (sub: string) => ({
    get: (path: string) => http(sys.apis[0].url, 'GET', path, { token: sys.userToken(sub) }),
    post: (path: string) => http(sys.apis[0].url, 'POST', path, { token: sys.userToken(sub) }),
    del: (path: string) => http(sys.apis[0].url, 'DELETE', path, { token: sys.userToken(sub) }),
  });

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 2 });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('lists newest first with a seq cursor, filters by unread and type, and catches up with after=', async () => {
    for (let i = 1; i <= 5; i++) await sys.publish(['u-list'], { title: `t${i}`, type: i % 2 ? 'odd' : 'even' });
    const ann = as('u-list');

    const page1 = await ann.get('/v1/notifications?limit=2');
    const page2 = await ann.get(`/v1/notifications?limit=2&before=${page1.body.nextCursor}`);
    const evens = await ann.get('/v1/notifications?type=even');
    const after = await ann.get('/v1/notifications?after=3');

    expect(page1.body.items.map((n: { seq: number }) => n.seq)).toEqual([5, 4]);
    expect(page2.body.items.map((n: { seq: number }) => n.seq)).toEqual([3, 2]);
    expect(evens.body.items.map((n: { title: string }) => n.title)).toEqual(['t4', 't2']);
    expect(after.body.items.map((n: { seq: number }) => n.seq)).toEqual([4, 5]);
    expect(after.body.nextCursor).toBeNull();

    await ann.post(`/v1/notifications/${page1.body.items[0].id}/read`);
    const unread = await ann.get('/v1/notifications?unread=true');
    expect(unread.body.items.map((n: { seq: number }) => n.seq)).toEqual([4, 3, 2, 1]);
    expect((await ann.get('/v1/notifications/unread-count')).body).toEqual({ count: 4 });
  });

  it('keeps the unread count exact through read, unread, delete and read-all', async () => {
    const res = await sys.publish(['u-count'], { title: 'a' });
    await sys.publish(['u-count'], { title: 'b' });
    await sys.publish(['u-count'], { title: 'c' });
    const id = res.body.notifications[0].id;
    const bob = as('u-count');
    const count = async () => (await bob.get('/v1/notifications/unread-count')).body.count;

    expect(await count()).toBe(3);
    expect((await bob.post(`/v1/notifications/${id}/read`)).body.readAt).not.toBeNull();
    await bob.post(`/v1/notifications/${id}/read`); // twice: still one decrement
    expect(await count()).toBe(2);
    await bob.post(`/v1/notifications/${id}/unread`);
    expect(await count()).toBe(3);
    expect((await bob.del(`/v1/notifications/${id}`)).status).toBe(204);
    expect(await count()).toBe(2);
    expect((await bob.post('/v1/notifications/read-all')).body.updated).toBe(2);
    expect(await count()).toBe(0);
  });

  it("answers 404 for another user's notification and changes nothing", async () => {
    const res = await sys.publish(['u-owner']);
    const id = res.body.notifications[0].id;
    const thief = as('u-thief');

    const attempts = await Promise.all([
      thief.post(`/v1/notifications/${id}/read`),
      thief.post(`/v1/notifications/${id}/unread`),
      thief.del(`/v1/notifications/${id}`),
      thief.post('/v1/notifications/00000000-0000-4000-8000-000000000000/read'),
      thief.post('/v1/notifications/not-a-uuid/read'),
    ]);

    for (const a of attempts) expect(a).toMatchObject({ status: 404, body: { code: 'not_found' } });
    const owner = await as('u-owner').get('/v1/notifications');
    expect(owner.body.items[0]).toMatchObject({ id, readAt: null });
    expect((await as('u-owner').get('/v1/notifications/unread-count')).body.count).toBe(1);
  });

  it("pushes a read on one device to the user's other socket, on the other gateway", async () => {
    const phone = await TestSocket.connect(sys.socketUrl(0, 'u-sync'));
    const laptop = await TestSocket.connect(sys.socketUrl(1, 'u-sync'));
    const res = await sys.publish(['u-sync'], { title: 'sync me' });
    await sys.publish(['u-sync'], { title: 'second' });
    await laptop.waitForNotifications(2);
    const id = res.body.notifications[0].id;

    await as('u-sync').post(`/v1/notifications/${id}/read`);

    const updated = await laptop.waitFor((f) => f.type === 'notification.updated');
    expect(updated).toMatchObject({ id, readAt: expect.any(String) });
    expect((await laptop.waitFor((f) => f.type === 'unread')).count).toBe(1);
    await phone.waitFor((f) => f.type === 'notification.updated');

    await as('u-sync').post('/v1/notifications/read-all');
    await laptop.waitFor((f) => f.type === 'notifications.read_all');
    await laptop.waitFor((f) => f.type === 'unread' && f.count === 0);
    await as('u-sync').del(`/v1/notifications/${id}`);
    expect((await laptop.waitFor((f) => f.type === 'notification.deleted')).id).toBe(id);
    await phone.close();
    await laptop.close();
  });

  it('hides expired notifications', async () => {
    await sys.publish(['u-exp'], { title: 'soon gone', expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await as('u-exp').get('/v1/notifications')).body.items).toHaveLength(1);

    await new Promise((r) => setTimeout(r, 1700));

    expect((await as('u-exp').get('/v1/notifications')).body.items).toHaveLength(0);
  });
});
