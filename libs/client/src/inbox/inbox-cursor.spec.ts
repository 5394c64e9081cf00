import { makeNotification } from '../../testing/fake-rest.js';
import { Arrival, InboxCursor } from './inbox-cursor.js';
import { RecentIds } from './recent-ids.js';

describe('InboxCursor', () => {
  it('takes anything as next while it knows no seq', () => {
    const sut = new InboxCursor();

    expect(sut.classify(makeNotification(40))).toBe(Arrival.Next);
  });

  it('classifies next, gap and duplicate against lastSeq', () => {
    const sut = new InboxCursor(5);

    expect(sut.classify(makeNotification(6))).toBe(Arrival.Next);
    expect(sut.classify(makeNotification(8))).toBe(Arrival.Gap);
    expect(sut.classify(makeNotification(5))).toBe(Arrival.Duplicate);
    expect(sut.classify(makeNotification(2))).toBe(Arrival.Duplicate);
  });

  it('drops an id it has already accepted, whatever its seq', () => {
    const sut = new InboxCursor();
    sut.accept(makeNotification(1, { id: 'same' }));
    sut.reset(null);

    expect(sut.classify(makeNotification(2, { id: 'same' }))).toBe(Arrival.Duplicate);
  });

  it('only moves forward on advanceTo, in both directions on reset', () => {
    const sut = new InboxCursor(10);

    sut.advanceTo(7);
    const afterStaleAdvance = sut.lastSeq;
    sut.reset(3);

    expect(afterStaleAdvance).toBe(10);
    expect(sut.lastSeq).toBe(3);
  });
});

describe('RecentIds', () => {
  it('forgets the oldest id beyond its capacity', () => {
    const sut = new RecentIds(3);

    for (const id of ['a', 'b', 'c', 'd']) sut.add(id);

    expect(sut.size).toBe(3);
    expect(sut.has('a')).toBe(false);
    expect(sut.has('d')).toBe(true);
  });
});
