import { jest } from '@jest/globals';
import type { HeraldConfig } from '@herald/config';
import type { ClientSession } from './client-session.js';
import { HeartbeatService } from './heartbeat.service.js';
import { ChannelRegistry } from '../fanout/channel-registry.js';
import type { StreamKind } from '../streams/stream-kind.js';
import { SessionRegistry } from './session-registry.js';

function fakeSession(userId: string) {
  const ws = { ping: jest.fn(), terminate: jest.fn() };
  return { userId, alive: true, pingedAt: 0, isClosed: false, ws } as unknown as ClientSession & { ws: typeof ws };
}

function setup(sockets: number, heartbeatMs = 1000) {
  const registry = new SessionRegistry(new ChannelRegistry(), {} as StreamKind);
  const sessions = Array.from({ length: sockets }, (_, i) => fakeSession(`u${i}`));
  sessions.forEach((s) => registry.add(s));
  const sut = new HeartbeatService({ gateway: { heartbeatMs } } as HeraldConfig, registry);
  /** Runs the 50 ms ticks from `from` to `to` ms. */
  const run = (from: number, to: number) => {
    for (let t = from; t < to; t += 50) sut.tick(t);
  };
  return { sut, sessions, run, registry };
}

describe('HeartbeatService', () => {
  it('pings every socket once per interval, a slice on each tick of the first 90 % of it', () => {
    const { sut, sessions } = setup(1000); // 18 ticks in 900 ms: slices of 55 or 56
    const pinged = () => sessions.filter((s) => s.ws.ping.mock.calls.length > 0).length;

    sut.tick(0);
    expect(pinged()).toBe(56);
    sut.tick(20);
    expect(pinged()).toBe(56); // the next slice is due at 50 ms
    sut.tick(50);
    expect(pinged()).toBe(112);
    for (let t = 100; t < 900; t += 50) sut.tick(t);
    expect(pinged()).toBe(1000);
    expect(sessions.every((s) => s.ws.ping.mock.calls.length === 1)).toBe(true);
  });

  it('catches up the slices a late tick missed', () => {
    const { sut, sessions } = setup(1000);
    const pinged = () => sessions.filter((s) => s.ws.ping.mock.calls.length > 0).length;
    sut.tick(0);
    sut.tick(210); // the slices due at 50, 100, 150 and 200 ms
    expect(pinged()).toBe(Math.ceil((5 * 1000) / 18));
  });

  it('spreads a round evenly: slices differ by one socket at most', () => {
    const { sut, sessions } = setup(451); // 18 slices of 25 or 26, not 17 of 26 and an empty tail
    const pinged = () => sessions.filter((s) => s.ws.ping.mock.calls.length > 0).length;
    const counts: number[] = [];
    for (let t = 0; t < 900; t += 50) {
      const before = pinged();
      sut.tick(t);
      counts.push(pinged() - before);
    }
    expect(counts).toHaveLength(18);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(25);
    expect(Math.max(...counts)).toBeLessThanOrEqual(26);
    expect(pinged()).toBe(451);
  });

  it('pings nobody and starts no slice when there are no sockets, then waits the interval', () => {
    const { sut, registry } = setup(0);
    sut.tick(0);
    const late = fakeSession('late');
    registry.add(late);
    sut.tick(500); // the empty round started at 0; the next is due at 1000
    expect(late.ws.ping).not.toHaveBeenCalled();
    sut.tick(1000);
    expect(late.ws.ping).toHaveBeenCalledTimes(1);
  });

  it('gives each of a few sockets its own slice', () => {
    const { sut, sessions } = setup(3);
    sut.tick(0); // slices 300 ms apart
    expect(sessions.map((s) => s.ws.ping.mock.calls.length)).toEqual([1, 0, 0]);
    sut.tick(300);
    sut.tick(600);
    expect(sessions.every((s) => s.ws.ping.mock.calls.length === 1)).toBe(true);
  });

  it('terminates a socket that did not answer the previous ping, and only that one', () => {
    const { sessions, run } = setup(40);
    run(0, 1000);
    sessions.forEach((s, i) => {
      if (i !== 7) s.alive = true; // pong arrived
    });

    run(1000, 2000);

    expect(sessions[7].ws.terminate).toHaveBeenCalledTimes(1);
    expect(sessions.filter((s) => s.ws.terminate.mock.calls.length > 0)).toHaveLength(1);
    expect(sessions[3].ws.ping).toHaveBeenCalledTimes(2);
  });

  it('waits for the interval before the next round and skips sockets closed meanwhile', () => {
    const { sut, sessions, run } = setup(10);
    run(0, 1000);
    sessions.forEach((s) => (s.alive = true)); // every pong arrived
    sessions[0].alive = false;
    (sessions[0] as { isClosed: boolean }).isClosed = true;
    sessions.forEach((s) => s.ws.ping.mockClear());

    sut.tick(990); // the round is done but the interval has not passed
    expect(sessions.some((s) => s.ws.ping.mock.calls.length > 0)).toBe(false);
    run(1000, 2000);

    expect(sessions[0].ws.terminate).not.toHaveBeenCalled();
    expect(sessions.slice(1).every((s) => s.ws.ping.mock.calls.length === 1)).toBe(true);
  });

  it('gives a socket that moved up in the round half an interval to answer before judging it', () => {
    const { sessions, run, registry } = setup(1000);
    run(0, 1000); // socket 999 is pinged in the last slice, at 850 ms
    sessions.slice(0, 999).forEach((s) => registry.remove(s)); // it is now the first slice

    run(1000, 1050); // 150 ms after its ping, no pong yet
    expect(sessions[999].ws.terminate).not.toHaveBeenCalled();

    run(1050, 2050); // still silent a round later
    expect(sessions[999].ws.terminate).toHaveBeenCalledTimes(1);
  });
});
