import { jest } from '@jest/globals';
import { InboxChangeKind, ServerFrameType, type ChangeFrame, type InboxCounts } from '@herald/contracts';
import { advance, clientHarness, useFakeTimers, welcome } from '../testing/client-harness.js';
import { makeNotification, settle } from '../testing/fake-rest.js';
import type { FakeWebSocket } from '../testing/fake-web-socket.js';

const counts = (c: Partial<InboxCounts> = {}): InboxCounts => ({ inbox: 0, unread: 0, unseen: 0, archived: 0, snoozed: 0, ...c });
const at = '2026-11-29T10:00:00.000Z';
const change = (seq: number, kind: ChangeFrame['change'], ids: string[], c: Partial<InboxCounts>, extra: Partial<ChangeFrame> = {}) => ({
  type: ServerFrameType.Change, seq, change: kind, at, ids, counts: counts(c), ...extra,
});
const note = (seq: number, extra = {}) => ({ type: ServerFrameType.Notification, notification: makeNotification(seq, { activitySeq: seq, seenAt: null, archivedAt: null, snoozedUntil: null, ...extra }) });

/** One user's stream as the server would send it: two notifications, then changes to them. */
const STREAM = [
  note(1, { category: 'social' }),
  note(2, { category: 'billing' }),
  change(3, InboxChangeKind.Seen, ['n-1'], { inbox: 2, unread: 2, unseen: 1 }),
  change(4, InboxChangeKind.Archived, ['n-2'], { inbox: 1, unread: 1, unseen: 1, archived: 1 }),
  note(5),
  change(6, InboxChangeKind.Read, ['n-1'], { inbox: 2, unread: 1, unseen: 1, archived: 1 }),
];

async function open(sut: ReturnType<typeof clientHarness>, frame = {}) {
  sut.sut.connect();
  await settle();
  await welcome(sut.ws.last(), { lastSeq: 0, counts: counts(), ...frame });
}

function play(socket: FakeWebSocket, frames: object[]) {
  for (const frame of frames) socket.serverSend(frame);
}

