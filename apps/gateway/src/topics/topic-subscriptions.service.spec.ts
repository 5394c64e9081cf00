import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { TopicForbiddenError, type TopicAuthorizer } from '@herald/auth';
import type { Bus } from '@herald/bus';
import type { HeraldConfig } from '@herald/config';
import { grantCovers, type ServerFrame, type TopicEvent } from '@herald/contracts';
import type { StreamState, TopicReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import { ClientSession } from '../connection/client-session.js';
import { ChannelRegistry } from '../fanout/channel-registry.js';
import { ChannelSubscriptions } from '../fanout/channel-subscriptions.js';
import type { StreamKind } from '../streams/stream-kind.js';
import { TopicNamespaceStream } from '../streams/topic-namespace-stream.js';
import { TopicStream } from '../streams/topic-stream.js';
import { TopicSubscriptions } from './topic-subscriptions.service.js';

const topics = { historySize: 1000, historyTtlSeconds: 86400, namespaces: { inv: { patterns: true } }, maxPerSocket: 2, subscribesPerSecond: 10 };
const config = { redis: { prefix: 'p:' }, topics } as unknown as HeraldConfig;
const event = (topic: string, seq: number): TopicEvent => ({ topic, seq, type: 't', data: null, createdAt: '2026-01-01T00:00:00.000Z' });
const flush = () => new Promise((r) => setImmediate(r));

function setup(states: Record<string, number> = {}, rows: TopicEvent[] = []) {
  const bus = { subscribe: jest.fn(async () => undefined), unsubscribe: jest.fn(async () => undefined) };
  const reader = {
    topicStates: jest.fn(async (keys: string[]) => new Map(keys.map((k): [string, StreamState] => [k, { lastSeq: states[k] ?? 0, trimmedSeq: 0 }]))),
    namespaceStates: jest.fn(async (keys: string[]) => new Map(keys.map((k): [string, StreamState] => [k, { lastSeq: 0, trimmedSeq: 0 }]))),
    afterForTopics: jest.fn(async (positions: Map<string, number>) => rows.filter((r) => (r.seq ?? 0) > (positions.get(r.topic) ?? Infinity))),
    afterForNamespaces: jest.fn(async () => []),
    after: jest.fn(async () => []),
    afterInNamespace: jest.fn(async () => []),
  };
  const authorize = jest.fn(async (who: { topics: readonly string[] }, topic: { name: string }) => {
    if (!who.topics.some((grant) => grantCovers(grant, topic.name))) throw new TopicForbiddenError();
  });
  const metrics = new Metrics(false);
  const channels = new ChannelRegistry();
  const subscriptions = new ChannelSubscriptions(bus as unknown as Bus, channels);
  const topicStream = new TopicStream(reader as unknown as TopicReader, metrics, config);
  const namespaces = new TopicNamespaceStream(reader as unknown as TopicReader, metrics, config);
  const sut = new TopicSubscriptions(config, { authorize } as unknown as TopicAuthorizer, channels, subscriptions, topicStream, namespaces, reader as unknown as TopicReader, metrics);
  const sent: string[] = [];
  const ws = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (s: string) => sent.push(s) };
  const session = new ClientSession(ws as never, 'c1', 'ann', { ownStream: {} as StreamKind, onSent: () => undefined, close: jest.fn(), sendBufferBytes: 1 << 20 });
  sut.setGrants(session, ['jobs', 'more', 'inv:*']);
  const frames = () => sent.map((s) => JSON.parse(s) as ServerFrame & Record<string, unknown>);
  const gauge = async (ns: string) => (await metrics.topicSubscriptions.get()).values.find((v) => v.labels.namespace === ns)?.value ?? 0;
  return { sut, session, bus, reader, channels, topicStream, frames, gauge };
}

describe('TopicSubscriptions', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('subscribes a topic live from its last seq: one channel, the cursor placed, counted by namespace', async () => {
    const { sut, session, bus, channels, topicStream, frames, gauge } = setup({ jobs: 7 });

    await sut.subscribe(session, [{ name: 'jobs' }]);
    const channel = channels.get(topicStream, 'jobs');

    expect(frames()).toEqual([{ type: 'subscribed', topic: 'jobs', lastSeq: 7 }]);
    expect(bus.subscribe).toHaveBeenCalledWith(['p:t:{jobs}']);
    expect(channel && session.positionIn(channel)).toBe(7);
    expect(await gauge('jobs')).toBe(1);
  });

  it('replays from since, and keeps the cursor of a topic it already follows when asked again', async () => {
    const { sut, session, channels, topicStream, frames } = setup({ jobs: 3 }, [event('jobs', 2), event('jobs', 3)]);

    await sut.subscribe(session, [{ name: 'jobs', since: 1 }]);
    await sut.subscribe(session, [{ name: 'jobs' }]);

    expect(frames().map((f) => (f.type === 'topic.event' ? f.event.seq : f.type))).toEqual(['subscribed', 2, 3, 'subscribed']);
    expect(session.positionIn(channels.get(topicStream, 'jobs')!)).toBe(3);
    expect(session.followedCount).toBe(1);
  });

  it('refuses, each with its own frame, what is not granted or over the per-socket limit; the rest goes through', async () => {
    const { sut, session, frames } = setup();

    await sut.subscribe(session, [{ name: 'jobs' }, { name: 'secret' }, { name: 'inv:*' }, { name: 'more' }]);

    expect(frames().map((f) => [f.type, f.topic, f.code])).toEqual([
      ['subscribed', 'jobs', undefined],
      ['subscribed', 'inv:*', undefined],
      ['error', 'secret', 'topic_forbidden'],
      ['error', 'more', 'too_many_topics'],
    ]);
  });

  it('unsubscribes, releasing the channel once nobody here follows it, and releases everything on close', async () => {
    const { sut, session, bus, channels, topicStream, frames, gauge } = setup();
    await sut.subscribe(session, [{ name: 'jobs' }, { name: 'inv:*' }]);

    sut.unsubscribe(session, ['jobs']);
    await flush();
    expect(bus.unsubscribe).toHaveBeenCalledWith(['p:t:{jobs}']);
    expect(channels.get(topicStream, 'jobs')).toBeUndefined();
    expect(frames().at(-1)).toEqual({ type: 'unsubscribed', topic: 'jobs' });

    sut.releaseAll(session);
    await flush();
    expect(bus.unsubscribe).toHaveBeenCalledWith(['p:tn:{inv}']);
    expect([session.followedCount, await gauge('jobs'), await gauge('inv')]).toEqual([0, 0, 0]);
  });

  it('joins nothing for a socket that closed while its subscribe was being checked', async () => {
    const { sut, session, bus, channels, topicStream } = setup();

    const subscribing = sut.subscribe(session, [{ name: 'jobs' }]);
    session.markClosed();
    await subscribing;

    expect(channels.get(topicStream, 'jobs')).toBeUndefined();
    expect(bus.subscribe).not.toHaveBeenCalled();
  });

  it('answers unavailable and leaves the channel when the state cannot be read', async () => {
    const { sut, session, reader, channels, topicStream, frames } = setup();
    reader.topicStates.mockRejectedValueOnce(new Error('connection terminated'));

    await sut.subscribe(session, [{ name: 'jobs' }]);

    expect(frames()).toEqual([{ type: 'error', code: 'unavailable', message: 'topic unavailable, retry later', topic: 'jobs' }]);
    expect(channels.get(topicStream, 'jobs')).toBeUndefined();
    expect(session.followedCount).toBe(0);
  });
});
