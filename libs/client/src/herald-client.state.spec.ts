import { jest } from '@jest/globals';
import { CloseCode, ServerFrameType } from '@herald/contracts';
import { advance, clientHarness, useFakeTimers, welcome } from '../testing/client-harness.js';
import { makeNotification, settle } from '../testing/fake-rest.js';
import { HeraldApiError, HeraldCloseError } from './herald-errors.js';

describe('HeraldClient connection state', () => {
  beforeEach(useFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('goes connecting → open on welcome', async () => {
    const { sut, ws, states } = clientHarness();

    sut.connect();
    await settle();
    const connectingBeforeWelcome = sut.state;
    await welcome(ws.last());

    expect(connectingBeforeWelcome).toBe('connecting');
    expect(sut.state).toBe('open');
    expect(states).toEqual(['connecting', 'open']);
    expect(ws.last().url).toBe('ws://api.test/ws?token=token-1');
  });

  it('reconnects after 1006 once the jittered backoff delay has passed', async () => {
    const { sut, ws } = clientHarness();
    sut.connect();
    await settle();
    await welcome(ws.last());

    ws.last().serverClose(1006);
    await settle();
    const stateAfterDrop = sut.state;
    await advance(249);
    const socketsBeforeDelay = ws.instances.length;
    await advance(1);

    expect(stateAfterDrop).toBe('reconnecting');
    expect(socketsBeforeDelay).toBe(1);
    expect(ws.instances).toHaveLength(2);
  });

  it('widens the delay while connects keep failing', async () => {
    const { sut, ws } = clientHarness({ failuresBeforePolling: 99 });
    sut.connect();
    await settle();
    const openedAt: number[] = [];

    for (let i = 0; i < 4; i++) {
      ws.last().serverClose(1006);
      const before = ws.instances.length;
      let waited = 0;
      while (ws.instances.length === before) {
        await advance(50);
        waited += 50;
      }
      openedAt.push(waited);
    }

    expect(openedAt).toEqual([250, 500, 1000, 2000]);
  });

  it('resumes with since = the last seq seen', async () => {
    const { sut, ws } = clientHarness();
    sut.connect();
    await settle();
    await welcome(ws.last(), { lastSeq: 7 });
    ws.last().serverSend({ type: ServerFrameType.Notification, notification: makeNotification(8) });
    await settle();

    ws.last().serverClose(CloseCode.InternalError);
    await advance(250);

    expect(ws.instances[0]?.query.has('since')).toBe(false);
    expect(ws.last().query.get('since')).toBe('8');
  });

  it('polls after 3 failed connects while retrying the socket, and returns to open', async () => {
    const { sut, ws, rest, seqs } = clientHarness({ pollIntervalMs: 5000 });
    rest.inbox = [makeNotification(1), makeNotification(2)];
    rest.unread = 2;
    sut.connect();
    await settle();

    ws.last().serverClose(1006);
    await advance(250);
    ws.last().serverClose(1006);
    await advance(500);
    ws.last().serverClose(1006); // third failure: polling starts at once
    await settle();
    const stateAfterThird = sut.state;
    rest.inbox.push(makeNotification(3));
    await advance(5000); // the background retry opens socket 4; the second poll runs
    const stateWhilePolling = sut.state;
    const socketsWhilePolling = ws.instances.length;
    await welcome(ws.last(), { lastSeq: 3 });
    const pollsAtOpen = rest.calls('/v1/notifications').length;
    await advance(20_000);
    const pollsLater = rest.calls('/v1/notifications').length;
    ws.last().serverClose(1006);
    await advance(250);

    expect(stateAfterThird).toBe('polling');
    expect(stateWhilePolling).toBe('polling');
    expect(socketsWhilePolling).toBe(4);
    expect(seqs()).toEqual([3]);
    expect(rest.calls('/v1/notifications/unread-count')).toHaveLength(2);
    expect(pollsLater).toBe(pollsAtOpen);
    expect(ws.last().query.get('since')).toBe('3');
  });

  it.each([
    [CloseCode.Unauthorized],
    [CloseCode.Forbidden],
    [CloseCode.TooManyConnections],
    [CloseCode.FrameTooBig],
    [CloseCode.PolicyViolation],
  ])('stops on %i: closed, an error carrying the code, no retry', async (code) => {
    const { sut, ws, errors, states } = clientHarness();
    sut.connect();
    await settle();

    ws.last().serverClose(code, 'nope');
    await advance(120_000);

    expect(sut.state).toBe('closed');
    expect(states.at(-1)).toBe('closed');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HeraldCloseError);
    expect(errors[0]).toMatchObject({ code, reason: 'nope' });
    expect(ws.instances).toHaveLength(1);
  });

  it('lets an error listener connect again after a 4001', async () => {
    const { sut, ws } = clientHarness();
    sut.on('error', () => sut.connect());
    sut.connect();
    await settle();

    ws.last().serverClose(CloseCode.Unauthorized);
    await settle();

    expect(ws.instances).toHaveLength(2);
    expect(sut.state).toBe('connecting');
  });

  it('on 4002 fetches a fresh token and reconnects at once', async () => {
    const { sut, ws, getToken } = clientHarness();
    sut.connect();
    await settle();
    await welcome(ws.last());

    ws.last().serverClose(CloseCode.TokenExpired);
    await settle();

    expect(ws.instances).toHaveLength(2);
    expect(ws.last().query.get('token')).toBe(`token-${getToken.mock.calls.length}`);
    expect(ws.last().query.get('token')).not.toBe('token-1');
  });

  it('backs off when 4002 repeats before a welcome', async () => {
    const { sut, ws } = clientHarness();
    sut.connect();
    await settle();

    ws.last().serverClose(CloseCode.TokenExpired);
    await settle();
    ws.last().serverClose(CloseCode.TokenExpired);
    await settle();

    expect(ws.instances).toHaveLength(2);
    expect(sut.state).toBe('reconnecting');
  });

  it('reconnects after 1012 within the first jitter window', async () => {
    const { sut, ws } = clientHarness();
    sut.connect();
    await settle();
    await welcome(ws.last());

    ws.last().serverClose(CloseCode.ServiceRestart);
    await advance(250);

    expect(ws.instances).toHaveLength(2);
  });

  it('counts a socket that never says welcome as a failed connect', async () => {
    const { sut, ws } = clientHarness({ connectTimeoutMs: 3000 });
    sut.connect();
    await settle();
    ws.last().open();

    await advance(3000);
    const first = ws.instances[0];
    await advance(250);

    expect(first?.closedByClient).toEqual({ code: 1000, reason: 'reconnecting' });
    expect(ws.instances).toHaveLength(2);
  });

  it('close() closes the socket and never retries', async () => {
    const { sut, ws } = clientHarness();
    sut.connect();
    await settle();
    await welcome(ws.last());

    sut.close();
    await advance(60_000);

    expect(sut.state).toBe('closed');
    expect(ws.last().closedByClient?.code).toBe(1000);
    expect(ws.instances).toHaveLength(1);
  });

  it('uses a ticket from POST /v1/ws-tickets with socketAuth ticket', async () => {
    const { sut, ws, rest } = clientHarness({ socketAuth: 'ticket' });

    sut.connect();
    await settle();

    expect(rest.calls('/v1/ws-tickets')[0]?.method).toBe('POST');
    expect(ws.last().query.get('ticket')).toBe('t1');
    expect(ws.last().query.has('token')).toBe(false);
  });

  it('stays closed when an error listener closes it after refused credentials', async () => {
    const getTicket = jest.fn(async () => {
      throw new HeraldApiError(401, 'unauthorized', 'token expired');
    });
    const { sut, ws } = clientHarness({ getTicket });
    sut.on('error', () => sut.close());

    sut.connect();
    await advance(60_000);

    expect(sut.state).toBe('closed');
    expect(getTicket).toHaveBeenCalledTimes(1);
    expect(ws.instances).toHaveLength(0);
  });

  it('asks getTicket again before every attempt', async () => {
    let n = 0;
    const getTicket = jest.fn(async () => `custom-${++n}`);
    const { sut, ws } = clientHarness({ getTicket });
    sut.connect();
    await settle();

    ws.last().serverClose(1006);
    await advance(250);

    expect(ws.instances.map((s) => s.query.get('ticket'))).toEqual(['custom-1', 'custom-2']);
  });

  it('sends the token as a header with socketAuth header', async () => {
    const { sut, ws } = clientHarness({ socketAuth: 'header', recent: 20 });

    sut.connect();
    await settle();

    expect(ws.last().options?.headers).toEqual({ Authorization: 'Bearer token-1' });
    expect(ws.last().url).toBe('ws://api.test/ws?recent=20');
  });
});
