import net from 'node:net';
import { Admission } from '../apps/gateway/src/connection/admission.js';
import { waitUntil } from '../scripts/harness/wait.mjs';
import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

/** How long the test waits for the server to cut a client that ignores its close frame (ws alone waits 30 s). */
const CUT_WITHIN_MS = 8000;

/**
 * A WebSocket client that completes the upgrade and then never reads or
 * answers anything: resolves with how long the server kept the TCP
 * connection after its close frame arrived, or 'held' after `limitMs`.
 */
function ignoreTheClose(port: number, path: string, limitMs: number): Promise<number | 'held'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.18' });
    let closeFrameAt: number | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('held');
    }, limitMs);
    socket.on('connect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`),
    );
    // The 101 and the close frame (opcode 0x88) arrive; nothing is answered.
    socket.on('data', (chunk) => {
      if (closeFrameAt === undefined && chunk.includes(0x88)) closeFrameAt = Date.now();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(closeFrameAt === undefined ? -1 : Date.now() - closeFrameAt);
    });
    socket.on('error', reject);
  });
}

describe('socket admission: per-address handshake budget, the pod cap, refusals cut short, no service tokens', () => {
  let sys: TestSystem;
  const PER_ADDRESS = 5;
  const POD_CAP = 3;

  beforeAll(async () => {
    sys = await startTestSystem({
      gateways: 1,
      env: { HERALD_IP_HANDSHAKES_PER_MINUTE: String(PER_ADDRESS), HERALD_MAX_CONNECTIONS: String(POD_CAP) },
    });
  });
  afterAll(async () => {
    await sys.close();
  });

  const url = (sub: string) => sys.socketUrl(0, sub);
  /** Waits until the gateway holds no socket (refused ones included), so the cap starts from zero. */
  const drained = () => waitUntil(() => sys.gateways[0].app.get(Admission).size === 0, { timeoutMs: 5000, what: 'no sockets held' });

  it('closes the handshakes of an address past its budget with 4008, bad credentials counted too', async () => {
    await drained();
    const first = await TestSocket.open(`${sys.gateways[0].wsUrl}?token=garbage`, { localAddress: '127.0.0.11' });
    expect((await first.closed).code).toBe(4001);
    const within: number[] = [];
    for (let i = 1; i < PER_ADDRESS; i++) {
      const socket = await TestSocket.connect(url(`hs-${i}`), { localAddress: '127.0.0.11' });
      within.push(socket.ofType('welcome').length);
      await socket.close();
    }

    const over = await TestSocket.open(url('hs-over'), { localAddress: '127.0.0.11' });
    const neighbour = await TestSocket.connect(url('hs-neighbour'), { localAddress: '127.0.0.12' });

    expect(within).toEqual([1, 1, 1, 1]);
    expect(await over.closed).toEqual({ code: 4008, reason: 'too many handshakes' });
    expect(over.frames).toEqual([]);
    expect(neighbour.ofType('welcome')).toHaveLength(1);
    await neighbour.close();
  });

  it('closes the handshake past HERALD_MAX_CONNECTIONS with 1013, and admits again once a socket leaves', async () => {
    await drained();
    const held = await Promise.all(Array.from({ length: POD_CAP }, (_, i) => TestSocket.connect(url(`cap-${i}`), { localAddress: `127.0.0.${20 + i}` })));

    const full = await TestSocket.open(url('cap-full'), { localAddress: '127.0.0.23' });
    const refused = await full.closed;
    await held[0].close();
    await waitUntil(() => sys.gateways[0].app.get(Admission).size < POD_CAP, { timeoutMs: 5000, what: 'a free place' });
    const later = await TestSocket.connect(url('cap-later'), { localAddress: '127.0.0.24' });

    expect(refused).toEqual({ code: 1013, reason: 'gateway full, try again later' });
    expect(later.ofType('welcome')).toHaveLength(1);
    await Promise.all([...held.slice(1), later].map((s) => s.close()));
  });

  it('cuts a refused client that ignores the close frame within seconds, not after 30 s', async () => {
    await drained();
    const port = Number(new URL(sys.gateways[0].url).port);

    const heldFor = await ignoreTheClose(port, '/ws?token=garbage', CUT_WITHIN_MS);

    expect(heldFor).not.toBe('held');
    expect(heldFor).toBeGreaterThanOrEqual(0); // the close frame came first
    await drained();
  }, 15_000);

  it('refuses a service token on the socket (4003) and in an auth frame, even one whose sub is the user', async () => {
    await drained();
    const service = sys.serviceToken({ sub: 'svc-bob' });

    const opened = await TestSocket.open(`${sys.gateways[0].wsUrl}?token=${service}`, { localAddress: '127.0.0.30' });
    const user = await TestSocket.connect(`${sys.gateways[0].wsUrl}?token=${sys.userToken('svc-bob', { expiresIn: 3 })}`, { localAddress: '127.0.0.31' });
    user.send({ type: 'auth', token: service });
    const error = await user.waitFor((f) => f.type === 'error');

    expect(await opened.closed).toEqual({ code: 4003, reason: 'a service token cannot open a socket' });
    expect(error).toMatchObject({ code: 'invalid_token', message: 'a service token cannot act as a user' });
    // The service token did not extend the socket: it still closes when the user's token expires.
    expect((await user.closed).code).toBe(4002);
    const metrics = await http(sys.gateways[0].metricsUrl, 'GET', '/metrics');
    expect(metrics.body).toMatch(/^herald_gateway_auth_failures_total\{reason="service_token"\} 1$/m);
  }, 15_000);
});
