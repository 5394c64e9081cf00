import { jest } from '@jest/globals';
import type { WebSocket } from 'ws';
import { notificationFrame, ServerFrameType, type Notification, type ServerFrame } from '@herald/contracts';
import type { Stream, StreamKind } from '../streams/stream-kind.js';
import { ClientSession, type SessionDeps } from './client-session.js';

const note = (seq: number): Notification => ({
  id: `id-${seq}`, seq, userId: 'u', type: 't', title: `n${seq}`, body: null, severity: 'info', data: null, link: null,
  createdAt: new Date().toISOString(), readAt: null, expiresAt: null,
});
const frame = (seq: number) => ({ type: 'notification' as const, notification: note(seq) });

function fakeSocket() {
  const sent: string[] = [];
  const ws = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (s: string) => sent.push(s), close: jest.fn() };
  return { ws: ws as unknown as WebSocket & { bufferedAmount: number }, sent };
}

type ResyncFrame = StreamKind['resyncFrame'];
const userResync: ResyncFrame = (_key, lastSeq) => ({ type: ServerFrameType.ResyncRequired, lastSeq });

/** A stream kind whose entries are the `notification` frames of `stored`, whatever the key. */
function fakeKind(stored: Notification[], resyncFrame = userResync, holesMeanLoss = false) {
  const readRange = jest.fn(async (_key: string, from: number, to: number): Promise<ServerFrame[]> =>
    stored.filter((n) => n.seq > from && n.seq < to).map(notificationFrame),
  );
  const kind: StreamKind = {
    channel: (key) => `fake:{${key}}`,
    keyOf: () => null,
    maxGap: () => 1000,
    holesMeanLoss,
    positionOf: (f) => (f.type === ServerFrameType.Notification ? f.notification.seq : undefined),
    readGap: readRange,
    readAfter: async () => new Map(),
    resyncFrame,
  };
  return { kind, readRange };
}

function setup(stored: Notification[] = []) {
  const { ws, sent } = fakeSocket();
  const { kind, readRange } = fakeKind(stored);
  const own: Stream = { kind, key: 'u' };
  const close = jest.fn<SessionDeps['close']>();
  const sut = new ClientSession(ws, 'c1', 'u', { ownStream: kind, onSent: () => undefined, close, sendBufferBytes: 100 });
  const frames = () => sent.map((s) => JSON.parse(s));
  const seqs = () => frames().filter((f) => f.type === 'notification').map((f) => f.notification.seq);
  const flush = () => new Promise((r) => setTimeout(r, 0));
  const deliver = (seq: number) => sut.deliver(own, frame(seq), JSON.stringify(frame(seq)));
  return { sut, ws, sent, frames, seqs, readRange, close, flush, own, deliver };
}

