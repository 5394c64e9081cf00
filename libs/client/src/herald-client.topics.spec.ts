import { ServerFrameType, type TopicEvent } from '@herald/contracts';
import { jest } from '@jest/globals';
import { advance, clientHarness, useFakeTimers, welcome } from '../testing/client-harness.js';
import { makeTopicEvent, settle } from '../testing/fake-rest.js';

async function openClient(options: Parameters<typeof clientHarness>[0] = {}) {
  const harness = clientHarness(options);
  harness.sut.connect();
  await settle();
  await welcome(harness.ws.last());
  return { ...harness, socket: () => harness.ws.last() };
}

/** A handler that records the positions it gets, as `topic#seq`. */
function recorder() {
  const got: TopicEvent[] = [];
  const handler = (event: TopicEvent) => void got.push(event);
  return { handler, got, seqs: () => got.map((e) => `${e.topic}#${e.seq}`) };
}

const subscribes = (sent: unknown[]) => sent.filter((f) => (f as { type: string }).type === 'subscribe');
const event = (topic: string, seq: number | null, extra: Partial<TopicEvent> = {}) => ({ type: ServerFrameType.TopicEvent, event: makeTopicEvent(topic, seq, extra) });

describe('HeraldClient topics', () => {
  beforeEach(useFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('subscribes on the socket and hands each event to the handler once, in order', async () => {
    const { sut, socket } = await openClient();
    const jobs = recorder();

    sut.subscribe('jobs', jobs.handler);
    await settle();
    socket().serverSend({ type: ServerFrameType.Subscribed, topic: 'jobs', lastSeq: 4 });
    for (const seq of [4, 5, 5, 6]) socket().serverSend(event('jobs', seq));
    await settle();

    expect(subscribes(socket().sent)).toEqual([{ type: 'subscribe', topics: [{ name: 'jobs' }] }]);
    expect(jobs.seqs()).toEqual(['jobs#5', 'jobs#6']);
    expect(sut.topicPosition('jobs')).toBe(6);
  });

  it('subscribes again after every reconnect, from the last position it handed over', async () => {
    const { sut, socket, ws } = await openClient({ backoffCapMs: 1000 });
    sut.subscribe('jobs', recorder().handler, { since: 10 });
    sut.subscribe('other', recorder().handler);
    await settle();
    socket().serverSend({ type: ServerFrameType.Subscribed, topic: 'jobs', lastSeq: 12 });
    socket().serverSend({ type: ServerFrameType.Subscribed, topic: 'other', lastSeq: 3 });
    socket().serverSend(event('jobs', 11));
    await settle();

    socket().serverClose(1012, 'service restart');
    await advance(1000);
    await welcome(ws.last());

    expect(subscribes(ws.last().sent)).toEqual([{ type: 'subscribe', topics: [{ name: 'jobs', since: 11 }, { name: 'other', since: 3 }] }]);
  });

  it('fills a resync from REST, and tells the app to reload when the history has a hole', async () => {
    const { sut, socket, rest } = await openClient();
    const whole = recorder();
    const holed = recorder();
    const onResync = jest.fn();
    sut.subscribe('a', whole.handler, { since: 2 });
    sut.subscribe('b', holed.handler, { since: 2, onResync });
    rest.topicEvents = [3, 4, 5].map((s) => makeTopicEvent('a', s)).concat([5, 6].map((s) => makeTopicEvent('b', s)));
    rest.topicLastSeq = new Map([['a', 5], ['b', 6]]);
    await settle();

    socket().serverSend({ type: ServerFrameType.TopicResyncRequired, topic: 'a', lastSeq: 5 });
    socket().serverSend({ type: ServerFrameType.TopicResyncRequired, topic: 'b', lastSeq: 6 });
    socket().serverSend(event('b', 7));
    await settle();

    expect(whole.seqs()).toEqual(['a#3', 'a#4', 'a#5']);
    expect(onResync).toHaveBeenCalledWith(6);
    expect(holed.seqs()).toEqual(['b#7']);
  });

  it('follows a pattern by nsSeq; an event of a topic also followed by name reaches each subscription once', async () => {
    const { sut, socket } = await openClient();
    const all = recorder();
    const one = recorder();
    sut.subscribe('inv:*', all.handler);
    sut.subscribe('inv:a', one.handler);
    await settle();
    socket().serverSend({ type: ServerFrameType.Subscribed, topic: 'inv:*', lastSeq: 0 });
    socket().serverSend({ type: ServerFrameType.Subscribed, topic: 'inv:a', lastSeq: 0 });
    const frames = [event('inv:a', 1, { nsSeq: 1 }), event('inv:b', 1, { nsSeq: 2 }), event('inv:a', 2, { nsSeq: 3 })];
    for (const frame of [frames[0], frames[0], frames[1], frames[2], frames[2]]) socket().serverSend(frame);
    await settle();

    expect(all.got.map((e) => e.nsSeq)).toEqual([1, 2, 3]);
    expect(one.seqs()).toEqual(['inv:a#1', 'inv:a#2']);
  });

  it('hands live-only events over as they come and resubscribes them without a position', async () => {
    const { sut, socket } = await openClient();
    const tele = recorder();
    sut.subscribe('tele:cpu', tele.handler);
    await settle();
    socket().serverSend({ type: ServerFrameType.Subscribed, topic: 'tele:cpu', lastSeq: null });
    socket().serverSend(event('tele:cpu', null));
    socket().serverSend(event('tele:cpu', null));
    await settle();

    expect(tele.got).toHaveLength(2);
    expect(sut.topicPosition('tele:cpu')).toBeNull();
  });

  it('sends a fresh subscription token each time, and retries an invalid one once', async () => {
    let n = 0;
    const { sut, socket, errors } = await openClient();
    sut.subscribe('vip', recorder().handler, { token: () => `sub-token-${++n}` });
    await settle();

    socket().serverSend({ type: ServerFrameType.Error, code: 'invalid_token', message: 'expired', topic: 'vip' });
    await settle();
    socket().serverSend({ type: ServerFrameType.Error, code: 'invalid_token', message: 'expired', topic: 'vip' });
    await settle();

    expect(subscribes(socket().sent)).toEqual([
      { type: 'subscribe', topics: [{ name: 'vip', token: 'sub-token-1' }] },
      { type: 'subscribe', topics: [{ name: 'vip', token: 'sub-token-2' }] },
    ]);
    expect(errors.map((e) => [e.name, (e as { topic?: string }).topic])).toEqual([['HeraldFrameError', 'vip'], ['HeraldFrameError', 'vip']]);
    expect(sut.topicPosition('vip')).toBeNull();
  });

  it('drops a forbidden subscription, retries a rate-limited one a second later', async () => {
    const { sut, socket } = await openClient();
    sut.subscribe('secret', recorder().handler);
    sut.subscribe('busy', recorder().handler);
    await settle();

    socket().serverSend({ type: ServerFrameType.Error, code: 'topic_forbidden', message: 'no', topic: 'secret' });
    socket().serverSend({ type: ServerFrameType.Error, code: 'rate_limited', message: 'slow down', topic: 'busy' });
    await advance(1000);

    expect(subscribes(socket().sent).slice(-1)).toEqual([{ type: 'subscribe', topics: [{ name: 'busy' }] }]);
    socket().serverClose(1012);
    await advance(2000);
    await welcome(socket());
    expect(subscribes(socket().sent)).toEqual([{ type: 'subscribe', topics: [{ name: 'busy' }] }]);
  });

  it('unsubscribes on the socket once the last handler of a topic stops', async () => {
    const { sut, socket } = await openClient();
    const stopFirst = sut.subscribe('jobs', recorder().handler);
    const stopSecond = sut.subscribe('jobs', recorder().handler);
    await settle();

    stopFirst();
    const afterFirst = socket().sent.filter((f) => (f as { type: string }).type === 'unsubscribe').length;
    stopSecond();

    expect(afterFirst).toBe(0);
    expect(socket().sent.at(-1)).toEqual({ type: 'unsubscribe', topics: ['jobs'] });
    expect(sut.topicPosition('jobs')).toBeNull();
  });

  it('pages its topics over REST while polling', async () => {
    const { sut, ws, rest } = await openClient({ failuresBeforePolling: 1, pollIntervalMs: 1000, backoffCapMs: 60_000 });
    const jobs = recorder();
    sut.subscribe('jobs', jobs.handler, { since: 1 });
    rest.topicEvents = [2, 3].map((s) => makeTopicEvent('jobs', s));
    rest.topicLastSeq = new Map([['jobs', 3]]);
    await settle();

    ws.last().serverClose(1006);
    await advance(500);
    ws.last().serverClose(1006);
    await advance(1500);

    expect(sut.state).toBe('polling');
    expect(jobs.seqs()).toEqual(['jobs#2', 'jobs#3']);
    expect(rest.calls('/v1/topics/jobs/events')[0]?.query.get('after')).toBe('1');
  });
});
