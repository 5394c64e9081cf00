import { jest } from '@jest/globals';
import type { IdempotencyKeysRepository, KeyClaim, NewTopicEvent, SqlExecutor, TopicRepository } from '@herald/database';
import { TopicBatchWriter, type OutgoingTopicEvent, type TopicPublishRequest } from './topic-batch-writer.js';

const out = (topic: string, options: Partial<OutgoingTopicEvent> = {}): OutgoingTopicEvent => ({
  topic, namespace: topic.split(':')[0], type: 't', data: null, live: false, patterns: false, ...options,
});
const request = (events: OutgoingTopicEvent[], key?: string, principal = 'svc'): TopicPublishRequest => ({ principal, events, key, hash: key ? `h-${key}` : '' });

/** TopicBatchWriter over fake repositories: keys in `taken` are held elsewhere; appended events get seq 1, 2, … per topic. */
function setup(taken: string[] = []) {
  const tx: SqlExecutor = { query: async () => [] };
  const keys = {
    claim: jest.fn(async (_tx: SqlExecutor, claims: KeyClaim[]) => claims.map((c) => !taken.includes(c.key))),
    storeResponses: jest.fn(async (_tx: SqlExecutor, _answers: { principal: string; key: string; response: unknown }[]) => undefined),
  };
  const seqs = new Map<string, number>();
  const topics = {
    append: jest.fn(async (_exec: SqlExecutor, events: NewTopicEvent[]) =>
      events.map((e) => {
        seqs.set(e.topic, (seqs.get(e.topic) ?? 0) + 1);
        return { seq: seqs.get(e.topic) as number, createdAt: '2030-01-01T00:00:00.000Z', ...(e.patterns ? { nsSeq: 99 } : {}) };
      }),
    ),
  };
  const sut = new TopicBatchWriter(keys as unknown as IdempotencyKeysRepository, topics as unknown as TopicRepository);
  return { sut, tx, keys, topics };
}

describe('TopicBatchWriter', () => {
  it('appends the stored events of every request in one call and gives live-only ones no seq', async () => {
    const { sut, tx, topics } = setup();

    const outcomes = await sut.write(tx, [request([out('jobs'), out('tele:cpu', { live: true })]), request([out('jobs'), out('inv:a', { patterns: true })])], 24);

    expect(topics.append).toHaveBeenCalledTimes(1);
    expect(topics.append.mock.calls[0][1].map((e) => e.topic)).toEqual(['jobs', 'jobs', 'inv:a']);
    expect(outcomes.map((o) => (o.kind === 'created' ? o.events.map((e) => [e.topic, e.seq, e.nsSeq]) : o.kind))).toEqual([
      [['jobs', 1, undefined], ['tele:cpu', null, undefined]],
      [['jobs', 2, undefined], ['inv:a', 1, 99]],
    ]);
  });

  it('claims a key for the first request naming it and stores its answer; later ones and held keys replay', async () => {
    const { sut, tx, keys, topics } = setup(['held']);

    const outcomes = await sut.write(tx, [request([out('a')], 'k1'), request([out('b')], 'k1'), request([out('c')], 'held')], 24);

    expect(outcomes.map((o) => o.kind)).toEqual(['created', 'key_taken', 'key_taken']);
    expect(topics.append.mock.calls[0][1].map((e) => e.topic)).toEqual(['a']);
    expect(keys.storeResponses).toHaveBeenCalledWith(tx, [{ principal: 'svc', key: 'k1', response: { events: [{ topic: 'a', seq: 1 }] } }]);
  });

  it('ignores the key of a request made only of live-only events: it stores nothing to replay', async () => {
    const { sut, tx, keys } = setup();

    const outcomes = await sut.write(tx, [request([out('tele:cpu', { live: true })], 'k-live')], 24);

    expect(keys.claim).not.toHaveBeenCalled();
    expect(outcomes[0].kind).toBe('created');
  });

  it('needs a transaction for keys and for namespace seqs, and not otherwise', () => {
    const { sut } = setup();

    expect(sut.needsTransaction([request([out('jobs')])])).toBe(false);
    expect(sut.needsTransaction([request([out('jobs')], 'k')])).toBe(true);
    expect(sut.needsTransaction([request([out('inv:a', { patterns: true })])])).toBe(true);
    expect(sut.needsTransaction([request([out('tele:cpu', { live: true })], 'k')])).toBe(false);
  });
});
