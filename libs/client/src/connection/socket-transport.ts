import {
  ClientFrameType,
  CloseCode,
  ServerFrameType,
  TERMINAL_CLOSE_CODES,
  type ClientFrame,
  type ServerFrame,
  type WelcomeFrame,
} from '@herald/contracts';
import type { ResolvedOptions } from '../client-options.js';
import { ConnectionState } from '../connection-state.js';
import { HeraldCloseError, isNetworkError, toError } from '../herald-errors.js';
import { WS_OPEN, type WebSocketLike } from '../platform.js';
import type { RestClient } from '../rest-client.js';
import { Backoff } from './backoff.js';
import { Poller } from './poller.js';
import { socketTarget } from './socket-credentials.js';
import { TokenRefresher } from './token-refresher.js';
import type { Link, Transport, TransportHooks } from './transport.js';

/**
 * Holds one WebSocket at a time and everything about keeping one alive:
 * attempts with credentials fetched per attempt, full-jitter backoff, the
 * connect timeout, what each close code means, the polling fallback after
 * repeated failures, and token refresh on the open socket. It knows nothing
 * of what frames mean: it hands each one to `hooks.frame`.
 */
export class SocketTransport implements Transport {
  private current: ConnectionState = ConnectionState.Closed;
  private socket: WebSocketLike | null = null;
  /** Bumped per socket attempt and on stop(): events of older sockets are ignored. */
  private link: Link = 0;
  private welcomed = false;
  /** Connects in a row that never reached `welcome`. */
  private failures = 0;
  /** One immediate reconnect per 4002; a second in a row backs off instead. */
  private retriedExpired = false;
  private retryTimer: unknown = null;
  private connectTimer: unknown = null;
  /** The JWT the current socket authenticated with, when the SDK chose it. */
  private socketToken: string | null = null;
  private readonly backoff: Backoff;
  private readonly poller: Poller;
  private readonly refresher: TokenRefresher;

  constructor(
    private readonly options: ResolvedOptions,
    /** For socket tickets; the transport makes no other REST call. */
    private readonly rest: RestClient,
    private readonly hooks: TransportHooks,
  ) {
    const o = options;
    this.backoff = new Backoff({ baseMs: o.backoffBaseMs, capMs: o.backoffCapMs, random: o.random });
    this.poller = new Poller(o.pollIntervalMs, o.timers, () => hooks.poll());
    this.refresher = new TokenRefresher({
      getToken: o.getToken,
      sendAuth: (token) => this.send({ type: ClientFrameType.Auth, token }),
      onError: (error) => hooks.error(toError(error)),
      timers: o.timers,
    });
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    if (this.current !== ConnectionState.Closed) return;
    this.failures = 0;
    this.retriedExpired = false;
    this.backoff.reset();
    this.setState(ConnectionState.Connecting);
    void this.openSocket();
  }

  stop(): void {
    this.link++;
    this.clearTimer('retryTimer');
    this.clearTimer('connectTimer');
    this.refresher.stop();
    this.poller.stop();
    const socket = this.socket;
    this.socket = null;
    socket?.close(CloseCode.Normal, 'client closed');
    this.setState(ConnectionState.Closed);
  }

  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== WS_OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  accept(frame: WelcomeFrame, link: Link): boolean {
    if (link !== this.link) return false;
    this.clearTimer('connectTimer');
    this.welcomed = true;
    this.failures = 0;
    this.retriedExpired = false;
    this.backoff.reset();
    this.poller.stop();
    this.hooks.welcome(frame);
    this.setState(ConnectionState.Open);
    const skew = Date.parse(frame.serverTime) - this.options.timers.now();
    void this.startRefresher(link, Number.isFinite(skew) ? skew : 0);
    return true;
  }

  restart(link: Link): void {
    if (link === this.link && this.socket) this.abandonSocket(true);
  }

