import { Logger } from '@nestjs/common';
import type { HeraldConfig } from '@herald/config';
import type { NotificationReader, ReadReplica } from '@herald/database';
import { InboxReads } from './inbox-reads.js';
import { InMemoryRecentWriters } from './recent-writers.js';

const config = { replica: { url: 'postgres://replica', stickyMs: 200 } } as HeraldConfig;
const reader = (name: string) => ({ userState: async () => ({ lastSeq: 1, unreadCount: name === 'primary' ? 1 : 2 }) }) as unknown as NotificationReader;
const where = async (sut: InboxReads, user = 'ann') => ((await sut.read(user, (r) => r.userState(user))).unreadCount === 1 ? 'primary' : 'replica');

/** Where reads go; the real replica is in test/replica.e2e-spec.ts. */
describe('InboxReads', () => {
  beforeAll(() => Logger.overrideLogger(false));

  function setup(fresh: boolean, failing = false) {
    const replica = {
      reader: failing ? ({ userState: async () => Promise.reject(new Error('conflict with recovery')) } as unknown as NotificationReader) : reader('replica'),
      isFresh: () => fresh,
      markStale: () => undefined,
      start: () => undefined,
    } as unknown as ReadReplica;
    return new InboxReads(reader('primary'), replica, new InMemoryRecentWriters(), config);
  }

  it('reads a fresh replica, and the primary for a user who just wrote, until the sticky window has passed', async () => {
    const sut = setup(true);
    expect(await where(sut)).toBe('replica');

    await sut.wrote('ann');

    expect(await where(sut)).toBe('primary');
    expect(await where(sut, 'bob')).toBe('replica');
    await new Promise((r) => setTimeout(r, 250));
    expect(await where(sut)).toBe('replica');
  });

  it('reads the primary while the replica lags by more than the window, and when a replica read fails', async () => {
    expect(await where(setup(false))).toBe('primary');
    expect(await where(setup(true, true))).toBe('primary');
  });

  it('reads the primary alone without a replica', async () => {
    const sut = new InboxReads(reader('primary'), null, new InMemoryRecentWriters(), config);
    await sut.wrote('ann');
    expect(await where(sut)).toBe('primary');
  });
});
