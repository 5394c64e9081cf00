import { jest } from '@jest/globals';
import type { HeraldConfig } from '@herald/config';
import type { Database, IdempotencyKeysRepository, SqlExecutor } from '@herald/database';
import { UnavailableError } from '@herald/errors';
import { Metrics } from '@herald/observability';
import type { TopicBatchWriter, TopicPublishRequest } from './topic-batch-writer.js';
import type { EventToPush, TopicEventPublisher } from './topic-event.publisher.js';
import { TopicPublishService } from './topic-publish.service.js';

const config = {
  idempotencyTtlHours: 24,
  topics: { historySize: 1000, historyTtlSeconds: 60, namespaces: { tele: { live: true } }, maxPerSocket: 100, subscribesPerSecond: 10 },
} as unknown as HeraldConfig;

/** `publish`: what the bus answers to each batch's publish (by default, the broker took it all). */
function setup(published: boolean, publish: (events: EventToPush[]) => Promise<boolean> = async () => published) {
  const db = { transaction: async <T>(work: (tx: SqlExecutor) => Promise<T>) => work(db as unknown as SqlExecutor), query: async () => [], publishing: undefined as unknown };
  db.publishing = db; // batches run on Database.publishing (its own pool on Postgres)
  const writer = {
    needsTransaction: () => false,
    write: jest.fn(async (_tx: SqlExecutor, batch: TopicPublishRequest[]) =>
      batch.map((r) => ({ kind: 'created' as const, events: r.events.map((e, i) => ({ topic: e.topic, seq: e.live ? null : i + 1, type: e.type, data: null, createdAt: 'now' })) })),
    ),
  };
  const publisher = { publish: jest.fn(publish) };
  const metrics = new Metrics(false);
  const sut = new TopicPublishService(db as unknown as Database, writer as unknown as TopicBatchWriter, {} as IdempotencyKeysRepository, publisher as unknown as TopicEventPublisher, config, metrics);
  const counted = async () => Object.fromEntries((await metrics.topicEventsPublished.get()).values.map((v) => [v.labels.namespace, v.value]));
  return { sut, writer, publisher, counted };
}

describe('TopicPublishService', () => {
  it('answers a stored event once its row committed, and counts it by namespace', async () => {
    const { sut, publisher, counted } = setup(true);

    const result = await sut.publish('svc', [{ topic: 'jobs:1', type: 'done' }]);

    expect(result).toEqual({ body: { events: [{ topic: 'jobs:1', seq: 1 }] }, replayed: false });
    expect(publisher.publish).toHaveBeenCalledWith([{ event: expect.objectContaining({ topic: 'jobs:1', seq: 1 }), patterns: false }]);
    expect(await counted()).toEqual({ jobs: 1 });
  });

  it('answers 503 for live-only events it could not publish (nothing stored), and never fails a request that stored something', async () => {
    const { sut, counted } = setup(false);

    await expect(sut.publish('svc', [{ topic: 'tele:cpu', type: 'sample' }])).rejects.toBeInstanceOf(UnavailableError);
    await expect(sut.publish('svc', [{ topic: 'jobs', type: 'done' }, { topic: 'tele:cpu', type: 'sample' }])).resolves.toMatchObject({
      body: { events: [{ topic: 'jobs', seq: 1 }, { topic: 'tele:cpu', seq: null }] },
    });
    expect(await counted()).toEqual({ jobs: 1 });
  });

  it('lets the next batch commit while one publishes, and answers a request only once its own publish is done', async () => {
    let release!: (ok: boolean) => void;
    const held = new Promise<boolean>((r) => (release = r));
    const { sut, writer } = setup(true, async (events) => (events.some((e) => e.event.topic === 'jobs:slow') ? held : true));
    let slowAnswered = false;

    const slow = sut.publish('svc', [{ topic: 'jobs:slow', type: 't' }]).then((r) => ((slowAnswered = true), r));
    await new Promise((r) => setImmediate(r)); // its batch committed and waits on the bus
    const next = await sut.publish('svc', [{ topic: 'jobs:next', type: 't' }]);

    expect(writer.write).toHaveBeenCalledTimes(2); // the second batch did not wait for the first one's publish
    expect(next.body).toEqual({ events: [{ topic: 'jobs:next', seq: 1 }] });
    expect(slowAnswered).toBe(false);
    release(true);
    await expect(slow).resolves.toMatchObject({ body: { events: [{ topic: 'jobs:slow', seq: 1 }] } });
  });

  it('refuses a pattern or a malformed name before anything is written', async () => {
    const { sut, writer } = setup(true);

    await expect(sut.publish('svc', [{ topic: 'jobs:*', type: 't' }])).rejects.toMatchObject({ code: 'validation_failed' });
    expect(writer.write).not.toHaveBeenCalled();
  });
});
