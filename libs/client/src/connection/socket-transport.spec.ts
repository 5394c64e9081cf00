import { jest } from '@jest/globals';
import { ServerFrameType, type ServerFrame, type WelcomeFrame } from '@herald/contracts';
import { advance, useFakeTimers } from '../../testing/client-harness.js';
import { FakeRest, settle } from '../../testing/fake-rest.js';
import { fakeWebSocketClass } from '../../testing/fake-web-socket.js';
import { resolveOptions } from '../client-options.js';
import { RestClient } from '../rest-client.js';
import { SocketTransport } from './socket-transport.js';
import type { Link, TransportHooks } from './transport.js';

/** A transport whose hooks record what they are told, in one log. */
function setup() {
  const ws = fakeWebSocketClass();
  const rest = new FakeRest();
  const log: unknown[] = [];
  const frames: [ServerFrame, Link][] = [];
  const options = resolveOptions({
    url: 'http://api.test',
    getToken: () => 'jwt',
    WebSocket: ws.WebSocket,
    fetch: rest.fetch,
    random: () => 0.5,
  });
  const hooks: TransportHooks = {
    since: () => 12,
    frame: (frame, link) => frames.push([frame, link]),
    welcome: (frame) => log.push(['welcome', frame.lastSeq]),
    poll: async () => void log.push('poll'),
    state: (state) => log.push(state),
    error: (error) => log.push(['error', error.name]),
  };
  const sut = new SocketTransport(options, new RestClient(options.url, options.getToken, rest.fetch), hooks);
  return { sut, ws, log, frames };
}

function welcomeFrame(lastSeq: number): WelcomeFrame {
  return {
    type: ServerFrameType.Welcome,
    connectionId: 'c',
    userId: 'alice',
    lastSeq,
    unreadCount: 0,
    heartbeatMs: 25_000,
    serverTime: new Date().toISOString(),
  };
}

describe('SocketTransport', () => {
  beforeEach(useFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('asks the hooks where to resume and passes every frame on with its link', async () => {
    const { sut, ws, frames } = setup();

    sut.start();
    await settle();
    ws.last().open();
    ws.last().serverSend(welcomeFrame(12));
    ws.last().serverSend({ type: ServerFrameType.Pong, ts: 1 });
    sut.stop();

    expect(ws.last().query.get('since')).toBe('12');
    expect(frames.map(([frame, link]) => [frame.type, link])).toEqual([
      ['welcome', 1],
      ['pong', 1],
    ]);
  });

  it('accepting a welcome runs the welcome hook before it reports open', async () => {
    const { sut, ws, frames, log } = setup();
    sut.start();
    await settle();
    ws.last().open();
    ws.last().serverSend(welcomeFrame(12));
    const [[frame, link]] = frames as [[WelcomeFrame, Link]];

    const accepted = sut.accept(frame, link);
    sut.stop();

    expect(accepted).toBe(true);
    expect(log).toEqual(['connecting', ['welcome', 12], 'open', 'closed']);
  });

  it('refuses the welcome of a socket already dropped, and stays reconnecting', async () => {
    const { sut, ws, frames, log } = setup();
    sut.start();
    await settle();
    ws.last().open();
    ws.last().serverSend(welcomeFrame(12));
    ws.last().serverClose(1006);
    const [[frame, link]] = frames as [[WelcomeFrame, Link]];

    const accepted = sut.accept(frame, link);

    expect(accepted).toBe(false);
    expect(log).toEqual(['connecting', 'reconnecting']);
    expect(sut.state).toBe('reconnecting');
    sut.stop();
  });

  it('restart drops the link it names, but not a newer one', async () => {
    const { sut, ws, frames } = setup();
    sut.start();
    await settle();
    ws.last().open();
    ws.last().serverSend(welcomeFrame(12));
    ws.last().serverClose(1012);
    await advance(250);
    const current = ws.last();
    current.open();
    current.serverSend(welcomeFrame(12));
    const [[, oldLink], [, currentLink]] = frames;

    sut.restart(oldLink);
    const afterOldRestart = current.closedByClient;
    sut.restart(currentLink);

    expect(ws.instances).toHaveLength(2);
    expect(afterOldRestart).toBeNull();
    expect(current.closedByClient).toEqual({ code: 1000, reason: 'reconnecting' });
    sut.stop();
  });

  it('polls through the hook once connects keep failing', async () => {
    const { sut, ws, log } = setup();
    sut.start();
    await settle();

    for (const wait of [250, 500]) {
      ws.last().serverClose(1006);
      await advance(wait);
    }
    const pollsBeforeThirdFailure = log.filter((entry) => entry === 'poll').length;
    ws.last().serverClose(1006);
    await settle();
    const state = sut.state;
    sut.stop();

    expect(pollsBeforeThirdFailure).toBe(0);
    expect(log.filter((entry) => entry === 'poll')).toHaveLength(1);
    expect(state).toBe('polling');
  });
});
