import { jest } from '@jest/globals';
import { ClientFrameType, ServerFrameType } from '@herald/contracts';
import type { HeraldClientOptions } from '../client-options.js';
import { advance, clientHarness, useFakeTimers, welcome } from '../../testing/client-harness.js';
import { FakeRest, fakeJwt, makeNotification, settle } from '../../testing/fake-rest.js';
import { FakeTabs } from '../../testing/fake-tabs.js';
import { fakeWebSocketClass } from '../../testing/fake-web-socket.js';

/** Tabs of one browser: one lock manager and channel bus, one server (socket class and api). */
function browser() {
  const tabs = new FakeTabs();
  const ws = fakeWebSocketClass();
  const rest = new FakeRest();
  const open = (overrides: Partial<HeraldClientOptions> = {}) => {
    const tab = tabs.tab();
    const harness = clientHarness({ WebSocket: ws.WebSocket, fetch: rest.fetch, getToken: () => fakeJwt({ sub: 'alice' }), tabs: tab, ...overrides });
    const unread: number[] = [];
    harness.sut.on('unread', (count) => unread.push(count));
    harness.sut.connect();
    return { ...harness, tab, unread };
  };
  return { tabs, ws, rest, open };
}

const note = (seq: number) => ({ type: ServerFrameType.Notification, notification: makeNotification(seq) });

describe('SharedTransport (one socket per browser)', () => {
  beforeEach(useFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('opens one socket for three tabs and hands every frame to each', async () => {
    const b = browser();
    const sut = [b.open(), b.open(), b.open()];
    await settle();

    await welcome(b.ws.last(), { lastSeq: 0 });
    await settle();
    b.ws.last().serverSend(note(1));
    b.ws.last().serverSend(note(2));
    await settle();

    expect(b.ws.instances).toHaveLength(1);
    expect(sut.map((t) => t.sut.leading)).toEqual([true, false, false]);
    expect(sut.map((t) => t.sut.state)).toEqual(['open', 'open', 'open']);
    expect(sut.map((t) => t.seqs())).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(sut.map((t) => t.unread.at(-1))).toEqual([2, 2, 2]);
    sut.forEach((t) => t.sut.close());
  });

  it("sends a follower's frames on the leader's socket", async () => {
    const b = browser();
    const [, follower] = [b.open(), b.open()];
    await settle();
    await welcome(b.ws.last());
    await settle();

    const sent = follower.sut.ping();
    await settle();

    expect(sent).toBe(true);
    expect(b.ws.last().sent).toContainEqual({ type: ClientFrameType.Ping });
  });

  it('starts a tab opened later where the leader stands, without refetching', async () => {
    const b = browser();
    const leader = b.open();
    await settle();
    await welcome(b.ws.last(), { lastSeq: 4, unreadCount: 1 });
    b.ws.last().serverSend(note(5));
    await settle();

    const late = b.open();
    await settle();
    b.ws.last().serverSend(note(6));
    await settle();

    expect(late.sut.state).toBe('open');
    expect(late.sut.lastSeq).toBe(6);
    expect(late.seqs()).toEqual([6]);
    expect(late.unread).toEqual([2, 3]);
    expect(leader.unread.at(-1)).toBe(3);
    expect(b.rest.calls('/v1/notifications')).toHaveLength(0);
  });

  it('hands the socket to another tab when the leader tab closes, which resumes from its own lastSeq', async () => {
    const b = browser();
    const [leader, next, third] = [b.open(), b.open(), b.open()];
    await settle();
    await welcome(b.ws.instances[0], { lastSeq: 0 });
    b.ws.instances[0].serverSend(note(1));
    await settle();

    leader.tab.crash(); // the tab is closed: its lock and channels go with it
    leader.sut.close();
    await settle();
    // What the server stored while the lock changed hands arrives as the resume's replay.
    const resumed = b.ws.instances[1];
    await welcome(resumed, { lastSeq: 3 });
    resumed.serverSend(note(2));
    resumed.serverSend(note(3));
    resumed.serverSend({ type: ServerFrameType.Synced, seq: 3 });
    await settle();

    expect(b.ws.instances).toHaveLength(2);
    expect(resumed.query.get('since')).toBe('1');
    expect([next.sut.leading, third.sut.leading]).toEqual([true, false]);
    expect([next.seqs(), third.seqs()]).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(third.sut.state).toBe('open');
  });

  it('lets a follower that missed frames fill them over REST, as a single tab would', async () => {
    const b = browser();
    const [, follower] = [b.open(), b.open()];
    await settle();
    await welcome(b.ws.last(), { lastSeq: 0 });
    b.rest.inbox = [1, 2, 3].map((seq) => makeNotification(seq));
    b.ws.last().serverSend(note(3)); // 1 and 2 never came: both tabs fetch the gap

    await settle();

    expect(follower.seqs()).toEqual([1, 2, 3]);
  });

  it('tells a tab opened while the leader polls that it is polling', async () => {
    const b = browser();
    const leader = b.open({ failuresBeforePolling: 1 });
    await settle();
    b.ws.last().serverClose(1006);
    await settle();

    const late = b.open();
    await settle();
    await settle();

    expect(leader.sut.state).toBe('polling');
    expect(late.sut.state).toBe('polling');
    leader.sut.close();
    late.sut.close();
  });

  it('keeps a socket per tab without Web Locks and BroadcastChannel, or when the token names no user', async () => {
    const b = browser();
    b.open({ tabs: false });
    b.open({ tabs: false });
    b.open({ getToken: () => 'opaque-token' });
    b.open({ getToken: () => 'opaque-token' });
    await settle();

    expect(b.ws.instances).toHaveLength(4);
  });

  it('gives different users of one origin different sockets', async () => {
    const b = browser();
    b.open({ getToken: () => fakeJwt({ sub: 'alice' }) });
    b.open({ getToken: () => fakeJwt({ sub: 'bob' }) });
    await settle();

    expect(b.ws.instances).toHaveLength(2);
  });

  it('runs a polling round in every tab while the leader polls', async () => {
    const b = browser();
    const [, follower] = [b.open({ failuresBeforePolling: 1 }), b.open({ failuresBeforePolling: 1 })];
    await settle();
    await welcome(b.ws.last(), { lastSeq: 0 });
    b.rest.inbox = [makeNotification(1)];

    b.ws.last().serverClose(1006);
    await advance(250);
    b.ws.last().serverClose(1006); // a failed connect: the leader falls back to polling
    await settle();
    await settle();

    expect(follower.sut.state).toBe('polling');
    expect(follower.seqs()).toEqual([1]);
  });
});
