// POSTs /v1/notifications (through nginx over https, or straight to an api
// over http: the soak) at a steady rate, each to one random user, and counts
// the 201s per user: the "sent" side of the check.
// Each POST carries its own Idempotency-Key and is retried with the same key
// on a network error, 429 or 5xx, so a retry can never make a second row.
import http from 'node:http';
import https from 'node:https';
import { sleep } from '../../harness/wait.mjs';

const TICK_MS = 20;
/** POSTs waiting for an answer at once; past it the publisher falls behind (reported). */
const MAX_IN_FLIGHT = 256;
const ATTEMPTS = 6;
const REQUEST_TIMEOUT_MS = 10_000;

export class Publisher {
  sent = new Map();
  issued = 0;
  created = 0;
  retries = 0;
  /** Why attempts failed (error code or HTTP status), retried or not. */
  attemptFailures = {};
  /** POSTs that never got a 201: unknown whether a row exists. */
  failed = [];
  inFlight = 0;
  /** Round trip of each POST answered 201, retries included (ms). */
  latencies = [];
  maxInFlight = 0;
  running = false;
  pending = new Set();

  /**
   * @param {{ baseUrl: string, ca?: Buffer, token: string, users: string[], ratePerSecond: number, runId: string, maxSockets?: number }} o
   *   ca: https only; maxSockets: kept-alive connections to the server (default 64; the soak keeps fewer, so the
   *   api's descriptor count does not swing with the load generator's pool)
   */
  constructor(o) {
    Object.assign(this, o);
    const { hostname, port, protocol } = new URL(o.baseUrl);
    this.target = { host: hostname, port: Number(port) };
    this.transport = protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 64, ...(o.ca ? { ca: o.ca } : {}) });
  }

  /** Publishes until stop(); every iteration is bounded by `maxMs`. */
  start(maxMs) {
    this.running = true;
    this.loop = this.run(maxMs);
  }

  async run(maxMs) {
    const t0 = performance.now();
    const maxTicks = Math.ceil(maxMs / TICK_MS) + 1;
    for (let tick = 0; this.running && tick < maxTicks; tick++) {
      const due = Math.floor(((performance.now() - t0) / 1000) * this.ratePerSecond);
      while (this.issued < due && this.inFlight < MAX_IN_FLIGHT) this.fire();
      await sleep(TICK_MS);
    }
    this.running = false;
  }

  /** Stops issuing and waits for every POST in flight (each is time-bounded). */
  async stop() {
    this.running = false;
    await this.loop;
    await Promise.all([...this.pending]);
    this.agent.destroy();
  }

  fire() {
    const n = this.issued++;
    const userId = this.users[Math.floor(Math.random() * this.users.length)];
    const body = JSON.stringify({ recipients: [userId], type: 'rehearsal', title: `post ${n}` });
    const key = `${this.runId}-${n}`;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const done = this.post(userId, body, key).finally(() => {
      this.inFlight -= 1;
      this.pending.delete(done);
    });
    this.pending.add(done);
  }

  async post(userId, body, key) {
    let last = '';
    const started = performance.now();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt) {
        this.retries += 1;
        await sleep(100 * 2 ** attempt);
      }
      try {
        const res = await this.send(body, key);
        if (res.status === 201) {
          this.latencies.push(Math.round(performance.now() - started));
          this.created += 1;
          this.sent.set(userId, (this.sent.get(userId) ?? 0) + 1);
          return;
        }
        last = `HTTP ${res.status} ${res.body.slice(0, 200)}`;
        this.noteFailure(`HTTP ${res.status}`);
        if (res.status !== 429 && res.status < 500) break;
      } catch (error) {
        last = error.message;
        this.noteFailure(error.code ?? error.message);
      }
    }
    this.failed.push({ userId, key, error: last });
  }

  noteFailure(reason) {
    this.attemptFailures[reason] = (this.attemptFailures[reason] ?? 0) + 1;
  }

  send(body, key) {
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        {
          ...this.target,
          path: '/v1/notifications',
          method: 'POST',
          agent: this.agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            Authorization: `Bearer ${this.token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            'Idempotency-Key': key,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode, body: text }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('POST timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
}
