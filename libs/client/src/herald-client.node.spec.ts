import { ServerFrameType } from '@herald/contracts';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { makeNotification } from '../testing/fake-rest.js';
import type { ConnectionState } from './connection-state.js';
import { HeraldClient } from './herald-client.js';

/**
 * The SDK in Node 20 against a real `ws` server and the global fetch: proves
 * the structural WebSocket/fetch types fit the real things, not only fakes.
 */
describe('HeraldClient in Node with ws', () => {
  let http: Server;
  let wss: WebSocketServer;
  let baseUrl: string;
  let upgrades: IncomingMessage[];
  let onSocket: (socket: WebSocket, request: IncomingMessage) => void;

  beforeEach(async () => {
    upgrades = [];
    http = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/notifications/unread-count') return res.end(JSON.stringify({ count: 7 }));
      res.statusCode = 401;
      res.end(JSON.stringify({ statusCode: 401, error: 'Unauthorized', code: 'unauthorized', message: 'no' }));
    });
    wss = new WebSocketServer({ server: http, path: '/ws' });
    wss.on('connection', (socket, request) => {
      upgrades.push(request);
      onSocket(socket, request);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await new Promise((resolve) => http.close(resolve));
  });

  function welcomeFrame(lastSeq: number) {
    return JSON.stringify({
      type: ServerFrameType.Welcome, connectionId: 'c', userId: 'alice', lastSeq, unreadCount: 1,
      heartbeatMs: 25_000, serverTime: new Date().toISOString(),
    });
  }

  function untilState(sut: HeraldClient, wanted: ConnectionState): Promise<void> {
    return new Promise((resolve) => {
      const off = sut.on('state', (state) => state === wanted && (off(), resolve()));
    });
  }

  it('authenticates with a header, receives a notification, and calls REST with fetch', async () => {
    onSocket = (socket) => {
      socket.send(welcomeFrame(3));
      socket.send(JSON.stringify({ type: ServerFrameType.Notification, notification: makeNotification(4) }));
    };
    const sut = new HeraldClient({ url: baseUrl, getToken: () => 'jwt', WebSocket, socketAuth: 'header' });
    const received = new Promise((resolve) => sut.on('notification', resolve));

    sut.connect();
    const notification = await received;
    const count = await sut.unreadCount();
    const refused = await sut.list().catch((error: unknown) => error);
    sut.close();

    expect(notification).toMatchObject({ seq: 4 });
    expect(upgrades[0]?.headers.authorization).toBe('Bearer jwt');
    expect(count).toBe(7);
    expect(refused).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('resumes with since after the connection drops', async () => {
    onSocket = (socket) => {
      socket.send(welcomeFrame(9));
      if (upgrades.length === 1) setTimeout(() => socket.terminate(), 10);
    };
    const sut = new HeraldClient({ url: baseUrl, getToken: () => 'jwt', WebSocket, random: () => 0 });

    sut.connect();
    await untilState(sut, 'open');
    await untilState(sut, 'reconnecting');
    await untilState(sut, 'open');
    sut.close();

    expect(upgrades.map((r) => new URL(r.url ?? '', baseUrl).searchParams.get('since'))).toEqual([null, '9']);
  });

  it('stops on a 4001 close', async () => {
    onSocket = (socket) => socket.close(4001, 'bad token');
    const sut = new HeraldClient({ url: baseUrl, getToken: () => 'jwt', WebSocket });
    const error = new Promise((resolve) => sut.on('error', resolve));

    sut.connect();

    await expect(error).resolves.toMatchObject({ code: 4001, reason: 'bad token' });
    expect(sut.state).toBe('closed');
  });
});
