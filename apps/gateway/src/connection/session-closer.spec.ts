import { jest } from '@jest/globals';
import { Metrics } from '@herald/observability';
import type { ClientSession } from './client-session.js';
import { SessionCloser } from './session-closer.js';

function fakeSession() {
  const close = jest.fn();
  let closed = false;
  const session = {
    expiresAt: 0,
    ws: { close, terminate: jest.fn() },
    get isClosed() {
      return closed;
    },
    markClosed: () => (closed = true),
  };
  return { session: session as unknown as ClientSession, close };
}

describe('SessionCloser expiry buckets', () => {
  let sut: SessionCloser;
  const now = Math.floor(Date.now() / 1000);

  beforeEach(() => {
    sut = new SessionCloser(new Metrics(false));
  });
  afterEach(() => sut.onModuleDestroy());

  it('closes with 4002 once now reaches exp, not before', () => {
    const { session, close } = fakeSession();
    sut.watchExpiry(session, now + 5);

    sut.sweep(now + 4);
    expect(close).not.toHaveBeenCalled();
    sut.sweep(now + 5);

    expect(close).toHaveBeenCalledWith(4002, 'token expired');
  });

  it('moves a session to its new exp when the token is refreshed', () => {
    const { session, close } = fakeSession();
    sut.watchExpiry(session, now + 2);

    sut.watchExpiry(session, now + 100);
    sut.sweep(now + 50);

    expect(close).not.toHaveBeenCalled();
  });

  it('forgets a session that closed for another reason', () => {
    const { session, close } = fakeSession();
    sut.watchExpiry(session, now + 2);

    sut.close(session, 1000, 'bye');
    sut.sweep(now + 10);

    expect(close).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledWith(1000, 'bye');
  });
});
