// The reference: what a plain Node server (node:http + ws + ioredis + pg, no
// framework, no ORM, no validation library, no logger) does for the same job,
// measured in the same run so every Herald figure can be given as a ratio.
//
//   REF_ROLE=api      POST /v1/notifications: verify the HS256 token, one
//                     statement that allocates per-user seqs and inserts the
//                     rows (autocommit), then one pipelined PUBLISH per row.
//                     POST /v1/broadcasts: one PUBLISH.
//                     POST /v1/topics/{topic}/events: one statement (seq and
//                     row), one PUBLISH on the topic's channel.
//   REF_ROLE=gateway  /ws: verify the token, subscribe to the user's channel
//                     (ref-counted), read last_seq, welcome, replay `since`,
//                     `synced`; live frames above the cursor; ws pings.
//                     `subscribe` frames: the topic's channel (ref-counted),
//                     its last_seq, `subscribed`, live events above the cursor.
//
// Same environment names as Herald: PORT, DATABASE_URL, REDIS_URL,
// HERALD_REDIS_PREFIX, HERALD_JWT_SECRET, DATABASE_POOL_SIZE (10),
// HERALD_HEARTBEAT_MS (25000). Not a product: no gap fill, no limits.
import http from 'node:http';
import { createSecretKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { REFERENCE_INSERT, REFERENCE_TOPIC_INSERT } from './lib/reference-schema.mjs';

const env = process.env;
const role = env.REF_ROLE ?? 'api';
// A KeyObject, not the string: jsonwebtoken would try to parse a string as a PEM key on every verify.
const secret = createSecretKey(Buffer.from(env.HERALD_JWT_SECRET ?? ''));
const prefix = `${env.HERALD_REDIS_PREFIX ?? 'herald:'}ref:`;
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: Number(env.DATABASE_POOL_SIZE ?? 10) });
const userChannel = (u) => `${prefix}u:{${u}}`;
const topicChannel = (t) => `${prefix}t:{${t}}`;
const TOPIC_PATH = /^\/v1\/topics\/([a-z0-9][a-z0-9._:-]{0,127})\/events$/;
const broadcastChannel = `${prefix}broadcast`;

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

// ---------------------------------------------------------------- api role
async function handleTopicPost(req, res, publisher, topic) {
  const principal = verify(req.headers.authorization?.replace(/^Bearer /, ''));
  if (!principal || !String(principal.scope ?? '').split(' ').includes('topics:publish')) return reply(res, 401, { code: 'unauthorized' });
  const { type, data } = await readJson(req);
  if (typeof type !== 'string') return reply(res, 400, { code: 'validation_failed' });
  const { rows } = await pool.query({ name: 'ref_topic_insert', text: REFERENCE_TOPIC_INSERT, values: [topic, type, JSON.stringify(data ?? null)] });
  const event = { topic, seq: Number(rows[0].seq), type, data: data ?? null, createdAt: rows[0].created_at.toISOString() };
  await publisher.publish(topicChannel(topic), JSON.stringify({ type: 'topic.event', event }));
  reply(res, 201, { topic, seq: event.seq });
}

async function handlePost(req, res, publisher) {
  const principal = verify(req.headers.authorization?.replace(/^Bearer /, ''));
  if (!principal || !String(principal.scope ?? '').split(' ').includes('notifications:publish')) return reply(res, 401, { code: 'unauthorized' });
  const body = await readJson(req);
  if (req.url === '/v1/broadcasts') {
    const frame = { type: 'broadcast', broadcast: { id: randomUUID(), type: body.type, title: body.title, data: body.data ?? null, createdAt: new Date().toISOString() } };
    await publisher.publish(broadcastChannel, JSON.stringify(frame));
    return reply(res, 201, { id: frame.broadcast.id });
  }
  const { recipients, type, title, data } = body;
  if (!Array.isArray(recipients) || recipients.length < 1 || recipients.length > 1000 || typeof type !== 'string' || typeof title !== 'string') {
    return reply(res, 400, { code: 'validation_failed' });
  }
  const users = [...new Set(recipients.map(String))].sort();
  const { rows } = await pool.query({ name: 'ref_insert', text: REFERENCE_INSERT, values: [users, type, title, JSON.stringify(data ?? null)] });
  const pipeline = publisher.pipeline();
  const out = [];
  for (const r of rows) {
    const createdAt = r.created_at.toISOString();
    const notification = { id: r.id, seq: Number(r.seq), userId: r.user_id, type, title, data: data ?? null, createdAt };
    pipeline.publish(userChannel(r.user_id), JSON.stringify({ type: 'notification', notification }));
    out.push({ id: r.id, userId: r.user_id, seq: notification.seq, createdAt });
  }
  await pipeline.exec();
  reply(res, 201, { notifications: out });
}

