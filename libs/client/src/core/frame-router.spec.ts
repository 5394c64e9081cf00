import { ServerFrameType, type ServerFrame } from '@herald/contracts';
import { FrameRouter } from './frame-router.js';

describe('FrameRouter', () => {
  it('hands a frame to the handler of its type, with the link it came on', () => {
    const sut = new FrameRouter();
    const seen: unknown[] = [];
    sut.on(ServerFrameType.Pong, (frame, link) => void seen.push(['pong', frame.ts, link]));
    sut.on(ServerFrameType.Synced, (frame, link) => void seen.push(['synced', frame.seq, link]));

    void sut.dispatch({ type: ServerFrameType.Synced, seq: 9 }, 2);
    void sut.dispatch({ type: ServerFrameType.Pong, ts: 42 }, 3);

    expect(seen).toEqual([
      ['synced', 9, 2],
      ['pong', 42, 3],
    ]);
  });

  it('returns the promise of an async handler, so the queue can wait for it', async () => {
    const sut = new FrameRouter();
    let done = false;
    sut.on(ServerFrameType.Pong, async () => {
      await Promise.resolve();
      done = true;
    });

    await sut.dispatch({ type: ServerFrameType.Pong, ts: 1 }, 1);

    expect(done).toBe(true);
  });

  it('ignores frame types nobody registered (newer servers may send more)', () => {
    const sut = new FrameRouter();
    sut.on(ServerFrameType.Pong, () => {
      throw new Error('not for pong');
    });

    const result = sut.dispatch({ type: 'from_the_future' } as unknown as ServerFrame, 1);

    expect(result).toBeUndefined();
  });

  it('refuses a second handler for one frame type', () => {
    const sut = new FrameRouter();
    sut.on(ServerFrameType.Pong, () => undefined);

    expect(() => sut.on(ServerFrameType.Pong, () => undefined)).toThrow("'pong' frames have a handler");
  });
});
