import { jest } from '@jest/globals';
import type { InboxFilter, Notification } from '@herald/contracts';
import type { NotificationReader } from '@herald/database';
import { ValidationError } from '@herald/errors';
import { InboxService } from './inbox.service.js';

const note = (seq: number, activitySeq = seq) => ({ id: `n${seq}`, seq, activitySeq, userId: 'ann' }) as Notification;
const counts = { inbox: 7, unread: 4, unseen: 5, archived: 2, snoozed: 1 };

function setup() {
  const reader = {
    after: jest.fn(async (_u: string, after: number, limit: number) => Array.from({ length: limit }, (_, i) => note(after + 1 + i))),
    list: jest.fn(async () => [note(9, 12), note(8)]),
    count: jest.fn(async (_u: string, _f: InboxFilter) => 3),
    userState: jest.fn(async () => ({ lastSeq: 12, unreadCount: 4, counts })),
  };
  return { sut: new InboxService(reader as unknown as NotificationReader), reader };
}

describe('InboxService', () => {
  it('catches up oldest first with after= and gives the last seq as the cursor of a full page', async () => {
    const { sut, reader } = setup();
    const page = await sut.list('ann', { after: 3, limit: 2 });
    expect(reader.after).toHaveBeenCalledWith('ann', 3, 2);
    expect(page).toEqual({ items: [note(4), note(5)], nextCursor: '5' });
  });

  it('lists newest activity first with the filters (unread=true is state=unread), no cursor once a page comes back short', async () => {
    const { sut, reader } = setup();
    const page = await sut.list('ann', { before: 10, unread: true, type: 'quiz', tags: 'a,b', tagsMatch: 'all' });
    expect(reader.list).toHaveBeenCalledWith('ann', { limit: 20, before: 10, filter: { state: 'unread', type: 'quiz', tags: ['a', 'b'], tagsMatch: 'all' } });
    expect(page.nextCursor).toBeNull();
  });

  it('gives the last activitySeq as the cursor of a full page', async () => {
    const { sut } = setup();
    await expect(sut.list('ann', { limit: 2 })).resolves.toMatchObject({ nextCursor: '8' });
  });

  it('answers the default tabs from the counters and any other filter from the rows, in one call', async () => {
    const { sut, reader } = setup();
    const answer = await sut.counts('ann', { all: {}, unread: { state: 'unread' }, archived: { state: 'archived' }, social: { category: 'social' } });
    expect(answer).toEqual({ counts: { all: 7, unread: 4, archived: 2, social: 3 }, seq: 12 });
    expect(reader.count).toHaveBeenCalledTimes(1);
    expect(reader.count).toHaveBeenCalledWith('ann', { category: 'social' });
  });

  it('refuses a bad filter naming the field, and too many filters', async () => {
    const { sut } = setup();
    await expect(sut.counts('ann', { x: { state: 'gone' } })).rejects.toMatchObject({ details: [{ field: 'filters.x.state' }] });
    await expect(sut.counts('ann', { x: { colour: 'red' } })).rejects.toBeInstanceOf(ValidationError);
    await expect(sut.counts('ann', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, {}])))).rejects.toBeInstanceOf(ValidationError);
    await expect(sut.counts('ann', { t: { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) } })).rejects.toBeInstanceOf(ValidationError);
  });
});
