// The Socket.IO peer: what the usual Node answer to "notifications over
// WebSockets across several processes" does for the same job, measured in
// the same run as Herald and the reference (issue 16's POST → socket column).
//
//   REF_ROLE=api      POST /v1/notifications: verify the HS256 token, the
//                     reference's one statement (per-user seqs and rows),
//                     then `io.to('u:<user>').emit('notification', …)` through
//                     @socket.io/redis-adapter (one Redis PUBLISH per room).
//   REF_ROLE=gateway  Socket.IO server (websocket transport), the token in the
//                     handshake's `auth`, each socket in its user's room; a
//                     `welcome` event with the user's last_seq, then
//                     `notification` events as the adapter brings them.
//
// Same environment as the reference server (bench/reference-server.mjs).
// Not a product: no resume, no gap fill, no limits.
import http from 'node:http';
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { REFERENCE_INSERT } from './lib/reference-schema.mjs';

const env = process.env;
const role = env.REF_ROLE ?? 'api';
const secret = createSecretKey(Buffer.from(env.HERALD_JWT_SECRET ?? ''));
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: Number(env.DATABASE_POOL_SIZE ?? 10) });
const pub = new Redis(env.REDIS_URL);
const sub = new Redis(env.REDIS_URL);
const adapter = createAdapter(pub, sub, { key: `${env.HERALD_REDIS_PREFIX ?? 'herald:'}sio` });

function verify(token) {
  try {
    return jwt.verify(token ?? '', secret, { algorithms: ['HS256'] });
  } catch {
    return null;
  }
}

function reply(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function readJson(req, limit = 256 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) reject(new Error('too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

async function handlePost(io, req, res) {
  const principal = verify(req.headers.authorization?.replace(/^Bearer /, ''));
  if (!principal || !String(principal.scope ?? '').split(' ').includes('notifications:publish')) return reply(res, 401, { code: 'unauthorized' });
  const { recipients, type, title, data } = await readJson(req);
  if (!Array.isArray(recipients) || recipients.length < 1 || recipients.length > 1000 || typeof type !== 'string' || typeof title !== 'string') {
    return reply(res, 400, { code: 'validation_failed' });
  }
  const users = [...new Set(recipients.map(String))].sort();
  const { rows } = await pool.query({ name: 'ref_insert', text: REFERENCE_INSERT, values: [users, type, title, JSON.stringify(data ?? null)] });
  const out = [];
  for (const r of rows) {
    const createdAt = r.created_at.toISOString();
    const notification = { id: r.id, seq: Number(r.seq), userId: r.user_id, type, title, data: data ?? null, createdAt };
    io.to(`u:${r.user_id}`).emit('notification', { type: 'notification', notification });
    out.push({ id: r.id, userId: r.user_id, seq: notification.seq, createdAt });
  }
  reply(res, 201, { notifications: out });
}

const server = http.createServer();
server.keepAliveTimeout = 65_000;
if (role === 'gateway') {
  // engine.io pings each socket on a timer of its own from when it connected; its interval follows the deployment's heartbeat (25 s, engine.io's default, in the full profile).
  const pingInterval = Number(env.HERALD_HEARTBEAT_MS ?? 25_000);
  const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false, pingInterval, adapter });
  io.use((socket, next) => {
    const claims = verify(socket.handshake.auth?.token);
    if (!claims?.sub) return next(new Error('unauthorized'));
    socket.data.user = String(claims.sub);
    next();
  });
  io.on('connection', async (socket) => {
    const user = socket.data.user;
    await socket.join(`u:${user}`);
    const st = await pool.query({ name: 'ref_state', text: 'SELECT last_seq FROM ref_user_states WHERE user_id = $1', values: [user] });
    socket.emit('welcome', { type: 'welcome', userId: user, lastSeq: Number(st.rows[0]?.last_seq ?? 0) });
  });
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io')) return;
    reply(res, req.url === '/healthz' || req.url === '/readyz' ? 200 : 404, { status: 'ok' });
  });
} else {
  // Not attached to a port: a Socket.IO server only to reach the gateways' rooms through the adapter.
  const io = new Server({ adapter });
  server.on('request', (req, res) => {
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/readyz')) return reply(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/v1/notifications') return reply(res, 404, { code: 'not_found' });
    handlePost(io, req, res).catch((err) => reply(res, 500, { code: 'internal', message: err.message }));
  });
}
server.listen(Number(env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
