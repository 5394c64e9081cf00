import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { notificationFrame, ServerFrameType, type Notification } from '@herald/contracts';
import type { Receipt } from '@herald/database';
import { DeliveryReceipts, MAX_PENDING_RECEIPTS } from './delivery-receipts.service.js';

const CREATED = '2026-11-30T08:00:00.123Z';
const frame = (id: string, deliveredAt: string | null = null) => notificationFrame({ id, seq: 1, userId: 'u', createdAt: CREATED, deliveredAt } as Notification);

function setup(fail = false) {
  const markDelivered = jest.fn(async (_receipts: Receipt[], _at: Date): Promise<string[]> => {
    if (fail) throw new Error('database gone');
    return [];
  });
  return { sut: new DeliveryReceipts({ markDelivered }), markDelivered };
}

describe('DeliveryReceipts', () => {
  it('writes receipts in batches of at most 500 ids, never one statement per frame', async () => {
    const { sut, markDelivered } = setup();
    for (let i = 0; i < 600; i++) sut.written(frame(`n${i}`));
    await sut.flush();

    expect(markDelivered.mock.calls.map(([ids]) => ids.length)).toEqual([500, 100]);
  });

  it('adds nothing for a copy already delivered, a frame that is not a notification, or an id already waiting', async () => {
    const { sut, markDelivered } = setup();
    sut.written(frame('a', '2030-01-01T00:00:00.000Z'));
    sut.written({ type: ServerFrameType.Unread, count: 1 });
    sut.written(frame('b'));
    sut.written(frame('b'));
    await sut.flush();

    expect(markDelivered.mock.calls.map(([receipts]) => receipts)).toEqual([[{ id: 'b', createdAt: CREATED }]]);
  });

  it('keeps one write out at a time and at most MAX_PENDING_RECEIPTS waiting while it hangs, dropping the rest', async () => {
    let release!: () => void;
    const hung = new Promise<void>((r) => (release = r));
    const markDelivered = jest.fn(async (_receipts: Receipt[], _at: Date): Promise<string[]> => {
      if (markDelivered.mock.calls.length === 1) await hung;
      return [];
    });
    const sut = new DeliveryReceipts({ markDelivered });
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const written = (from: number, n: number) => {
      for (let i = from; i < from + n; i++) sut.written(frame(`n${i}`));
    };
    written(0, 500); // a full batch: its write starts, and hangs
    written(500, MAX_PENDING_RECEIPTS + 1000); // the database is not keeping up
    expect(markDelivered).toHaveBeenCalledTimes(1);

    release();
    await sut.flush();
    written(20_000, 1); // the next write says how many were dropped
    await sut.flush();
    const warnings = warned.mock.calls.map(([message]) => message);
    warned.mockRestore();

    expect(MAX_PENDING_RECEIPTS).toBe(10_000); // the limit docs/protocol.md states
    const ids = markDelivered.mock.calls.flatMap(([receipts]) => receipts.map((r) => r.id));
    expect(ids).toHaveLength(500 + MAX_PENDING_RECEIPTS + 1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.at(-2)).toBe(`n${500 + MAX_PENDING_RECEIPTS - 1}`); // the first ones kept, the newest dropped
    expect(warnings).toEqual([
      `1000 delivery receipt(s) dropped: more than ${MAX_PENDING_RECEIPTS} were waiting for the database`,
    ]);
  });

  it('drops a batch whose write failed, and still tries the next one', async () => {
    const failing = setup(true);
    failing.sut.written(frame('lost'));
    await failing.sut.flush();
    await failing.sut.flush();
    expect(failing.markDelivered).toHaveBeenCalledTimes(1);

    failing.sut.written(frame('next'));
    await failing.sut.flush();
    expect(failing.markDelivered.mock.calls.map(([receipts]) => receipts.map((r) => r.id))).toEqual([['lost'], ['next']]);
  });
});
