// The socket side of a load client: holds up to ~15k WebSockets, checks
// every notification's per-user seq (duplicates, gaps), records latency from
// the scheduled send time (data.sentAt) to the frame's arrival, and can
// reconnect with resume the way the SDK does (full-jitter backoff, `since`).
// Sockets can also follow a topic; its events' seqs are checked per socket.
import WebSocket from 'ws';
import { encode, newHistogram, recordMs } from './hist.mjs';
import { secretKey, userToken } from './tokens.mjs';
import { nowMs, sleep } from './util.mjs';

const MAX_RECONNECT_ATTEMPTS = 60;
/** How every topic event frame starts, Herald's and the reference's: such frames are read without JSON.parse. */
const TOPIC_EVENT = '{"type":"topic.event"';
/** The number after `key` in `text` (NaN when absent). */
const numberAfter = (text, key) => {
  const i = text.indexOf(key);
  return i < 0 ? NaN : parseFloat(text.slice(i + key.length, i + key.length + 24));
};
const errorKey = (err) => err?.code ?? String(err?.message ?? err).slice(0, 48);

export class SocketPool {
  constructor() {
    this.localAddress = undefined;
    this.conns = [];
    this.policy = null;
    this.stopped = false;
    this.reset(null);
  }

  /** Starts a new measurement phase: only notifications whose data.tag === tag are counted. */
  reset(tag) {
    Object.assign(this, { tag, hist: newHistogram(), received: 0, dups: 0, gaps: 0, resyncs: 0, reconnects: 0 });
    Object.assign(this, { closes: {}, connectErrors: {}, firstArrival: null, lastArrival: null, lastSyncedAt: null });
  }

  /**
   * Opens one socket per [userId, url] target, `concurrency` handshakes at a
   * time, each waiting for its welcome frame; failed ones are retried
   * `retries` times. `reconnect` ({ urls, baseMs, capMs }) arms resume-on-close.
   */
  async connect({ targets, secret, localAddress, concurrency = 100, timeoutMs = 15_000, retries = 3, deadlineMs = 300_000, reconnect = null }) {
    this.localAddress = localAddress;
    this.key = secretKey(secret);
    this.policy = reconnect;
    const t0 = nowMs();
    const deadline = Date.now() + deadlineMs;
    let next = 0;
    const failed = [];
    const worker = async () => {
      while (next < targets.length && Date.now() < deadline) {
        const [user, url] = targets[next++];
        const conn = { user, url, ws: null, lastSeq: 0, attempts: 0, armed: false, closing: false, synced: false };
        let ok = false;
        for (let attempt = 0; attempt <= retries && !ok && Date.now() < deadline; attempt++) {
          try {
            await this.open(conn, false, timeoutMs);
            ok = true;
          } catch (err) {
            this.connectErrors[errorKey(err)] = (this.connectErrors[errorKey(err)] ?? 0) + 1;
          }
        }
        if (ok) {
          conn.armed = true;
          this.conns.push(conn);
        } else failed.push(user);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
    for (const [user] of targets.slice(next)) failed.push(user);
    return { connected: targets.length - failed.length, failed, ms: nowMs() - t0, connectErrors: this.connectErrors };
  }

  /** One handshake; resolves on welcome (or on synced when resuming). */
  open(conn, resume, timeoutMs) {
    if (conn.url.startsWith('http')) return this.openSocketIo(conn, timeoutMs);
    return new Promise((resolve, reject) => {
      const url = resume ? `${conn.url}?since=${conn.lastSeq}` : conn.url;
      const ws = new WebSocket(url, {
        perMessageDeflate: false,
        localAddress: this.localAddress, // usually undefined: see connectUsers in lib/deploy.mjs
        handshakeTimeout: timeoutMs,
        headers: { authorization: `Bearer ${this.token(conn.user)}` },
      });
      conn.ws = ws;
      conn.synced = false;
      let settled = false;
      const done = (err) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => (done(new Error('timeout')), ws.terminate()), timeoutMs);
      ws.on('message', (data) => this.onFrame(conn, data, resume, done));
      ws.on('error', (err) => done(err));
      ws.on('close', (code) => {
        done(new Error(`close_${code}`));
        this.onClose(conn, ws, code);
      });
    });
  }

  token(user) {
    return userToken(this.key, user);
  }

  /**
   * A Socket.IO peer's socket (an http URL: bench/socketio-server.mjs),
   * websocket transport, no reconnection; resolves on its `welcome` event.
   * `conn.ws` is a handle with the two things the pool asks of a socket.
   */
  async openSocketIo(conn, timeoutMs) {
    const { io } = await import('socket.io-client');
    return new Promise((resolve, reject) => {
      const socket = io(conn.url, { transports: ['websocket'], auth: { token: this.token(conn.user) }, forceNew: true, reconnection: false, timeout: timeoutMs });
      conn.ws = { get readyState() { return socket.connected ? WebSocket.OPEN : WebSocket.CLOSED; }, terminate: () => socket.disconnect() };
      let settled = false;
      const done = (err) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => (done(new Error('timeout')), socket.disconnect()), timeoutMs);
      socket.on('welcome', (msg) => {
        conn.lastSeq = msg.lastSeq;
        done();
      });
      socket.on('notification', (msg) => this.onNotification(conn, msg.notification, nowMs()));
      socket.on('connect_error', (err) => done(err));
      socket.on('disconnect', (reason) => {
        done(new Error(`disconnect_${reason}`));
        this.closes[reason] = (this.closes[reason] ?? 0) + 1;
      });
    });
  }

