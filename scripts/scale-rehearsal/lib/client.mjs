// A small reconnecting WebSocket client, one per user, that counts instead of
// deduplicating: every notification must carry exactly the previous seq + 1.
// On 1012/1006/1011/1013/4009 it reconnects through nginx after a full-jitter
// backoff and resumes with ?since=<last seq seen>; anything else stops it.
import WebSocket from 'ws';
import { CloseCode, ServerFrameType, WS_PATH } from './contracts.mjs';

/** 1006 never travels in a frame: ws reports it when the TCP connection just ends. */
const ABNORMAL = 1006;
const RETRY_CODES = new Set([ABNORMAL, CloseCode.InternalError, CloseCode.ServiceRestart, CloseCode.TryAgainLater, CloseCode.SlowConsumer]);

/** The SDK's backoff: full jitter, 500 ms base, 30 s cap. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
/** Failed handshakes in a row before a client gives up (an error in the report). */
const MAX_ATTEMPTS = 20;
const HANDSHAKE_TIMEOUT_MS = 10_000;

const bump = (counts, key) => (counts[key] = (counts[key] ?? 0) + 1);

export class RehearsalClient {
  ws = null;
  /** Highest seq seen; the next must be lastSeq + 1. */
  lastSeq = 0;
  received = 0;
  duplicates = 0;
  gaps = 0;
  /** Server-side closes of welcomed sockets, by close code. */
  closes = {};
  /** Handshakes that ended before a welcome, by close code. */
  failedAttempts = {};
  /** Closes this client asked for (a page reload). */
  churns = 0;
  connects = 0;
  open = false;
  /** Set once the socket is live (after `synced`): frames before it are the resume replay. */
  live = false;
  /** When the server last closed a live socket of this client; cleared once it is live again. */
  offlineSince;
  errors = [];
  stopped = false;
  attempt = 0;
  timer = null;

  /**
   * @param {{ userId: string, token: string, baseUrl: string, secureContext: import('node:tls').SecureContext,
   *   latency: { live: number[], replayed: number[], offline: number[],
   *     offlineSteps: { backoff: number[], upgrade: number[], welcome: number[], resume: number[] } }, onFatal: (c: RehearsalClient, why: string) => void }} o
   */
  constructor(o) {
    Object.assign(this, o);
  }

  /** Opens the first socket; resolves once it is live, rejects if it never gets there. */
  start() {
    return new Promise((resolve, reject) => {
      this.onFirstLive = resolve;
      this.onFirstFail = reject;
      this.connect();
    });
  }

  connect() {
    this.timer = null;
    if (this.stopped) return;
    const url = `${this.baseUrl}${WS_PATH}?since=${this.lastSeq}`;
    const ws = new WebSocket(url, {
      secureContext: this.secureContext, // one for all clients: the generated cert as the only CA
      headers: { Authorization: `Bearer ${this.token}` },
      perMessageDeflate: false,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    this.ws = ws;
    let welcomed = false;
    // Where a reconnect's time goes: backoff, TLS + upgrade (nginx, gateway), welcome (auth, subscribe, state), resume.
    const steps = { connect: Date.now() };
    ws.once('upgrade', () => (steps.upgraded = Date.now()));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === ServerFrameType.Welcome) {
        welcomed = true;
        steps.welcome = Date.now();
        this.open = true;
        this.connects += 1;
        this.attempt = 0;
      } else if (frame.type === ServerFrameType.Synced) {
        this.live = true;
        if (this.offlineSince !== undefined) {
          const now = Date.now();
          this.latency.offline.push(now - this.offlineSince);
          const { backoff, upgrade, welcome, resume } = this.latency.offlineSteps;
          backoff.push(steps.connect - this.offlineSince);
          upgrade.push(steps.upgraded - steps.connect);
          welcome.push(steps.welcome - steps.upgraded);
          resume.push(now - steps.welcome);
        }
        this.offlineSince = undefined;
        this.onFirstLive?.();
        this.onFirstLive = this.onFirstFail = undefined;
      } else if (frame.type === ServerFrameType.Notification) {
        this.count(frame.notification);
      } else if (frame.type === ServerFrameType.ResyncRequired) {
        this.errors.push(`resync_required at ${this.lastSeq} (server last ${frame.lastSeq})`);
      }
    });
    ws.on('error', () => {}); // a 'close' always follows
    ws.on('close', (code) => {
      this.open = false;
      this.live = false;
      if (this.stopped) return;
      if (this.churning) {
        this.churning = false;
        this.churns += 1;
        this.schedule(Math.random() * 200);
        return;
      }
      bump(welcomed ? this.closes : this.failedAttempts, code);
      if (welcomed) this.offlineSince = Date.now();
      if (!RETRY_CODES.has(code)) return this.fatal(`closed with ${code}`);
      this.attempt += 1;
      if (this.attempt > MAX_ATTEMPTS) return this.fatal(`gave up after ${MAX_ATTEMPTS} failed handshakes (last ${code})`);
      this.schedule(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (this.attempt - 1)));
    });
  }

  count(notification) {
    const { seq } = notification;
    if (seq <= this.lastSeq) {
      this.duplicates += 1;
      this.errors.push(`duplicate seq ${seq} after ${this.lastSeq}`);
      return;
    }
    if (seq !== this.lastSeq + 1) {
      this.gaps += 1;
      this.errors.push(`gap: seq ${seq} after ${this.lastSeq}`);
    }
    this.lastSeq = seq;
    this.received += 1;
    const ms = Date.now() - Date.parse(notification.createdAt);
    (this.live ? this.latency.live : this.latency.replayed).push(ms);
  }

  schedule(ms) {
    this.timer = setTimeout(() => this.connect(), ms);
  }

  /** A page reload: close normally, come back with since. Only while live. */
  churn() {
    if (!this.live || this.stopped) return false;
    this.churning = true;
    this.ws.close(CloseCode.Normal, 'page reload');
    return true;
  }

  fatal(why) {
    this.errors.push(why);
    this.stopped = true;
    this.onFirstFail?.(new Error(`${this.userId}: ${why}`));
    this.onFirstLive = this.onFirstFail = undefined;
    this.onFatal?.(this, why);
  }

  /** Closes for good, no reconnect. */
  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ws?.terminate();
  }

  get reconnects() {
    return Object.values(this.closes).reduce((a, b) => a + b, 0);
  }
}
