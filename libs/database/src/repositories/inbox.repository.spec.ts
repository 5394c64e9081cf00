import { unreadByUser } from './inbox.repository.js';

describe('unreadByUser', () => {
  it('counts the unread rows each user lost, ignoring read ones', () => {
    const sut = unreadByUser([
      { user_id: 'ann', unread: true },
      { user_id: 'bob', unread: false },
      { user_id: 'ann', unread: true },
      { user_id: 'cy', unread: true },
    ]);

    expect(Object.fromEntries(sut)).toEqual({ ann: 2, cy: 1 });
  });

  it('is empty when nothing unread was deleted', () => {
    expect(unreadByUser([{ user_id: 'bob', unread: false }]).size).toBe(0);
  });
});
