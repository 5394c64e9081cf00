import { ServerFrameType, type ChangeFrame } from './frames.js';
import { applyInboxEntry, applyWelcome, emptyInboxReplica } from './inbox-replica.js';
import { matchesInboxFilter, type InboxCounts } from './inbox.js';
import type { Notification } from './notification.js';

const counts: InboxCounts = { inbox: 1, unread: 1, unseen: 1, archived: 0, snoozed: 0 };
const note = (seq: number, more: Partial<Notification> = {}): Notification => ({
  id: `n${seq}`, seq, activitySeq: seq, userId: 'ann', type: 't', title: 'x', body: null, severity: 'info', data: null, link: null,
  createdAt: '2030-01-01T00:00:00.000Z', readAt: null, expiresAt: null, category: null, tags: [], seenAt: null, archivedAt: null,
  snoozedUntil: null, stateSeq: seq, ...more,
});
const change = (seq: number, more: Partial<ChangeFrame>): ChangeFrame => ({
  type: ServerFrameType.Change, seq, change: 'read', at: `2030-01-01T00:00:0${seq}.000Z`, ids: [], counts, ...more,
});

describe('applyInboxEntry', () => {
  it('adds one to the counts for a new notification above the welcome, and takes a change entry\'s counts as they are', () => {
    const sut = emptyInboxReplica();
    applyWelcome(sut, { type: ServerFrameType.Welcome, connectionId: 'c', userId: 'ann', lastSeq: 1, unreadCount: 0, heartbeatMs: 1, serverTime: '', counts: { ...counts, inbox: 0, unread: 0, unseen: 0 } });
    applyInboxEntry(sut, { type: ServerFrameType.Notification, notification: note(1) });
    applyInboxEntry(sut, { type: ServerFrameType.Notification, notification: note(2) });
    expect(sut.counts).toMatchObject({ inbox: 1, unread: 1, unseen: 1 });
    applyInboxEntry(sut, change(3, { ids: ['n2'], counts: { ...counts, unread: 0 } }));
    expect(sut.items.get('n2')).toMatchObject({ readAt: '2030-01-01T00:00:03.000Z', seenAt: '2030-01-01T00:00:03.000Z', stateSeq: 3 });
    expect(sut.counts.unread).toBe(0);
    expect(sut.lastSeq).toBe(3);
  });

  it('judges a bulk change by filter on states as they were then: a copy read later (a resume replay) is left alone', () => {
    const sut = emptyInboxReplica();
    // n6 was created unread, a bulk archived every *read* one at 7 (not n6), and n6 was read at 8; a resume replays n6 as it is now.
    applyInboxEntry(sut, { type: ServerFrameType.Notification, notification: note(6, { readAt: 'later', seenAt: 'later', stateSeq: 8 }) });
    applyInboxEntry(sut, change(7, { change: 'bulk', action: 'archived', filter: { state: 'read' } }));
    applyInboxEntry(sut, change(8, { ids: ['n6'] }));
    expect(sut.items.get('n6')).toMatchObject({ archivedAt: null, readAt: 'later' });
  });

  it('replaces a grouped or woken entry, and forgets a deleted one', () => {
    const sut = emptyInboxReplica();
    applyInboxEntry(sut, { type: ServerFrameType.Notification, notification: note(1) });
    applyInboxEntry(sut, change(2, { change: 'grouped', ids: ['n1'], notification: note(1, { title: 'y', activitySeq: 2, stateSeq: 2 }) }));
    expect(sut.items.get('n1')).toMatchObject({ title: 'y', activitySeq: 2 });
    applyInboxEntry(sut, change(3, { change: 'deleted', ids: ['n1'] }));
    expect(sut.items.size).toBe(0);
  });
});

describe('matchesInboxFilter', () => {
  it('keeps snoozed and archived ones out of the inbox, and matches tags any or all', () => {
    expect(matchesInboxFilter(note(1, { snoozedUntil: 'x' }), {})).toBe(false);
    expect(matchesInboxFilter(note(1, { snoozedUntil: 'x', archivedAt: 'y' }), { state: 'snoozed' })).toBe(true);
    expect(matchesInboxFilter(note(1, { archivedAt: 'y' }), { state: 'archived' })).toBe(true);
    expect(matchesInboxFilter(note(1, { tags: ['a'] }), { tags: ['a', 'b'] })).toBe(true);
    expect(matchesInboxFilter(note(1, { tags: ['a'] }), { tags: ['a', 'b'], tagsMatch: 'all' })).toBe(false);
    expect(matchesInboxFilter(note(1), { from: '2030-01-01T00:00:00.000Z', to: '2030-01-01T00:00:00.001Z' })).toBe(true);
  });
});
