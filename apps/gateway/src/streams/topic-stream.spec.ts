import { jest } from '@jest/globals';
import type { HeraldConfig } from '@herald/config';
import { ServerFrameType, topicEventFrame, type TopicEvent } from '@herald/contracts';
import type { TopicReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import { TopicNamespaceStream } from './topic-namespace-stream.js';
import { TopicStream } from './topic-stream.js';

const NAMESPACES = { inv: { historySize: 5, patterns: true }, tele: { live: true } };
const config = { redis: { prefix: 'p:' }, topics: { historySize: 1000, historyTtlSeconds: 60, namespaces: NAMESPACES } } as unknown as HeraldConfig;
const event = (topic: string, seq: number | null, nsSeq?: number): TopicEvent => ({ topic, seq, nsSeq, type: 't', data: null, createdAt: '2026-01-01T00:00:00.000Z' });

function setup(rows: TopicEvent[] = []) {
  const reader = { after: jest.fn(async () => rows), afterForTopics: jest.fn(async () => rows), afterInNamespace: jest.fn(async () => rows), afterForNamespaces: jest.fn(async () => rows) };
  const metrics = new Metrics(false);
  return { topics: new TopicStream(reader as unknown as TopicReader, metrics, config), namespaces: new TopicNamespaceStream(reader as unknown as TopicReader, metrics, config), reader };
}

describe('topic stream kinds', () => {
  it('name their channels both ways, with the topic or the namespace as hash tag', () => {
    const { topics, namespaces } = setup();

    expect([topics.channel('inv:a'), topics.keyOf('p:t:{inv:a}'), topics.keyOf('p:tn:{inv}'), topics.keyOf('p:u:{inv}')]).toEqual(['p:t:{inv:a}', 'inv:a', null, null]);
    expect([namespaces.channel('inv'), namespaces.keyOf('p:tn:{inv}'), namespaces.keyOf('p:t:{inv}')]).toEqual(['p:tn:{inv}', 'inv', null]);
  });

  it("take an event's seq, or its nsSeq, as its position; a live-only event has none; holes are losses", () => {
    const { topics, namespaces } = setup();
    const stored = topicEventFrame(event('inv:a', 4, 9));
    const live = topicEventFrame(event('tele:cpu', null));

    expect([topics.positionOf(stored), namespaces.positionOf(stored), topics.positionOf(live), namespaces.positionOf(live)]).toEqual([4, 9, undefined, undefined]);
    expect(topics.positionOf({ type: ServerFrameType.Pong, ts: 1 })).toBeUndefined();
    expect([topics.holesMeanLoss, namespaces.holesMeanLoss]).toEqual([true, true]);
  });

  it("bound a gap by the namespace's history size and name the resync by what was subscribed", () => {
    const { topics, namespaces } = setup();

    expect([topics.maxGap('inv:a'), topics.maxGap('jobs'), namespaces.maxGap('inv')]).toEqual([5, 1000, 5]);
    expect(topics.resyncFrame('inv:a', 7)).toEqual({ type: 'topic.resync_required', topic: 'inv:a', lastSeq: 7 });
    expect(namespaces.resyncFrame('inv', 7)).toEqual({ type: 'topic.resync_required', topic: 'inv:*', lastSeq: 7 });
  });

  it('read many streams in one query, one more than the largest bound, grouped by stream; live-only ones not at all', async () => {
    const { namespaces, reader } = setup([event('inv:a', 1, 1), event('inv:b', 1, 2), event('ops:x', 1, 1)]);

    const entries = await namespaces.readAfter(new Map([['inv', 0], ['ops', 0], ['tele', 0]]));

    expect(reader.afterForNamespaces).toHaveBeenCalledWith(new Map([['inv', 0], ['ops', 0]]), 1001);
    expect([...entries].map(([ns, frames]) => [ns, frames.map((f) => namespaces.positionOf(f))])).toEqual([['inv', [1, 2]], ['ops', [1]]]);
  });

  it('shares one gap fill among the followers that see the same jump at once', async () => {
    const { topics, reader } = setup([event('jobs', 5)]);

    const fills = await Promise.all([topics.readGap('jobs', 4, 6), topics.readGap('jobs', 4, 6), topics.readGap('jobs', 3, 6)]);

    expect(reader.after).toHaveBeenCalledTimes(2);
    expect(fills[0]).toBe(fills[1]);
    await topics.readGap('jobs', 4, 6);
    expect(reader.after).toHaveBeenCalledTimes(3); // settled reads are not kept
  });

  it('read nothing for live-only streams alone', async () => {
    const { topics, reader } = setup();

    expect(await topics.readAfter(new Map([['tele:cpu', 0]]))).toEqual(new Map());
    expect(reader.afterForTopics).not.toHaveBeenCalled();
  });
});