describe('ClientSession', () => {
  it('sends the next seq at once and drops duplicates', async () => {
    const { seqs, flush, deliver } = setup();

    for (const seq of [1, 2, 2, 1, 3]) deliver(seq);
    await flush();

    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('fills a jump from storage before sending the later frame', async () => {
    const { sut, seqs, readRange, flush, own, deliver } = setup([note(2), note(3)]);
    sut.replay(own, [], 1);

    deliver(4);
    deliver(3); // late live copy of a filled seq
    deliver(5);
    await flush();
    await flush();

    expect(seqs()).toEqual([2, 3, 4, 5]);
    expect(readRange).toHaveBeenCalledWith('u', 1, 4);
  });

  it('holds live frames behind a task still running (the resume)', async () => {
    const { sut, seqs, flush, deliver } = setup();
    let release!: () => void;
    sut.enqueue(() => new Promise<void>((r) => (release = r)));

    deliver(1);
    await flush();
    expect(seqs()).toEqual([]);
    release();
    await flush();
    await flush();

    expect(seqs()).toEqual([1]);
  });

  it('asks for a resync instead of reading a gap larger than the limit', async () => {
    const { sut, sent, readRange, flush, deliver } = setup();

    deliver(2000);
    await flush();

    expect(readRange).not.toHaveBeenCalled();
    expect(JSON.parse(sent[0])).toEqual({ type: 'resync_required', lastSeq: 2000 });
    expect(sut.cursor).toBe(2000);
  });

  it('closes a slow consumer with 4009 instead of buffering without bound', () => {
    const { sut, ws, sent, close, deliver } = setup();
    ws.bufferedAmount = 101;

    deliver(1);

    expect(sent).toEqual([]);
    expect(close).toHaveBeenCalledWith(sut, 4009, 'slow consumer');
  });

  it('sends frames that are not entries as they come, behind a gap fill on the same channel', async () => {
    const { sut, frames, flush, own, deliver } = setup([note(1)]);
    const unread = { type: ServerFrameType.Unread, count: 4 } as const;
    const broadcast = { type: ServerFrameType.Pong, ts: 1 } as const;

    deliver(2);
    sut.deliver(own, unread, JSON.stringify(unread));
    sut.deliver(undefined, broadcast, JSON.stringify(broadcast));
    await flush();
    await flush();

    expect(frames().map((f) => f.type)).toEqual(['notification', 'notification', 'unread', 'pong']);
  });

  describe('replay', () => {
    it('sends the entries above the cursor and moves it to `through`', () => {
      const { sut, seqs, own } = setup();
      sut.replay(own, [], 2);

      const replayed = sut.replay(own, [1, 2, 3, 5].map((s) => notificationFrame(note(s))), 7);

      expect(replayed).toBe(true);
      expect(seqs()).toEqual([3, 5]);
      expect(sut.cursor).toBe(7);
    });

    it('asks for a resync instead of replaying more than the limit', () => {
      const { sut, frames, own } = setup();
      const entries = Array.from({ length: 1001 }, (_, i) => notificationFrame(note(i + 1)));

      const replayed = sut.replay(own, entries, 1001);

      expect(replayed).toBe(false);
      expect(frames()).toEqual([{ type: 'resync_required', lastSeq: 1001 }]);
      expect(sut.cursor).toBe(1001);
    });

    it('never moves the cursor back', async () => {
      const { sut, seqs, own, deliver, flush } = setup();
      sut.replay(own, [], 5);

      sut.replay(own, [notificationFrame(note(4))], 4);
      deliver(5);
      deliver(6);
      await flush();

      expect(seqs()).toEqual([6]);
      expect(sut.cursor).toBe(6);
    });
  });

  describe('requireResync', () => {
    it("sends the stream's resync frame and goes on live from `lastSeq`", async () => {
      const { sut, frames, seqs, own, deliver, flush } = setup();

      sut.requireResync(own, 9);
      deliver(9);
      deliver(10);
      await flush();

      expect(frames()[0]).toEqual({ type: 'resync_required', lastSeq: 9 });
      expect(seqs()).toEqual([10]);
    });

    it('keeps a cursor that is already further on', () => {
      const { sut, own } = setup();
      sut.replay(own, [], 12);

      sut.requireResync(own, 3);

      expect(sut.cursor).toBe(12);
    });
  });

  describe('a stream besides its own (a topic)', () => {
    it('keeps a cursor per stream: each drops its own duplicates and fills its own gaps', async () => {
      const { sut, frames, flush, own, deliver } = setup();
      const topicStore = [note(1), note(2)];
      const topicResync = (key: string, lastSeq: number) => ({ type: 'topic.resync_required', key, lastSeq }) as unknown as ServerFrame;
      const { kind: topics, readRange: readTopic } = fakeKind(topicStore, topicResync);
      const jobs: Stream = { kind: topics, key: 'jobs' };
      const send = (stream: Stream, seq: number) => sut.deliver(stream, frame(seq), JSON.stringify(frame(seq)));
      sut.follow(jobs);

      deliver(1);
      send(jobs, 3); // jobs 1 and 2 come from storage
      deliver(2);
      send(jobs, 3);
      send(jobs, 2000); // past the limit: the topic's own resync frame
      await flush();
      await flush();

      expect(readTopic).toHaveBeenCalledWith('jobs', 0, 3);
      expect(frames().map((f) => f.notification?.seq ?? `${f.type}:${f.key}:${f.lastSeq}`)).toEqual([1, 1, 2, 3, 2, 'topic.resync_required:jobs:2000']);
      expect(sut.positionIn(jobs)).toBe(2000);
      expect(sut.positionIn(own)).toBe(2);
      expect(sut.cursor).toBe(2);
    });
  });

  describe('following a topic', () => {
    const topicResync = (key: string, lastSeq: number) => ({ type: 'topic.resync_required', topic: key, lastSeq }) as unknown as ServerFrame;

    function topicSetup(stored: Notification[] = []) {
      const base = setup();
      const { kind, readRange } = fakeKind(stored, topicResync, true);
      const jobs: Stream = { kind, key: 'jobs' };
      const send = (seq: number) => base.sut.deliver(jobs, frame(seq), JSON.stringify(frame(seq)));
      return { ...base, jobs, send, readRange };
    }

    it('drops the frames of a topic it does not follow, or no longer follows, even those already queued', async () => {
      const { sut, seqs, flush, jobs, send } = topicSetup();
      send(1); // not followed yet
      sut.follow(jobs);
      sut.startAt(jobs, 1);
      let release!: () => void;
      sut.enqueue(() => new Promise<void>((r) => (release = r)));
      send(2); // queued behind the task
      sut.unfollow(jobs);
      await flush();
      release();
      await flush();
      send(3);

      expect(seqs()).toEqual([]);
      expect([sut.follows(jobs), sut.followedCount, sut.followed()]).toEqual([false, 0, []]);
    });

    it('goes on live from where it starts, with no replay', async () => {
      const { sut, seqs, flush, jobs, send } = topicSetup();
      sut.follow(jobs);
      sut.startAt(jobs, 41);

      send(41);
      send(42);
      await flush();

      expect(seqs()).toEqual([42]);
      expect(sut.follow(jobs)).toBe(false);
      expect(sut.followed()).toEqual([jobs]);
    });

    it('asks for a resync when the history it replays has a hole, and replays it whole otherwise', () => {
      const { sut, frames, seqs, jobs } = topicSetup();
      sut.follow(jobs);
      sut.startAt(jobs, 3);

      const holed = sut.replay(jobs, [4, 6].map((s) => notificationFrame(note(s))), 6);
      const whole = sut.replay(jobs, [7, 8].map((s) => notificationFrame(note(s))), 9);

      expect([holed, whole]).toEqual([false, false]); // 9 was not read: lost too
      expect(frames().map((f) => f.type)).toEqual(['topic.resync_required', 'topic.resync_required']);
      expect(sut.replay(jobs, [10, 11].map((s) => notificationFrame(note(s))), 11)).toBe(true);
      expect(seqs()).toEqual([10, 11]);
    });

    it('asks for a resync when a gap fill finds the history trimmed, then goes on live after it', async () => {
      const { sut, frames, flush, jobs, send, readRange } = topicSetup([note(4)]);
      sut.follow(jobs);
      sut.startAt(jobs, 2);

      send(5); // 3 was trimmed away
      send(6);
      await flush();
      await flush();

      expect(readRange).toHaveBeenCalledWith('jobs', 2, 5);
      expect(frames().map((f) => f.notification?.seq ?? `${f.type}:${f.lastSeq}`)).toEqual(['topic.resync_required:5', 6]);
    });

    it('counts only what lies above its own cursor against the replay limit', () => {
      const { sut, seqs, jobs } = topicSetup();
      sut.follow(jobs);
      sut.startAt(jobs, 1000);

      const replayed = sut.replay(jobs, Array.from({ length: 1001 }, (_, i) => notificationFrame(note(i + 1))), 1001);

      expect(replayed).toBe(true);
      expect(seqs()).toEqual([1001]);
    });
  });
});
