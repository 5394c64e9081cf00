import { toBroadcastFrame } from './broadcast-frame.js';

describe('toBroadcastFrame', () => {
  const now = new Date('2026-11-22T10:00:00.000Z');

  it('fills absent optional fields with null and info', () => {
    const sut = toBroadcastFrame({ type: 'maintenance', title: 'Down at 10' }, 'b-1', now);

    expect(sut).toEqual({
      type: 'broadcast',
      broadcast: { id: 'b-1', type: 'maintenance', title: 'Down at 10', body: null, severity: 'info', data: null, createdAt: '2026-11-22T10:00:00.000Z' },
    });
  });

  it('keeps the given fields', () => {
    const sut = toBroadcastFrame({ type: 'x', title: 't', body: 'b', severity: 'warning', data: { k: 1 } }, 'b-2', now);

    expect(sut.broadcast).toMatchObject({ body: 'b', severity: 'warning', data: { k: 1 } });
  });
});