describe('HeraldClient inbox', () => {
  beforeEach(useFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('applies notifications and changes in order: states, counts, filters and events', async () => {
    const h = clientHarness();
    const changes: string[] = [];
    h.sut.on('change', (c) => changes.push(c.change));
    await open(h);

    play(h.ws.last(), STREAM);
    await settle();
    const { inbox } = h.sut;

    expect(changes).toEqual(['seen', 'archived', 'read']);
    expect(inbox.counts).toEqual(counts({ inbox: 2, unread: 1, unseen: 1, archived: 1 }));
    expect(inbox.items().map((n) => n.id)).toEqual(['n-5', 'n-1']);
    expect(inbox.items({ state: 'archived' }).map((n) => n.id)).toEqual(['n-2']);
    expect(inbox.items({ state: 'unread' }).map((n) => n.id)).toEqual(['n-5']);
    expect(inbox.items({ category: 'social' }).map((n) => n.id)).toEqual(['n-1']);
    expect(inbox.get('n-1')).toMatchObject({ seenAt: at, readAt: at });
    expect(h.sut.lastSeq).toBe(6);
  });

  it('moves a grouped entry to the top with its group, and applies a bulk by filter to what it holds', async () => {
    const h = clientHarness();
    await open(h);
    play(h.ws.last(), [note(1, { groupKey: 'comment:42' }), note(2)]);
    const grouped = makeNotification(1, { activitySeq: 3, groupKey: 'comment:42', title: 'Bo commented', group: { count: 2, actors: ['Bo', 'Ana'], lastAt: at } });

    play(h.ws.last(), [
      change(3, InboxChangeKind.Grouped, ['n-1'], { inbox: 2, unread: 2, unseen: 2 }, { notification: grouped }),
      change(4, InboxChangeKind.Bulk, [], { inbox: 0, unread: 0, unseen: 0, archived: 2 }, { action: 'archived', filter: { state: 'inbox' } }),
    ]);
    await settle();

    expect(h.sut.inbox.items({ state: 'archived' }).map((n) => [n.id, n.group?.count ?? 1])).toEqual([
      ['n-1', 2],
      ['n-2', 1],
    ]);
    expect(h.sut.inbox.items()).toEqual([]);
  });

  it('converges with a client that stayed online after it resumes from where it was killed', async () => {
    const online = clientHarness();
    const killed = clientHarness();
    await Promise.all([open(online), open(killed)]);
    play(online.ws.last(), STREAM);
    play(killed.ws.last(), STREAM.slice(0, 2));
    await settle();

    killed.ws.last().serverClose(1006);
    await advance(250);
    // The resume replays every entry above since, changes included, then synced.
    expect(killed.ws.last().query.get('since')).toBe('2');
    await welcome(killed.ws.last(), { lastSeq: 6, counts: counts({ inbox: 2, unread: 1, unseen: 1, archived: 1 }) });
    play(killed.ws.last(), [...STREAM.slice(1), { type: ServerFrameType.Synced, seq: 6 }]);
    await settle();

    expect(killed.sut.inbox.counts).toEqual(online.sut.inbox.counts);
    expect(killed.sut.inbox.items({ state: 'archived' })).toEqual(online.sut.inbox.items({ state: 'archived' }));
    expect(killed.sut.inbox.items()).toEqual(online.sut.inbox.items());
  });

  it('reports what was shown in one bulk seen per batch, each id once, skipping those already seen', async () => {
    const h = clientHarness({ seenBatchMs: 500 });
    await open(h);
    play(h.ws.last(), [note(1), note(2), note(3), change(4, InboxChangeKind.Seen, ['n-3'], { inbox: 3, unread: 3, unseen: 2 })]);
    await settle();

    h.sut.inbox.markSeen(['n-1', 'n-3']);
    h.sut.inbox.markSeen('n-2');
    h.sut.inbox.markSeen('n-1');
    await advance(500);
    h.sut.inbox.markSeen('n-1');
    await advance(500);

    const bulks = h.rest.calls('/v1/notifications/bulk');
    expect(bulks.map((r) => r.body)).toEqual([{ action: 'seen', ids: ['n-1', 'n-2'] }]);
  });

  it('sends filters and actions to their routes', async () => {
    const h = clientHarness();
    await open(h);

    await h.sut.inbox.load({ state: 'unread', category: 'social', tags: ['a', 'b'], tagsMatch: 'all' }, { limit: 10 });
    await h.sut.inbox.snooze('n-1', new Date(at));
    await h.sut.inbox.interact('n-1', 'reply');
    await h.sut.inbox.count({ all: {}, social: { category: 'social' } });

    const [list] = h.rest.calls('/v1/notifications');
    expect(Object.fromEntries(list.query)).toEqual({ state: 'unread', category: 'social', tags: 'a,b', tagsMatch: 'all', limit: '10' });
    expect(h.rest.calls('/v1/notifications/n-1/snooze')[0].body).toEqual({ until: at });
    expect(h.rest.calls('/v1/notifications/n-1/interact')[0].body).toEqual({ interaction: 'reply' });
    expect(h.rest.calls('/v1/notifications/counts')[0].body).toEqual({ filters: { all: {}, social: { category: 'social' } } });
  });

  it('while polling, pages the stream (changes too), so items, counts and the resume position stay exact', async () => {
    const h = clientHarness({ failuresBeforePolling: 1 });
    await open(h);
    play(h.ws.last(), [note(1), note(2)]);
    await settle();
    h.ws.last().serverClose(1006);
    await advance(250);
    h.rest.entries = [change(3, InboxChangeKind.Archived, ['n-1'], { inbox: 1, unread: 1, unseen: 1, archived: 1 }), note(4) as never];
    h.ws.last().serverClose(1006);
    await settle();

    expect(h.sut.state).toBe('polling');
    expect(h.received.map((n) => n.seq)).toEqual([1, 2, 4]);
    expect(h.sut.inbox.items({ state: 'archived' }).map((n) => n.id)).toEqual(['n-1']);
    expect(h.sut.inbox.counts).toEqual(counts({ inbox: 2, unread: 2, unseen: 2, archived: 1 }));
    await advance(1000);
    expect(h.ws.last().query.get('since')).toBe('4');
  });

  it('fills a gap in the stream from the entries route, changes included', async () => {
    const h = clientHarness();
    await open(h);
    play(h.ws.last(), [note(1)]);
    await settle();
    h.rest.entries = [change(2, InboxChangeKind.Read, ['n-1'], { inbox: 1, unread: 0, unseen: 0 }), note(3) as never];

    play(h.ws.last(), [note(3)]);
    await settle();

    expect(h.sut.inbox.get('n-1')).toMatchObject({ readAt: at });
    expect(h.sut.inbox.counts).toEqual(counts({ inbox: 2, unread: 1, unseen: 1 }));
    expect(h.received.map((n) => n.seq)).toEqual([1, 3]);
  });
});
