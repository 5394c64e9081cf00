import { ClientFrameType } from '@herald/contracts';
import { jest } from '@jest/globals';
import { advance, clientHarness, useFakeTimers, welcome } from '../testing/client-harness.js';
import { fakeJwt, settle } from '../testing/fake-rest.js';

/** A token issued now that lives `lifetimeS` seconds. */
function freshToken(lifetimeS: number): string {
  const now = Math.floor(Date.now() / 1000);
  return fakeJwt({ iat: now, exp: now + lifetimeS });
}

describe('HeraldClient token refresh', () => {
  beforeEach(() => {
    useFakeTimers();
    jest.setSystemTime(new Date('2026-11-22T10:00:00Z'));
  });
  afterEach(() => jest.useRealTimers());

  it('sends an auth frame with a fresh token 30 s before exp', async () => {
    const { sut, ws, getToken } = clientHarness();
    getToken.mockImplementation(() => freshToken(3600));
    sut.connect();
    await settle();
    await welcome(ws.last());
    const first = ws.last().query.get('token');

    await advance(3569_000);
    const sentEarly = [...ws.last().sent];
    await advance(1000);

    expect(sentEarly).toEqual([]);
    expect(ws.last().sent).toHaveLength(1);
    expect(ws.last().sent[0]).toMatchObject({ type: ClientFrameType.Auth });
    expect((ws.last().sent[0] as { token: string }).token).not.toBe(first);
  });

  it('keeps refreshing each new token before it expires', async () => {
    const { sut, ws, getToken } = clientHarness();
    getToken.mockImplementation(() => freshToken(60));
    sut.connect();
    await settle();
    await welcome(ws.last());

    await advance(54_000 * 3);

    expect(ws.last().sent.map((f) => (f as { type: string }).type)).toEqual(['auth', 'auth', 'auth']);
  });

  it('waits for a fresher token rather than re-sending the same one', async () => {
    const { sut, ws, getToken } = clientHarness();
    const token = freshToken(600);
    getToken.mockImplementation(() => token);
    sut.connect();
    await settle();
    await welcome(ws.last());

    await advance(570_000);
    const sentWithStaleToken = ws.last().sent.length;
    getToken.mockImplementation(() => freshToken(600));
    await advance(5_000);

    expect(sentWithStaleToken).toBe(0);
    expect(ws.last().sent).toHaveLength(1);
  });

  it('stops refreshing once the socket is gone', async () => {
    const { sut, ws, getToken } = clientHarness({ failuresBeforePolling: 99 });
    getToken.mockImplementation(() => freshToken(60));
    sut.connect();
    await settle();
    await welcome(ws.last());
    const socket = ws.last();

    socket.serverClose(1006);
    sut.close();
    await advance(120_000);

    expect(socket.sent).toEqual([]);
  });
});
