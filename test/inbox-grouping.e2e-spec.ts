import { http } from './support/http-client.js';
import { startProcessSystem, type ProcessSystem } from './support/process-system.js';
import { TestSocket } from './support/test-socket.js';

/**
 * Grouping by groupKey under concurrency, through two real api processes:
 * POSTs with one key for one user serialise on the user's row lock
 * whichever process (and whichever group-commit batch) carries them.
 */
describe('grouping similar notifications', () => {
  let sys: ProcessSystem;

  beforeAll(async () => {
    sys = await startProcessSystem({ apis: 2, gateways: 1 });
  }, 60_000);
  afterAll(async () => {
    await sys.close();
  });

  const post = (i: number, user: string, fields: Record<string, unknown>) =>
    http(sys.apis[i % 2].url, 'POST', '/v1/notifications', {
      token: sys.serviceToken(),
      body: { recipients: [user], type: 'comment', title: 'Someone commented', ...fields },
    });

  it('makes one entry of 20 concurrent POSTs with one key from two api processes, and its sockets see every update', async () => {
    const user = 'u-group';
    const socket = await TestSocket.connect(`${sys.gateways[0].url.replace('http', 'ws')}/ws?token=${sys.userToken(user)}`);
    const actors = Array.from({ length: 20 }, (_, i) => `actor${i}`);

    const answers = await Promise.all(actors.map((actor, i) => post(i, user, { groupKey: 'comment:post-42', actor, title: `${actor} commented` })));

    expect(answers.map((a) => a.status)).toEqual(actors.map(() => 201));
    const entries = answers.map((a) => a.body.notifications[0]);
    const ids = new Set(entries.map((e) => e.id));
    expect(ids.size).toBe(1);
    expect(entries.filter((e) => e.grouped === true)).toHaveLength(19);
    expect(new Set(entries.map((e) => e.seq)).size).toBe(20);
    const list = await http(sys.api.url, 'GET', '/v1/notifications', { token: sys.userToken(user) });
    expect(list.body.items).toHaveLength(1);
    const [entry] = list.body.items;
    expect(entry.group).toMatchObject({ count: 20, actors: expect.any(Array) });
    expect(entry.group.actors).toHaveLength(5);
    expect(entry.activitySeq).toBe(20);
    // The newest text is the last POST's to commit: the one at the highest position.
    const newest = entries.reduce((a, b) => (a.seq > b.seq ? a : b));
    expect(entry.title).toBe(`${actors[entries.indexOf(newest)]} commented`);
    expect((await http(sys.api.url, 'GET', '/v1/notifications/unread-count', { token: sys.userToken(user) })).body.count).toBe(1);

    await socket.waitForNotifications(1);
    const grouped = await socket.waitForType('inbox.change', 19);
    expect(grouped.map((f) => f.change)).toEqual(Array(19).fill('grouped'));
    expect(grouped.at(-1)).toMatchObject({ seq: 20, notification: { id: entry.id, group: { count: 20 } }, counts: { inbox: 1, unread: 1 } });
    await socket.close();
  });

  it('starts a new entry once the group is read, and groups nothing across users or keys', async () => {
    const first = await post(0, 'u-group2', { groupKey: 'k' });
    await post(1, 'u-group2', { groupKey: 'k' });
    await http(sys.api.url, 'POST', `/v1/notifications/${first.body.notifications[0].id}/read`, { token: sys.userToken('u-group2') });
    const after = await post(0, 'u-group2', { groupKey: 'k' });
    const otherKey = await post(1, 'u-group2', { groupKey: 'other' });
    const otherUser = await post(0, 'u-group3', { groupKey: 'k' });

    expect(after.body.notifications[0]).not.toHaveProperty('grouped');
    expect(after.body.notifications[0].id).not.toBe(first.body.notifications[0].id);
    expect(otherKey.body.notifications[0]).not.toHaveProperty('grouped');
    expect(otherUser.body.notifications[0]).not.toHaveProperty('grouped');
    const list = await http(sys.api.url, 'GET', '/v1/notifications', { token: sys.userToken('u-group2') });
    expect(list.body.items.map((n: { group: { count: number } | null }) => n.group?.count ?? 1)).toEqual([1, 1, 2]);
  });
});