  private async openSocket(): Promise<void> {
    const link = ++this.link;
    this.welcomed = false;
    let socket: WebSocketLike;
    try {
      const target = await socketTarget(this.options, this.rest, this.hooks.since());
      if (link !== this.link) return;
      const { WebSocket } = this.options;
      socket = target.headers
        ? new WebSocket(target.url, [], { headers: target.headers })
        : new WebSocket(target.url);
      this.socketToken = target.token ?? null;
    } catch (error) {
      // A failed ticket request or a refused URL counts as a failed connect;
      // only answers worth acting on are reported, not the network being down.
      if (link !== this.link) return;
      if (!isNetworkError(error)) this.hooks.error(toError(error));
      // The listener may have closed the client (e.g. on a refused token).
      if (link !== this.link) return;
      return this.retryLater(false);
    }
    this.socket = socket;
    const current = () => link === this.link;
    socket.addEventListener('message', (event) => current() && this.onMessage(event.data, link));
    socket.addEventListener('close', (event) => current() && this.onClose(event.code, event.reason));
    // A close event always follows; the listener also keeps `ws` from throwing.
    socket.addEventListener('error', () => undefined);
    this.connectTimer = this.options.timers.setTimeout(() => {
      this.connectTimer = null;
      if (current() && !this.welcomed) this.abandonSocket(false);
    }, this.options.connectTimeoutMs);
  }

  private onMessage(data: unknown, link: Link): void {
    const frame = parseFrame(data);
    if (!frame) return;
    // The timeout is about the server answering, not about the queue being busy.
    if (frame.type === ServerFrameType.Welcome) this.clearTimer('connectTimer');
    this.hooks.frame(frame, link);
  }

  private onClose(code: number, reason: string): void {
    this.link++;
    this.socket = null;
    this.clearTimer('connectTimer');
    this.refresher.stop();
    if (TERMINAL_CLOSE_CODES.includes(code)) {
      // Closed first, so an error listener may fetch new credentials and connect().
      this.stop();
      return this.hooks.error(new HeraldCloseError(code, reason));
    }
    if (code === CloseCode.TokenExpired && !this.retriedExpired) {
      // Credentials are fetched per attempt, so reconnecting is the refresh.
      this.retriedExpired = true;
      this.setState(this.poller.running ? ConnectionState.Polling : ConnectionState.Reconnecting);
      void this.openSocket();
      return;
    }
    // 1012 (drain) lands in the first, narrowest jitter window like any drop
    // of a healthy socket; everything else backs off as failures accumulate.
    this.retryLater(this.welcomed || code === CloseCode.ServiceRestart);
  }

  /** Schedules the next attempt; `healthy` when the socket had been working. */
  private retryLater(healthy: boolean): void {
    if (healthy) this.backoff.reset();
    if (!this.welcomed) this.failures++;
    this.welcomed = false;
    if (this.failures >= this.options.failuresBeforePolling) this.poller.start();
    this.setState(this.poller.running ? ConnectionState.Polling : ConnectionState.Reconnecting);
    this.clearTimer('retryTimer');
    this.retryTimer = this.options.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.openSocket();
    }, this.backoff.next());
  }

  private abandonSocket(healthy: boolean): void {
    const socket = this.socket;
    this.link++;
    this.socket = null;
    this.refresher.stop();
    socket?.close(CloseCode.Normal, 'reconnecting');
    this.retryLater(healthy);
  }

  private async startRefresher(link: Link, skewMs: number): Promise<void> {
    try {
      // With tickets the SDK never saw the JWT: the app's current one stands in.
      const token = this.socketToken ?? (await this.options.getToken());
      if (link === this.link) this.refresher.start(token, skewMs);
    } catch (error) {
      this.hooks.error(toError(error));
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.hooks.state(state);
  }

  private clearTimer(name: 'retryTimer' | 'connectTimer'): void {
    if (this[name] !== null) this.options.timers.clearTimeout(this[name]);
    this[name] = null;
  }
}

/** A text frame as a frame object, or null: malformed frames are not ours to fix,
 * and the next one may be fine. */
function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  try {
    const frame = JSON.parse(data) as ServerFrame | null;
    return typeof frame === 'object' && frame !== null ? frame : null;
  } catch {
    return null;
  }
}
