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
  it('pings every socket once per interval, at most 200 at a time, spread over the interval', () => {
    const { sut, sessions } = setup(1000);
    const pinged = () => sessions.filter((s) => s.ws.ping.mock.calls.length > 0).length;

    sut.tick(0);
    expect(pinged()).toBe(200);
    sut.tick(50);
    expect(pinged()).toBe(200); // the next slice is 180 ms later
    for (let t = 100; t < 1000; t += 50) sut.tick(t);
    expect(pinged()).toBe(1000);
    expect(sessions.every((s) => s.ws.ping.mock.calls.length === 1)).toBe(true);
  });

  it('pings a few sockets in one slice rather than in many tiny ones', () => {
    const { sut, sessions } = setup(150);
    sut.tick(0);
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
    run(0, 1000); // socket 999 is pinged in the last slice, at 750 ms
    sessions.slice(0, 800).forEach((s) => registry.remove(s)); // it is now in the first slice

    run(1000, 1050); // 250 ms after its ping, no pong yet
    expect(sessions[999].ws.terminate).not.toHaveBeenCalled();

    run(1050, 2050); // still silent a round later
    expect(sessions[999].ws.terminate).toHaveBeenCalledTimes(1);
  });
});
