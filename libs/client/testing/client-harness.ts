import { ServerFrameType, type Notification, type WelcomeFrame } from '@herald/contracts';
import { jest } from '@jest/globals';
import type { HeraldClientOptions } from '../src/client-options.js';
import type { ConnectionState } from '../src/connection-state.js';
import { HeraldClient } from '../src/herald-client.js';
import { fakeWebSocketClass, type FakeWebSocket } from './fake-web-socket.js';
import { FakeRest, settle } from './fake-rest.js';

/**
 * A HeraldClient wired to a fake socket class and an in-memory api, with
 * every event it emits recorded. random() is 0.5, so backoff delays are half
 * their window: 250, 500, 1000, 2000 ms…
 */
export function clientHarness(overrides: Partial<HeraldClientOptions> = {}) {
  const ws = fakeWebSocketClass();
  const rest = new FakeRest();
  let issued = 0;
  const getToken = jest.fn<() => string>(() => `token-${++issued}`);
  const sut = new HeraldClient({
    url: 'http://api.test',
    getToken,
    WebSocket: ws.WebSocket,
    fetch: rest.fetch,
    random: () => 0.5,
    ...overrides,
  });
  const states: ConnectionState[] = [];
  const received: Notification[] = [];
  const errors: Error[] = [];
  sut.on('state', (state) => states.push(state));
  sut.on('notification', (n) => received.push(n));
  sut.on('error', (error) => errors.push(error));
  return { sut, ws, rest, getToken, states, received, errors, seqs: () => received.map((n) => n.seq) };
}

/** Accepts the socket and sends `welcome`, then lets the client react. */
export async function welcome(socket: FakeWebSocket, frame: Partial<WelcomeFrame> = {}): Promise<void> {
  socket.open();
  socket.serverSend({
    type: ServerFrameType.Welcome,
    connectionId: 'c1',
    userId: 'alice',
    lastSeq: 0,
    unreadCount: 0,
    heartbeatMs: 25_000,
    serverTime: new Date().toISOString(),
    ...frame,
  });
  await settle();
}

/** Moves fake time forward and lets the promise chains it started finish. */
export async function advance(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
  await settle();
}

export function useFakeTimers(): void {
  // setImmediate stays real: settle() uses it to drain promise chains.
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
}
