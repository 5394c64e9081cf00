import { jest } from '@jest/globals';
import type { WebSocket } from 'ws';
import type { Notification } from '@herald/contracts';
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

function setup(stored: Notification[] = []) {
  const { ws, sent } = fakeSocket();
  const readRange = jest.fn(async (_u: string, from: number, to: number) => stored.filter((n) => n.seq > from && n.seq < to));
  const close = jest.fn<SessionDeps['close']>();
  const sut = new ClientSession(ws, 'c1', 'u', { readRange, onSent: () => undefined, close, sendBufferBytes: 100, maxGap: 1000 });
  const seqs = () => sent.map((s) => JSON.parse(s)).filter((f) => f.type === 'notification').map((f) => f.notification.seq);
  const flush = () => new Promise((r) => setTimeout(r, 0));
  return { sut, ws, sent, seqs, readRange, close, flush };
}

describe('ClientSession', () => {
  it('sends the next seq at once and drops duplicates', async () => {
    const { sut, seqs, flush } = setup();

    for (const seq of [1, 2, 2, 1, 3]) sut.deliver(frame(seq), JSON.stringify(frame(seq)));
    await flush();

    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('fills a jump from storage before sending the later frame', async () => {
    const { sut, seqs, readRange, flush } = setup([note(2), note(3)]);
    sut.cursor = 1;

    sut.deliver(frame(4), JSON.stringify(frame(4)));
    sut.deliver(frame(3), JSON.stringify(frame(3))); // late live copy of a filled seq
    sut.deliver(frame(5), JSON.stringify(frame(5)));
    await flush();
    await flush();

    expect(seqs()).toEqual([2, 3, 4, 5]);
    expect(readRange).toHaveBeenCalledWith('u', 1, 4);
  });

  it('holds live frames behind a task still running (the resume)', async () => {
    const { sut, seqs, flush } = setup();
    let release!: () => void;
    sut.enqueue(() => new Promise<void>((r) => (release = r)));

    sut.deliver(frame(1), JSON.stringify(frame(1)));
    await flush();
    expect(seqs()).toEqual([]);
    release();
    await flush();
    await flush();

    expect(seqs()).toEqual([1]);
  });

  it('asks for a resync instead of reading a gap larger than the limit', async () => {
    const { sut, sent, readRange, flush } = setup();

    sut.deliver(frame(2000), JSON.stringify(frame(2000)));
    await flush();

    expect(readRange).not.toHaveBeenCalled();
    expect(JSON.parse(sent[0])).toEqual({ type: 'resync_required', lastSeq: 2000 });
    expect(sut.cursor).toBe(2000);
  });

  it('closes a slow consumer with 4009 instead of buffering without bound', () => {
    const { sut, ws, sent, close } = setup();
    ws.bufferedAmount = 101;

    sut.deliver(frame(1), JSON.stringify(frame(1)));

    expect(sent).toEqual([]);
    expect(close).toHaveBeenCalledWith(sut, 4009, 'slow consumer');
  });
});
