import { jest } from '@jest/globals';
import { notificationFrame, ServerFrameType, type Notification } from '@herald/contracts';
import type { Receipt } from '@herald/database';
import { DeliveryReceipts } from './delivery-receipts.service.js';

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
