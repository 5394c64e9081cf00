import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { HeraldConfig } from '@herald/config';
import {
  RETENTION_LOCK_KEY, type AdvisoryLocks, type Database, type IdempotencyKeysRepository, type InboxRepository, type PurgeOutcome,
  type SqlExecutor, type TopicRepository,
} from '@herald/database';
import { RetentionService } from './retention.service.js';

const config = {
  retentionDays: 30, idempotencyTtlHours: 24, retentionIntervalMs: 0,
  topics: { historySize: 1000, historyTtlSeconds: 86400, namespaces: { jobs: { historySize: 10 } } },
} as unknown as HeraldConfig;
const batch = (scanned: number, deleted = scanned): PurgeOutcome => ({ scanned, deleted });

/** A batch that finishes when the test says so. */
function deferred() {
  let resolve!: (outcome: PurgeOutcome) => void;
  const promise = new Promise<PurgeOutcome>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * RetentionService over fake repositories. Each purge answers the next
 * outcome of its script (then empty batches); `lockFree` answers whether each
 * transaction gets the cleanup lock (then always yes).
 */
function setup(script: { notifications?: PurgeOutcome[]; keys?: PurgeOutcome[]; topics?: PurgeOutcome[]; lockFree?: boolean[] }) {
  const tx: SqlExecutor = { query: async () => [] };
  const db = { transaction: <T>(work: (t: SqlExecutor) => Promise<T>) => work(tx) };
  const next = (queue: PurgeOutcome[] = []) => async () => queue.shift() ?? batch(0);
  const inbox = { purgeOutOfRetention: jest.fn(next(script.notifications)) };
  const keys = { purgeStale: jest.fn(next(script.keys)) };
  const topics = { trimHistory: jest.fn(next(script.topics)) };
  const locks = { tryForTransaction: jest.fn(async () => script.lockFree?.shift() ?? true) };
  const sut = new RetentionService(
    db as unknown as Database,
    inbox as unknown as InboxRepository,
    keys as unknown as IdempotencyKeysRepository,
    topics as unknown as TopicRepository,
    locks as unknown as AdvisoryLocks,
    config,
  );
  return { sut, tx, inbox, keys, topics, locks };
}

describe('RetentionService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('purges in batches until one comes back short, notifications first, each batch under the cleanup lock', async () => {
    const { sut, tx, inbox, keys, topics, locks } = setup({
      notifications: [batch(2), batch(2, 1), batch(1)], keys: [batch(2), batch(0)], topics: [batch(2, 7), batch(1, 1)],
    });

    const run = await sut.runOnce(2);

    expect(run).toEqual({ skipped: false, notifications: 4, idempotencyKeys: 2, topicEvents: 8, batches: 6 });
    expect(inbox.purgeOutOfRetention.mock.calls).toEqual([[tx, 30, 2], [tx, 30, 2], [tx, 30, 2]]);
    expect(keys.purgeStale.mock.calls).toEqual([[tx, 24, 2], [tx, 24, 2]]);
    const policy = { size: 1000, ttlSeconds: 86400, namespaces: [{ namespace: 'jobs', size: 10, ttlSeconds: 86400 }] };
    expect(topics.trimHistory.mock.calls).toEqual([[tx, policy, 2], [tx, policy, 2]]);
    expect(locks.tryForTransaction.mock.calls).toEqual(Array.from({ length: 7 }, () => [tx, RETENTION_LOCK_KEY]));
  });

  it('does nothing and says so when another replica holds the lock', async () => {
    const { sut, inbox, keys } = setup({ notifications: [batch(1)], lockFree: [false] });

    await expect(sut.runOnce()).resolves.toEqual({ skipped: true, notifications: 0, idempotencyKeys: 0, topicEvents: 0, batches: 0 });
    expect(inbox.purgeOutOfRetention).not.toHaveBeenCalled();
    expect(keys.purgeStale).not.toHaveBeenCalled();
  });

  it('stops where it is when another replica takes the lock between batches, reporting what it did', async () => {
    const { sut, keys } = setup({ notifications: [batch(2), batch(2)], lockFree: [true, false] });

    await expect(sut.runOnce(2)).resolves.toEqual({ skipped: false, notifications: 2, idempotencyKeys: 0, topicEvents: 0, batches: 1 });
    expect(keys.purgeStale).not.toHaveBeenCalled();
  });

  it('skips a run asked for while one is in progress', async () => {
    const { sut, inbox } = setup({});
    const held = deferred();
    inbox.purgeOutOfRetention.mockImplementationOnce(() => held.promise);

    const first = sut.runOnce();
    const second = await sut.runOnce();
    held.resolve(batch(1));

    expect(second).toEqual({ skipped: true, notifications: 0, idempotencyKeys: 0, topicEvents: 0, batches: 0 });
    await expect(first).resolves.toEqual({ skipped: false, notifications: 1, idempotencyKeys: 0, topicEvents: 0, batches: 1 });
  });

  it('on shutdown lets the batch in progress finish, starts no other, and waits for it', async () => {
    const { sut, inbox, keys } = setup({});
    const held = deferred();
    inbox.purgeOutOfRetention.mockImplementationOnce(() => held.promise);
    const run = sut.runOnce(2);

    const shutdown = sut.onApplicationShutdown();
    held.resolve(batch(2));
    await shutdown;

    await expect(run).resolves.toEqual({ skipped: false, notifications: 2, idempotencyKeys: 0, topicEvents: 0, batches: 1 });
    expect(inbox.purgeOutOfRetention).toHaveBeenCalledTimes(1);
    expect(keys.purgeStale).not.toHaveBeenCalled();
  });
});
