import { ClientFrameType, ServerFrameType } from '@herald/contracts';
import { jest } from '@jest/globals';
import { advance, clientHarness, useFakeTimers, welcome } from '../testing/client-harness.js';
import { makeNotification, settle } from '../testing/fake-rest.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function openClient(options: Parameters<typeof clientHarness>[0] = {}, lastSeq = 5) {
  const harness = clientHarness(options);
  harness.sut.connect();
  await settle();
  await welcome(harness.ws.last(), { lastSeq });
  return { ...harness, socket: harness.ws.last() };
}

describe('HeraldClient inbox sync', () => {
  beforeEach(useFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('emits live notifications in seq order', async () => {
    const { socket, seqs, rest } = await openClient();

    for (const seq of [6, 7, 8]) socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(seq) });
    await settle();

    expect(seqs()).toEqual([6, 7, 8]);
    expect(rest.calls('/v1/notifications')).toHaveLength(0);
  });

  it('fills a seq gap over REST and emits the missing ones first', async () => {
    const { socket, seqs, rest } = await openClient();
    rest.inbox = range(1, 9).map((seq) => makeNotification(seq));

    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(9) });
    await settle();

    expect(seqs()).toEqual([6, 7, 8, 9]);
    const [fill] = rest.calls('/v1/notifications');
    expect(fill?.query.get('after')).toBe('5');
    expect(fill?.query.get('limit')).toBe('100');
  });

  it('keeps live frames behind a gap fill in flight', async () => {
    const { socket, seqs, rest } = await openClient();
    rest.inbox = range(1, 10).map((seq) => makeNotification(seq));
    let release = () => {};
    rest.gate = new Promise<void>((resolve) => (release = resolve));

    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(8) });
    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(9) });
    await settle();
    const beforeRelease = seqs();
    rest.gate = null;
    release();
    await settle();

    expect(beforeRelease).toEqual([]);
    expect(seqs()).toEqual([6, 7, 8, 9, 10]);
  });

  it('drops duplicates by id and by seq', async () => {
    const { socket, seqs } = await openClient();

    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(6) });
    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(6) });
    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(5, { id: 'old' }) });
    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(7, { id: 'n-6' }) });
    await settle();

    expect(seqs()).toEqual([6]);
  });

  it('drops replayed notifications already emitted before a reconnect', async () => {
    const { sut, ws, socket, seqs } = await openClient();
    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(6) });
    await settle();
    socket.serverClose(1006);
    await advance(250);

    await welcome(ws.last(), { lastSeq: 7 });
    for (const seq of [6, 7]) ws.last().serverSend({ type: ServerFrameType.Notification, notification: makeNotification(seq) });
    ws.last().serverSend({ type: ServerFrameType.Synced, seq: 7 });
    await settle();

    expect(ws.last().query.get('since')).toBe('6');
    expect(seqs()).toEqual([6, 7]);
    expect(sut.lastSeq).toBe(7);
  });

  it('pages over REST on resync_required until caught up', async () => {
    const { socket, seqs, rest, sut } = await openClient({}, 5);
    rest.inbox = range(1, 1300).map((seq) => makeNotification(seq));

    socket.serverSend({ type: ServerFrameType.ResyncRequired, lastSeq: 1300 });
    await settle();

    expect(seqs()).toEqual(range(6, 1300));
    expect(rest.calls('/v1/notifications').map((r) => r.query.get('after'))).toEqual(
      ['5', ...range(1, 12).map((page) => String(5 + page * 100))],
    );
    expect(sut.lastSeq).toBe(1300);
  });

  it('reconnects with since when a gap fill fails, and the replay completes it', async () => {
    const { ws, socket, seqs, rest, errors } = await openClient();
    rest.failNext = 1;

    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(8) });
    await settle();
    const closedBy = socket.closedByClient;
    await advance(250);

    expect(errors.map((e) => e.name)).toEqual(['HeraldApiError']);
    expect(closedBy?.code).toBe(1000);
    expect(seqs()).toEqual([]);
    expect(ws.last().query.get('since')).toBe('5');
  });

  it('believes the server when its lastSeq is below ours (inbox reset)', async () => {
    const { ws, socket, seqs } = await openClient({}, 50);
    socket.serverClose(1006);
    await advance(250);

    await welcome(ws.last(), { lastSeq: 2 });
    ws.last().serverSend({ type: ServerFrameType.Notification, notification: makeNotification(3, { id: 'fresh' }) });
    await settle();

    expect(ws.last().query.get('since')).toBe('50');
    expect(seqs()).toEqual([3]);
  });

  it('turns inbox frames into typed events', async () => {
    const { sut, socket } = await openClient();
    const events: unknown[] = [];
    sut.on('updated', (e) => events.push(['updated', e]));
    sut.on('deleted', (e) => events.push(['deleted', e]));
    sut.on('readAll', (e) => events.push(['readAll', e]));
    sut.on('unread', (count) => events.push(['unread', count]));
    sut.on('broadcast', (b) => events.push(['broadcast', b.id]));
    sut.on('pong', (ts) => events.push(['pong', ts]));
    sut.on('error', (e) => events.push(['error', e.name]));

    socket.serverSend({ type: ServerFrameType.NotificationUpdated, id: 'n-1', readAt: 'T' });
    socket.serverSend({ type: ServerFrameType.NotificationDeleted, id: 'n-2' });
    socket.serverSend({ type: ServerFrameType.ReadAll, readAt: 'T' });
    socket.serverSend({ type: ServerFrameType.Unread, count: 3 });
    socket.serverSend({ type: ServerFrameType.Broadcast, broadcast: { id: 'b1' } });
    socket.serverSend({ type: ServerFrameType.Pong, ts: 42 });
    socket.serverSend({ type: ServerFrameType.Error, code: 'unknown_type', message: 'no' });
    socket.serverSend({ type: 'from_the_future' });
    await settle();

    expect(events).toEqual([
      ['updated', { id: 'n-1', readAt: 'T' }],
      ['deleted', { id: 'n-2' }],
      ['readAll', { readAt: 'T' }],
      ['unread', 3],
      ['broadcast', 'b1'],
      ['pong', 42],
      ['error', 'HeraldFrameError'],
    ]);
  });

  it('counts arriving unread notifications into `unread`, but not a replay the welcome already counted', async () => {
    const { sut, ws, socket } = await openClient();
    const counts: number[] = [];
    sut.on('unread', (count) => counts.push(count));

    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(6) });
    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(7, { readAt: 'T' }) });
    socket.serverSend({ type: ServerFrameType.Unread, count: 0 }); // read in another tab
    await settle();
    socket.serverClose(1006);
    await advance(250);
    await welcome(ws.last(), { lastSeq: 9, unreadCount: 2 }); // 8 and 9 came while away
    for (const seq of [8, 9, 10]) ws.last().serverSend({ type: ServerFrameType.Notification, notification: makeNotification(seq) });
    await settle();

    expect(counts).toEqual([1, 0, 2, 3]);
  });

  it('ignores frames that are not JSON objects', async () => {
    const { socket, seqs, errors, sut } = await openClient();

    for (const raw of ['null', '42', 'not json', new Uint8Array([1, 2])]) socket.serverSendRaw(raw);
    socket.serverSend({ type: ServerFrameType.Notification, notification: makeNotification(6) });
    await settle();

    expect(seqs()).toEqual([6]);
    expect(errors).toEqual([]);
    expect(sut.state).toBe('open');
  });

  it('sends ping only while the socket is open', async () => {
    const { sut, socket } = await openClient();

    const sent = sut.ping();
    socket.serverClose(1006);
    const sentWhileDown = sut.ping();

    expect(sent).toBe(true);
    expect(sentWhileDown).toBe(false);
    expect(socket.sent).toEqual([{ type: ClientFrameType.Ping }]);
  });

  it('starts from the saved since option and hands recent over in welcome', async () => {
    const harness = clientHarness({ since: 41, recent: 5 });
    const welcomes: number[] = [];
    harness.sut.on('welcome', (info) => welcomes.push(info.recent.length));
    harness.sut.connect();
    await settle();

    await welcome(harness.ws.last(), { lastSeq: 42, recent: [makeNotification(42)] });

    expect(harness.ws.last().query.get('since')).toBe('41');
    expect(harness.ws.last().query.has('recent')).toBe(false);
    expect(welcomes).toEqual([1]);
  });
});
