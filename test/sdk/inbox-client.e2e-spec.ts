import type { HeraldClientOptions, InboxFilter, Notification } from '@herald/client';
import { BlockingProxy } from '../support/blocking-proxy.js';
import { RecordedClient } from '../support/recorded-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/** What a client holds, in a form two clients can be compared by. */
const view = (c: RecordedClient, filter: InboxFilter = {}) =>
  c.client.inbox.items(filter).map((n: Notification) => [n.title, n.readAt !== null, n.seenAt !== null, n.archivedAt !== null, n.group?.count ?? 1]);

/**
 * `client.inbox` in Node against the real api and gateway (real Postgres and
 * Redis): every action, the counts per tab, and two clients, one of them
 * offline meanwhile, ending with the same list and counts as the server.
 */
describe('client.inbox against the real system', () => {
  let sys: TestSystem;
  const clients: RecordedClient[] = [];

  const client = (user: string, options: Partial<HeraldClientOptions> = {}) => {
    const recorded = new RecordedClient({
      url: sys.apis[0].url,
      wsUrl: sys.gateways[0].wsUrl,
      getToken: () => sys.userToken(user),
      socketAuth: 'header',
      seenBatchMs: 50,
      ...options,
    });
    clients.push(recorded);
    return recorded;
  };
  const publish = async (user: string, fields: Record<string, unknown>) => {
    const res = await sys.publish([user], fields);
    expect(res.status).toBe(201);
    return res.body.notifications[0] as { id: string; seq: number; grouped?: boolean };
  };
  /** The server's counts for the default tabs, read over REST. */
  const serverCounts = (c: RecordedClient) =>
    c.client.inbox.count({ inbox: { state: 'inbox' }, unread: { state: 'unread' }, unseen: { state: 'unseen' }, archived: { state: 'archived' }, snoozed: { state: 'snoozed' } });

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 1 });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await sys.close();
  });

  it('applies each action from one device on the other, and its counts match the server', async () => {
    const [sut, other] = await Promise.all([client('inbox-actions').open(), client('inbox-actions').open()]);
    const a = await publish('inbox-actions', { title: 'a', category: 'social', actions: [{ id: 'reply', label: 'Reply' }] });
    const b = await publish('inbox-actions', { title: 'b', category: 'billing' });
    const c = await publish('inbox-actions', { title: 'c', category: 'billing' });
    const d = await publish('inbox-actions', { title: 'd' });
    await other.until(() => other.client.inbox.items().length === 4, 'four items');

    sut.client.inbox.markSeen([a.id, b.id]);
    await other.until(() => other.client.inbox.items({ state: 'unseen' }).length === 2, 'the batched seen');
    await sut.client.inbox.interact(a.id, 'reply');
    await sut.client.inbox.archive(b.id);
    await sut.client.inbox.snooze(c.id, new Date(Date.now() + 3_600_000));
    await sut.client.inbox.read(d.id);
    await sut.client.inbox.unread(d.id);
    await sut.client.inbox.bulk({ action: 'read', ids: [d.id] });
    await sut.client.inbox.unarchive(b.id);
    await sut.client.inbox.bulk({ action: 'archived', filter: { category: 'billing' } });
    const last = (await serverCounts(sut)).seq;
    await other.until(() => (other.client.lastSeq ?? 0) >= last, `position ${last}`);

    expect(view(other)).toEqual([['d', true, true, false, 1], ['a', true, true, false, 1]]);
    expect(view(other, { state: 'archived' })).toEqual([['b', false, true, true, 1]]);
    expect(other.client.inbox.items({ state: 'snoozed' }).map((n) => n.title)).toEqual(['c']);
    expect(other.client.inbox.get(a.id)).toMatchObject({ interaction: 'reply', interactedAt: expect.any(String) });
    expect(other.client.inbox.counts).toEqual((await serverCounts(other)).counts);
    expect(other.client.inbox.counts).toEqual({ inbox: 2, unread: 0, unseen: 0, archived: 1, snoozed: 1 });
    expect(view(other)).toEqual(view(sut));
    expect(other.changes.map((ch) => ch.change)).toEqual(['bulk', 'interacted', 'archived', 'snoozed', 'read', 'unread', 'bulk', 'unarchived', 'bulk']);
    expect([...sut.errors, ...other.errors]).toEqual([]);
  });

  it('shows grouped POSTs as one entry, and counts tabs by category in one call', async () => {
    const sut = await client('inbox-group').open();
    for (const actor of ['Ana', 'Bo', 'Cy', 'Dee']) {
      await publish('inbox-group', { title: `${actor} commented`, actor, groupKey: 'comment:post-42', category: 'social' });
    }
    await publish('inbox-group', { title: 'Invoice ready', category: 'billing' });
    await sut.until(() => sut.client.inbox.items().length === 2 && sut.client.inbox.items()[1].group?.count === 4, 'one group of four');

    const [invoice, group] = sut.client.inbox.items();
    const tabs = await sut.client.inbox.count({ social: { category: 'social' }, billing: { category: 'billing' } });

    expect(invoice.title).toBe('Invoice ready');
    expect(group).toMatchObject({ title: 'Dee commented', group: { count: 4, actors: ['Dee', 'Cy', 'Bo', 'Ana'] } });
    expect(tabs.counts).toEqual({ social: 1, billing: 1 });
    expect(sut.client.inbox.counts).toMatchObject({ inbox: 2, unread: 2 });
  });

  it('converges after one client was offline while things changed (resume carries the changes)', async () => {
    const [online, offline] = await Promise.all([client('inbox-offline').open(), client('inbox-offline').open()]);
    const first = await publish('inbox-offline', { title: 'first', category: 'social' });
    const second = await publish('inbox-offline', { title: 'second' });
    await offline.until(() => offline.client.inbox.items().length === 2, 'both before going offline');
    await offline.client.inbox.load();

    offline.close();
    await online.client.inbox.archive(first.id);
    await online.client.inbox.read(second.id);
    await publish('inbox-offline', { title: 'third', groupKey: 'g', actor: 'Ana' });
    await publish('inbox-offline', { title: 'third again', groupKey: 'g', actor: 'Bo' });
    offline.client.connect();
    const last = (await serverCounts(online)).seq;
    await offline.until(() => offline.client.state === 'open' && (offline.client.lastSeq ?? 0) >= last, `resumed to ${last}`);
    await online.until(() => (online.client.lastSeq ?? 0) >= last, `online at ${last}`);

    expect(view(offline)).toEqual(view(online));
    expect(view(offline, { state: 'archived' })).toEqual(view(online, { state: 'archived' }));
    expect(offline.client.inbox.counts).toEqual(online.client.inbox.counts);
    expect(offline.client.inbox.counts).toEqual((await serverCounts(offline)).counts);
    expect(view(offline)).toEqual([['third again', false, false, false, 2], ['second', true, true, false, 1]]);
  });

  it('keeps items and counts exact while polling, from the stream entries REST lists', async () => {
    const proxy = await BlockingProxy.start(Number(new URL(sys.gateways[0].url).port));
    try {
      const online = await client('inbox-polling').open();
      const polling = await client('inbox-polling', { wsUrl: proxy.wsUrl, failuresBeforePolling: 1, pollIntervalMs: 200, backoffCapMs: 5000 }).open();
      const first = await publish('inbox-polling', { title: 'first' });
      await polling.until(() => polling.client.inbox.items().length === 1, 'the first live');

      proxy.block();
      await polling.until(() => polling.client.state === 'polling', 'polling');
      await online.client.inbox.archive(first.id);
      await publish('inbox-polling', { title: 'second' });
      const last = (await serverCounts(online)).seq;
      await polling.until(() => (polling.client.lastSeq ?? 0) >= last, `polled to ${last}`);

      expect(polling.client.state).toBe('polling');
      expect(view(polling)).toEqual([['second', false, false, false, 1]]);
      expect(view(polling, { state: 'archived' })).toEqual([['first', false, false, true, 1]]);
      expect(polling.client.inbox.counts).toEqual((await serverCounts(polling)).counts);
    } finally {
      await proxy.close();
    }
  });
});
