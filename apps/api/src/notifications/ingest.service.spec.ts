import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { HeraldConfig } from '@herald/config';
import type { Notification } from '@herald/contracts';
import type { Database, IdempotencyKeysRepository, SqlExecutor } from '@herald/database';
import { Metrics } from '@herald/observability';
import type { UserFramePublisher } from '../publishing/user-frame.publisher.js';
import type { BatchWriter, IngestOutcome, IngestRequest } from './batch-writer.js';
import { IngestService } from './ingest.service.js';
import type { PublishNotificationDto } from './publish-notification.dto.js';

const config = { idempotencyTtlHours: 24 } as unknown as HeraldConfig;
const input = { recipients: ['u1'], type: 't', title: 'hello' } as PublishNotificationDto;

/** An IngestService whose publisher answers only when the test lets Redis reply. */
function setup() {
  const db = { transaction: async <T>(work: (tx: SqlExecutor) => Promise<T>) => work(db as unknown as SqlExecutor), query: async () => [], publishing: undefined as unknown };
  db.publishing = db;
  const created = { id: 'n1', seq: 1, userId: 'u1', createdAt: 'now' } as Notification;
  const writer = {
    needsTransaction: () => false,
    write: async (_tx: SqlExecutor, batch: IngestRequest[]): Promise<IngestOutcome[]> =>
      batch.map(() => ({ kind: 'created', notifications: [created], grouped: [], grouping: false, answer: [{ id: 'n1', userId: 'u1', seq: 1, createdAt: 'now' }] })),
  };
  let redisReplies!: () => void;
  const reply = new Promise<void>((resolve) => (redisReplies = resolve));
  const publisher = { publishNotifications: jest.fn(() => reply), publish: jest.fn(async () => undefined) };
  const sut = new IngestService(db as unknown as Database, writer as unknown as BatchWriter, {} as IdempotencyKeysRepository, publisher as unknown as UserFramePublisher, config, new Metrics(false));
  return { sut, publisher, redisReplies };
}

describe('IngestService', () => {
  it('answers once the frames are handed to the publisher, without waiting for Redis to reply', async () => {
    const { sut, publisher } = setup();
    const answer = await sut.ingest('svc', input);
    expect(answer.body.notifications).toEqual([{ id: 'n1', userId: 'u1', seq: 1, createdAt: 'now' }]);
    expect(publisher.publishNotifications).toHaveBeenCalledWith([[expect.objectContaining({ id: 'n1', seq: 1 })]]);
  });

  it('lets shutdown wait for publishes Redis has not answered yet', async () => {
    const { sut, redisReplies } = setup();
    await sut.ingest('svc', input);
    let drained = false;
    const shutdown = sut.beforeApplicationShutdown().then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    redisReplies();
    await shutdown;
    expect(drained).toBe(true);
  });

  it('waits at shutdown for every publish still out, even when another one rejects meanwhile', async () => {
    const { sut, publisher, redisReplies } = setup();
    let failFirst!: (err: Error) => void;
    publisher.publishNotifications.mockImplementationOnce(() => new Promise<void>((_resolve, reject) => (failFirst = reject)));
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await sut.ingest('svc', input); // its publish hangs until failFirst
      await sut.ingest('svc', input); // its publish hangs until Redis replies
      let outcome = 'pending';
      const shutdown = sut.beforeApplicationShutdown().then(() => (outcome = 'drained'), () => (outcome = 'rejected'));
      failFirst(new Error('frame build failed'));
      await new Promise((r) => setTimeout(r, 20));
      expect(outcome).toBe('pending'); // Promise.all would have given up on the first rejection
      redisReplies();
      await shutdown;
      expect(outcome).toBe('drained');
    } finally {
      logged.mockRestore();
    }
  });

  it('logs a publish that rejects (it is built not to) and does not hold shutdown on it', async () => {
    const { sut, publisher } = setup();
    publisher.publishNotifications.mockImplementationOnce(() => Promise.reject(new Error('frame build failed')));
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await sut.ingest('svc', input);
      await sut.beforeApplicationShutdown();
      await new Promise((r) => setImmediate(r));
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('frame build failed'));
    } finally {
      logged.mockRestore();
    }
  });
});
