import { jest } from '@jest/globals';
import type { TopicEvent } from '@herald/contracts';
import type { StreamState, TopicReader } from '@herald/database';
import { TopicReads } from './topic-reads.js';

const event = (topic: string, seq: number): TopicEvent => ({ topic, seq, type: 't', data: null, createdAt: '2026-01-01T00:00:00.000Z' });

function setup(states: Record<string, StreamState>, stored: TopicEvent[]) {
  const above = (topic: string, after: number) => stored.filter((e) => e.topic === topic && (e.seq ?? 0) > after);
  const reader = {
    topicStates: jest.fn(async (keys: string[]) => new Map(keys.map((k): [string, StreamState] => [k, states[k] ?? { lastSeq: 0, trimmedSeq: 0 }]))),
    namespaceStates: jest.fn(async () => new Map()),
    afterForTopics: jest.fn(async (positions: Map<string, number>) => [...positions].flatMap(([t, after]) => above(t, after))),
    afterForNamespaces: jest.fn(async () => []),
    after: jest.fn(async (topic: string, after: number) => above(topic, after)),
    afterInNamespace: jest.fn(async () => []),
  };
  const sut = new TopicReads(reader as unknown as TopicReader, () => 1001);
  return { sut, reader };
}

describe('TopicReads', () => {
  it('answers every subscribe of one turn with one state query and one row query, identical requests once', async () => {
    const { sut, reader } = setup({ jobs: { lastSeq: 3, trimmedSeq: 0 }, other: { lastSeq: 1, trimmedSeq: 0 } }, [event('jobs', 2), event('jobs', 3), event('other', 1)]);

    const reads = await Promise.all([sut.read('topic', 'jobs'), sut.read('topic', 'jobs'), sut.read('topic', 'jobs', 1), sut.read('topic', 'other', 0)]);

    expect(reader.topicStates).toHaveBeenCalledTimes(1);
    expect(reader.topicStates.mock.calls[0][0]).toEqual(['jobs', 'other']);
    expect(reader.afterForTopics).toHaveBeenCalledTimes(1);
    expect(reads.map((r) => [r.state.lastSeq, r.rows?.map((f) => f.event.seq)])).toEqual([[3, undefined], [3, undefined], [3, [2, 3]], [1, [1]]]);
  });

  it('reads a second since of a stream alone, and no rows where history no longer reaches since', async () => {
    const { sut, reader } = setup({ jobs: { lastSeq: 9, trimmedSeq: 4 } }, [5, 6, 7, 8, 9].map((s) => event('jobs', s)));

    const [a, b, trimmed, ahead] = await Promise.all([sut.read('topic', 'jobs', 5), sut.read('topic', 'jobs', 7), sut.read('topic', 'jobs', 2), sut.read('topic', 'jobs', 12)]);

    expect(reader.after).toHaveBeenCalledTimes(1);
    expect([a.rows?.length, b.rows?.map((f) => f.event.seq), trimmed.rows, ahead.rows]).toEqual([4, [8, 9], undefined, undefined]);
  });
});