function startApi(server) {
  const publisher = new Redis(env.REDIS_URL);
  server.on('request', (req, res) => {
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/readyz')) return reply(res, 200, { status: 'ok' });
    const topic = req.method === 'POST' ? TOPIC_PATH.exec(req.url ?? '')?.[1] : undefined;
    if (topic) return void handleTopicPost(req, res, publisher, topic).catch((err) => reply(res, 500, { code: 'internal', message: err.message }));
    if (req.method !== 'POST' || (req.url !== '/v1/notifications' && req.url !== '/v1/broadcasts')) return reply(res, 404, { code: 'not_found' });
    handlePost(req, res, publisher).catch((err) => reply(res, 500, { code: 'internal', message: err.message }));
  });
}

// ------------------------------------------------------------ gateway role
function startGateway(server) {
  const subscriber = new Redis(env.REDIS_URL);
  const byUser = new Map(); // userId → { conns: Set, ready: Promise }
  const byTopic = new Map(); // topic → { conns: Set, ready: Promise }
  const all = new Set();
  const heartbeatMs = Number(env.HERALD_HEARTBEAT_MS ?? 25_000);
  server.on('request', (req, res) => reply(res, req.url === '/healthz' || req.url === '/readyz' ? 200 : 404, { status: 'ok' }));
  subscriber.subscribe(broadcastChannel);
  subscriber.on('message', (channel, payload) => {
    if (channel === broadcastChannel) {
      for (const c of all) if (c.ready) c.ws.send(payload);
      return;
    }
    if (channel.startsWith(`${prefix}t:{`)) return deliverTopic(byTopic.get(channel.slice(prefix.length + 3, -1)), payload);
    const entry = byUser.get(channel.slice(prefix.length + 3, -1));
    if (!entry) return;
    const frame = JSON.parse(payload);
    for (const c of entry.conns) {
      if (!c.ready) c.held.push([frame.notification.seq, payload]);
      else if (frame.notification.seq > c.cursor) {
        c.cursor = frame.notification.seq;
        c.ws.send(payload);
      }
    }
  });

  const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, maxPayload: 4096 });
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url, 'http://localhost');
    const claims = verify(url.searchParams.get('token') ?? req.headers.authorization?.replace(/^Bearer /, ''));
    if (!claims?.sub) return ws.close(4001, 'unauthorized');
    const since = url.searchParams.has('since') ? Number(url.searchParams.get('since')) : undefined;
    const conn = { ws, user: String(claims.sub), cursor: 0, ready: false, held: [], alive: true };
    all.add(conn);
    let entry = byUser.get(conn.user);
    if (!entry) byUser.set(conn.user, (entry = { conns: new Set(), ready: subscriber.subscribe(userChannel(conn.user)) }));
    entry.conns.add(conn);
    ws.on('pong', () => (conn.alive = true));
    ws.on('message', (data) => {
      const text = String(data);
      if (text.includes('"subscribe"')) subscribeTopics(conn, JSON.parse(text).topics).catch(() => ws.close(1011, 'internal error'));
      else if (text.includes('"ping"')) ws.send(JSON.stringify({ type: 'pong', ts: Date.now() }));
    });
    ws.on('close', () => {
      for (const topic of conn.topics?.keys() ?? []) leaveTopic(conn, topic);
      all.delete(conn);
      entry.conns.delete(conn);
      if (entry.conns.size === 0 && byUser.get(conn.user) === entry) {
        byUser.delete(conn.user);
        subscriber.unsubscribe(userChannel(conn.user)).catch(() => undefined);
      }
    });
    resume(conn, entry, since).catch(() => ws.close(1011, 'internal error'));
  });

  /** Live topic events above each follower's cursor; a follower still subscribing holds them. */
  function deliverTopic(entry, payload) {
    if (!entry) return;
    const event = JSON.parse(payload).event;
    for (const c of entry.conns) {
      const cursor = c.topics.get(event.topic);
      if (cursor === null) c.topicHeld.push([event.seq, event.topic, payload]);
      else if (event.seq > cursor) {
        c.topics.set(event.topic, event.seq);
        c.ws.send(payload);
      }
    }
  }

  // As for users: subscribe first, then read last_seq, then release held live frames above it.
  async function subscribeTopics(conn, topics) {
    for (const t of topics) {
      const topic = typeof t === 'string' ? t : t.name;
      if (conn.topics?.has(topic)) continue;
      conn.topics ??= new Map();
      conn.topicHeld ??= [];
      conn.topics.set(topic, null);
      let entry = byTopic.get(topic);
      if (!entry) byTopic.set(topic, (entry = { conns: new Set(), ready: subscriber.subscribe(topicChannel(topic)) }));
      entry.conns.add(conn);
      await entry.ready;
      const st = await pool.query({ name: 'ref_topic_state', text: 'SELECT last_seq FROM ref_topic_states WHERE topic = $1', values: [topic] });
      const lastSeq = Number(st.rows[0]?.last_seq ?? 0);
      conn.ws.send(JSON.stringify({ type: 'subscribed', topic, lastSeq }));
      conn.topics.set(topic, lastSeq);
      const held = conn.topicHeld.filter(([, heldTopic]) => heldTopic === topic);
      conn.topicHeld = conn.topicHeld.filter(([, heldTopic]) => heldTopic !== topic);
      for (const [seq, , payload] of held) {
        if (seq <= conn.topics.get(topic)) continue;
        conn.topics.set(topic, seq);
        conn.ws.send(payload);
      }
    }
  }

  function leaveTopic(conn, topic) {
    const entry = byTopic.get(topic);
    if (!entry) return;
    entry.conns.delete(conn);
    if (entry.conns.size === 0) {
      byTopic.delete(topic);
      subscriber.unsubscribe(topicChannel(topic)).catch(() => undefined);
    }
  }

  // Subscribe first, then read, then release held live frames above what was read.
  async function resume(conn, entry, since) {
    await entry.ready;
    const st = await pool.query({ name: 'ref_state', text: 'SELECT last_seq FROM ref_user_states WHERE user_id = $1', values: [conn.user] });
    const lastSeq = Number(st.rows[0]?.last_seq ?? 0);
    const welcome = { type: 'welcome', connectionId: randomUUID(), userId: conn.user, lastSeq, heartbeatMs, serverTime: new Date().toISOString() };
    conn.ws.send(JSON.stringify(welcome));
    conn.cursor = lastSeq;
    if (since !== undefined) {
      const { rows } = await pool.query({
        name: 'ref_after',
        text: 'SELECT id, seq, user_id, type, title, data, created_at FROM ref_notifications WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000',
        values: [conn.user, since],
      });
      for (const r of rows) {
        const notification = { id: r.id, seq: Number(r.seq), userId: r.user_id, type: r.type, title: r.title, data: r.data, createdAt: r.created_at.toISOString() };
        conn.ws.send(JSON.stringify({ type: 'notification', notification }));
        conn.cursor = Math.max(conn.cursor, notification.seq);
      }
      conn.ws.send(JSON.stringify({ type: 'synced', seq: conn.cursor }));
    }
    conn.ready = true;
    for (const [seq, payload] of conn.held) {
      if (seq <= conn.cursor) continue;
      conn.cursor = seq;
      conn.ws.send(payload);
    }
    conn.held = [];
  }

  setInterval(() => {
    for (const c of all) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }, heartbeatMs).unref();
}

const server = http.createServer();
server.keepAliveTimeout = 65_000;
if (role === 'gateway') startGateway(server);
else startApi(server);
server.listen(Number(env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