  /**
   * Subscribes the first `count` sockets to `topic` (live from now) and
   * resolves once each has said `subscribed`, or after `timeoutMs`.
   */
  async subscribeTopic({ topic, count, timeoutMs = 120_000 }) {
    const t0 = nowMs();
    const conns = this.conns.slice(0, count);
    this.topicSubscribed = 0;
    const frame = JSON.stringify({ type: 'subscribe', topics: [topic] });
    for (const c of conns) {
      c.topicSeq = null;
      c.ws?.send(frame);
    }
    const deadline = Date.now() + timeoutMs;
    while (this.topicSubscribed < conns.length && Date.now() < deadline) await sleep(50);
    return { subscribed: this.topicSubscribed, ms: nowMs() - t0 };
  }

  onFrame(conn, data, resume, done) {
    const t = nowMs();
    const text = data.toString();
    // At 100k+ frames per second a JSON.parse per frame is what saturates a load client.
    if (text.startsWith(TOPIC_EVENT)) return this.onTopicEvent(conn, text, t);
    const msg = JSON.parse(text);
    if (msg.type === 'notification') this.onNotification(conn, msg.notification, t);
    else if (msg.type === 'subscribed') {
      conn.topicSeq = msg.lastSeq;
      this.topicSubscribed++;
    } else if (msg.type === 'topic.resync_required') {
      this.resyncs++;
      conn.topicSeq = msg.lastSeq;
    }
    else if (msg.type === 'welcome') {
      if (!resume) {
        conn.lastSeq = msg.lastSeq;
        done();
      }
    } else if (msg.type === 'synced') {
      conn.synced = true;
      this.lastSyncedAt = t;
      done();
    } else if (msg.type === 'resync_required') {
      this.resyncs++;
      conn.lastSeq = msg.lastSeq;
      done();
    } else if (msg.type === 'broadcast') this.count(msg.broadcast.data, t);
  }

  /** A topic event, read for its seq, tag and sentAt only. */
  onTopicEvent(conn, text, t) {
    const seq = numberAfter(text, '"seq":');
    if (conn.topicSeq !== null && conn.topicSeq !== undefined) {
      if (seq <= conn.topicSeq) this.dups++;
      else if (seq > conn.topicSeq + 1) this.gaps += seq - conn.topicSeq - 1;
    }
    if (!(seq <= conn.topicSeq)) conn.topicSeq = seq;
    const at = text.indexOf('"tag":"');
    const tag = at < 0 ? undefined : text.slice(at + 7, text.indexOf('"', at + 7));
    this.count({ tag, sentAt: numberAfter(text, '"sentAt":') }, t);
  }

  onNotification(conn, n, t) {
    if (n.seq <= conn.lastSeq) this.dups++;
    else {
      if (n.seq > conn.lastSeq + 1) this.gaps += n.seq - conn.lastSeq - 1;
      conn.lastSeq = n.seq;
    }
    this.count(n.data, t);
  }

  count(data, t) {
    if (!this.tag || data?.tag !== this.tag) return;
    this.received++;
    recordMs(this.hist, t - data.sentAt);
    if (this.firstArrival === null) this.firstArrival = t;
    this.lastArrival = t;
  }

  onClose(conn, ws, code) {
    if (conn.ws !== ws) return;
    this.closes[code] = (this.closes[code] ?? 0) + 1;
    if (conn.closing || !conn.armed || !this.policy || this.stopped || conn.attempts >= MAX_RECONNECT_ATTEMPTS) return;
    // Full jitter, as the SDK: uniform in [0, min(cap, base · 2^attempt)).
    const delay = Math.random() * Math.min(this.policy.capMs, this.policy.baseMs * 2 ** conn.attempts++);
    // The load balancer routes the reconnect to a live pod: never back to the gateway that dropped us.
    if (conn.attempts === 1) conn.avoid = conn.url;
    setTimeout(() => {
      if (this.stopped) return;
      const others = this.policy.urls.filter((u) => u !== conn.avoid);
      conn.url = others.length ? others[Math.floor(Math.random() * others.length)] : conn.url;
      this.open(conn, true, 10_000).then(
        () => {
          this.reconnects++;
          conn.attempts = 0;
        },
        (err) => (this.connectErrors[errorKey(err)] = (this.connectErrors[errorKey(err)] ?? 0) + 1),
      );
    }, delay);
  }

  /**
   * Connected users whose last seen seq is below what the publisher was
   * answered: { checked, missing, usersBehind, notConnected }. A socket that
   * is not back yet is not counted as loss: it would get the rest on resume.
   */
  verify(expected) {
    let missing = 0;
    let usersBehind = 0;
    let checked = 0;
    let notConnected = 0;
    for (const c of this.conns) {
      const want = expected.get(c.user);
      if (want === undefined) continue;
      if (c.ws?.readyState !== WebSocket.OPEN) {
        notConnected++;
        continue;
      }
      checked++;
      if (c.lastSeq < want) {
        missing += want - c.lastSeq;
        usersBehind++;
      }
    }
    return { checked, missing, usersBehind, notConnected };
  }

  stats() {
    let open = 0;
    let synced = 0;
    for (const c of this.conns) {
      if (c.ws?.readyState === WebSocket.OPEN) open++;
      if (c.synced) synced++;
    }
    const { received, dups, gaps, resyncs, reconnects, closes, connectErrors, firstArrival, lastArrival, lastSyncedAt } = this;
    return { received, dups, gaps, resyncs, reconnects, closes, connectErrors, firstArrival, lastArrival, lastSyncedAt, open, synced, sockets: this.conns.length, hist: encode(this.hist) };
  }

  closeAll() {
    this.stopped = true;
    for (const c of this.conns) {
      c.closing = true;
      c.ws?.terminate();
    }
    const n = this.conns.length;
    this.conns = [];
    return { closed: n };
  }
}
