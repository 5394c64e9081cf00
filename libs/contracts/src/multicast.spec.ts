import type { Notification } from './notification.js';
import { MulticastFrames, toMulticast, type MulticastTarget } from './multicast.js';

const copy = (userId: string, seq: number): Notification => ({
  id: `0190-${userId}-${seq}`, seq, activitySeq: seq, stateSeq: seq, userId, type: 'order.shipped', title: 'Shipped "fast" – ✓', body: 'line\nbreak \u2028 \\ done',
  severity: 'success', data: { order: 42, tags: ['a', 'b'], nested: { ok: true, none: null } }, link: null,
  createdAt: '2026-01-02T03:04:05.678Z', readAt: null, expiresAt: '2026-02-02T00:00:00.000Z',
});

describe('MulticastFrames', () => {
  it('gives each copy the JSON that JSON.stringify of its frame gives, byte for byte', () => {
    const copies = [copy('ann', 7), copy('bob "b" \\ ü', 1), copy('cy', 123456789)];
    const sut = new MulticastFrames(toMulticast(copies).shared);

    for (const target of toMulticast(copies).targets) {
      expect(sut.json(target)).toBe(JSON.stringify(sut.frame(target)));
    }
  });

  it('rebuilds the notifications toMulticast took apart, fields in their usual order, each with its own activitySeq and stateSeq', () => {
    const copies = [copy('ann', 7), copy('bob', 1)];
    const { shared, targets } = toMulticast(copies);
    const sut = new MulticastFrames(shared);

    const frames = targets.map((t) => sut.frame(t));

    expect(frames.map((f) => f.notification)).toEqual(copies);
    expect(frames.map((f) => JSON.stringify(f.notification))).toEqual(copies.map((n) => JSON.stringify(n)));
  });

  it('stays valid JSON when there are no shared fields', () => {
    const target: MulticastTarget = ['ann', 'id-1', 3];
    const sut = new MulticastFrames({} as never);

    expect(JSON.parse(sut.json(target))).toEqual(sut.frame(target));
    expect(sut.json(target)).toBe(JSON.stringify(sut.frame(target)));
  });
});
