// Loopback networking for harnesses: ports to hand to the processes they
// start, and probes that never hang past their timeout.
import { get } from 'node:http';
import net from 'node:net';

/** Attempts at finding a port not handed out before. */
const PORT_ATTEMPTS = 20;
const handedOut = new Set();

/**
 * A loopback TCP port that was free a moment ago, never the same one twice
 * in this process: two servers started side by side cannot be given one
 * port before either binds it.
 */
export async function freePort() {
  for (let i = 0; i < PORT_ATTEMPTS; i++) {
    const server = net.createServer();
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port');
}

/** True when something accepts TCP connections on `host` (default 127.0.0.1):`port` within `timeoutMs` (default 1000). */
export function portAccepts(port, { host = '127.0.0.1', timeoutMs = 1000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** GET `path` on 127.0.0.1:`port`; resolves { status, body } or rejects, never later than `timeoutMs` (default 1000). */
export function httpGet(port, path, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}

/** True when GET `path` on 127.0.0.1:`port` answers 200 within `timeoutMs` (default 1000). */
export const answersOk = (port, path, timeoutMs = 1000) => httpGet(port, path, timeoutMs).then((res) => res.status === 200, () => false);
