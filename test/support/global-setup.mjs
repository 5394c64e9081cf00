// Fails fast, with the fix, when the services the e2e tests need are down.
// Plain JS: Jest loads global setup outside its transform pipeline.
import net from 'node:net';

const DATABASE = process.env.HERALD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.HERALD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

export default async function globalSetup() {
  const missing = [];
  if (!(await reachable(DATABASE, 5432))) missing.push(`Postgres at ${DATABASE}`);
  if (!(await reachable(REDIS, 6379))) missing.push(`Redis at ${REDIS}`);
  if (missing.length) {
    throw new Error(`Tests need ${missing.join(' and ')}. Start them (see .ci/run) or set HERALD_TEST_DATABASE_URL / HERALD_TEST_REDIS_URL.`);
  }
}
