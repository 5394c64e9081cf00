import {
  applyInboxEntry, applyWelcome, emptyInboxReplica, matchesInboxFilter, type InboxReplica, type InboxState, type Notification,
} from '@herald/contracts';
import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

/** A client's inbox rebuilt from nothing but the frames its sockets got, in order (the protocol's reference reducer). */
function replicaOf(...sockets: TestSocket[]): InboxReplica {
  const replica = emptyInboxReplica();
  for (const frame of sockets.flatMap((s) => s.frames)) {
    if (frame.type === 'welcome') applyWelcome(replica, frame as never);
    else if (frame.type === 'notification' || frame.type === 'inbox.change') applyInboxEntry(replica, frame as never);
  }
  return replica;
}

/** What a copy says about the notification; stateSeq and deliveredAt say when it was read, not what it is. */
const comparable = ({ stateSeq: _s, deliveredAt: _d, ...rest }: Notification) => rest;
const listOf = (replica: InboxReplica, state: InboxState) =>
  [...replica.items.values()].filter((n) => matchesInboxFilter(n, { state })).sort((a, b) => (b.activitySeq ?? 0) - (a.activitySeq ?? 0)).map(comparable);

/**
 * Two clients, one killed while changes are made over the API, then resumed
 * with `since`: both end with the same notifications and counts as each
 * other and as the API, from the frames they got alone.
 */
describe('offline convergence', () => {
  let sys: TestSystem;
  const user = 'u-converge';
  const api = (method: string, path: string, body?: unknown) => http(sys.apis[0].url, method, path, { token: sys.userToken(user), body });

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 2 });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('rebuilds identical lists and counts on a client that missed the changes and resumed', async () => {
    const ids: string[] = [];
    for (const [title, category] of [['one', 'a'], ['two', 'b'], ['three', 'a']]) {
      ids.push((await sys.publish([user], { title, category, actions: [{ id: 'go', label: 'Go' }] })).body.notifications[0].id);
    }
    const a = await TestSocket.connect(sys.socketUrl(0, user, 'since=0'));
    const b1 = await TestSocket.connect(sys.socketUrl(1, user, 'since=0'));
    await api('POST', `/v1/notifications/${ids[0]}/read`);
    await b1.waitForType('inbox.change', 1);

    // B dies without a close handshake; everything below happens while it is gone.
    b1.ws.terminate();
    await b1.closed;
    const bSeq = replicaOf(b1).lastSeq;
    await api('POST', `/v1/notifications/${ids[1]}/archive`);
    await api('POST', `/v1/notifications/${ids[2]}/snooze`, { until: new Date(Date.now() + 3_600_000).toISOString() });
    const grouped = (await sys.publish([user], { title: 'Ana commented', groupKey: 'g', actor: 'Ana', category: 'b' })).body.notifications[0].id;
    await sys.publish([user], { title: 'Bo commented', groupKey: 'g', actor: 'Bo', category: 'b' });
    const fresh = (await sys.publish([user], { title: 'fresh', category: 'a' })).body.notifications[0].id;
    await api('POST', '/v1/notifications/bulk', { action: 'seen', filter: { category: 'b' } });
    await api('POST', `/v1/notifications/${fresh}/interact`, { interaction: 'link' }); // no link: refused, changes nothing
    await api('POST', `/v1/notifications/${ids[0]}/unread`);
    await api('POST', '/v1/notifications/bulk', { action: 'read', ids: [fresh, ids[0]] });
    await api('POST', `/v1/notifications/${ids[1]}/unarchive`);
    await api('POST', '/v1/notifications/bulk', { action: 'archived', filter: { state: 'read', category: 'a' } });
    await api('DELETE', `/v1/notifications/${grouped}`);
    const tabs = { inbox: {}, unread: { state: 'unread' }, unseen: { state: 'unseen' }, archived: { state: 'archived' }, snoozed: { state: 'snoozed' } };
    const truth = (await api('POST', '/v1/notifications/counts', { filters: tabs })).body;

    const b2 = await TestSocket.connect(sys.socketUrl(0, user, `since=${bSeq}`));
    await b2.waitFor((f) => f.type === 'synced');
    await a.waitFor((f) => f.type === 'inbox.change' && f.seq === truth.seq);
    const replicaA = replicaOf(a);
    const replicaB = replicaOf(b1, b2);

    expect(replicaB.lastSeq).toBe(truth.seq);
    expect(replicaA.lastSeq).toBe(truth.seq);
    expect(replicaB.counts).toEqual(replicaA.counts);
    expect(replicaA.counts).toEqual(truth.counts);
    for (const state of ['inbox', 'unread', 'unseen', 'archived', 'snoozed'] as const) {
      const fromApi = (await api('GET', `/v1/notifications?state=${state}&limit=100`)).body.items.map(comparable);
      expect(listOf(replicaB, state)).toEqual(listOf(replicaA, state));
      expect(listOf(replicaA, state)).toEqual(fromApi);
    }
    // Something happened in every tab, so equal lists are not equal emptiness.
    expect(truth.counts).toEqual({ inbox: 1, unread: 1, unseen: 1, archived: 2, snoozed: 1 });
    await a.close();
    await b2.close();
  });
});
