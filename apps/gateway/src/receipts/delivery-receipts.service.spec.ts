import { jest } from '@jest/globals';
import { notificationFrame, ServerFrameType, type Notification } from '@herald/contracts';
import { DeliveryReceipts } from './delivery-receipts.service.js';

const frame = (id: string, deliveredAt: string | null = null) => notificationFrame({ id, seq: 1, userId: 'u', deliveredAt } as Notification);

function setup(skip: string[] = []) {
  const markDelivered = jest.fn(async (ids: string[], _at: Date) => ids.filter((id) => skip.includes(id)));
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

    expect(markDelivered.mock.calls.map(([ids]) => ids)).toEqual([['b']]);
  });

  it('tries an id the write skipped once more, then lets it go', async () => {
    const { sut, markDelivered } = setup(['locked']);
    sut.written(frame('locked'));
    await sut.flush();
    await sut.flush();
    await sut.flush();

    expect(markDelivered.mock.calls.map(([ids]) => ids)).toEqual([['locked'], ['locked']]);
  });
});
