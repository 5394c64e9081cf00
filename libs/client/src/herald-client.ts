import {
  ClientFrameType,
  CloseCode,
  ServerFrameType,
  TERMINAL_CLOSE_CODES,
  type ClientFrame,
  type NotificationPage,
  type ServerFrame,
  type WelcomeFrame,
} from '@herald/contracts';
import { Backoff } from './connection/backoff.js';
import { resolveOptions, type HeraldClientOptions, type ResolvedOptions } from './client-options.js';
import { ConnectionState } from './connection-state.js';
import { HeraldCloseError, HeraldFrameError, isNetworkError, toError } from './herald-errors.js';
import type { HeraldEvents } from './herald-events.js';
import { InboxSync } from './inbox/inbox-sync.js';
import { WS_OPEN, type WebSocketLike } from './platform.js';
import { Poller } from './connection/poller.js';
import { RestClient, type ListOptions } from './rest-client.js';
import { socketTarget } from './connection/socket-credentials.js';
import { TokenRefresher } from './connection/token-refresher.js';
import { TypedEmitter } from './typed-emitter.js';

/**
 * The Herald SDK: one live socket per client with resume, gap fill,
 * dedupe, backoff, a polling fallback and token refresh, plus the inbox REST
 * calls. Works in browsers and in Node (pass `WebSocket` from `ws`).
 */
export class HeraldClient extends TypedEmitter<HeraldEvents> {
  private readonly options: ResolvedOptions;
  private readonly rest: RestClient;
  private readonly sync: InboxSync;
  private readonly backoff: Backoff;
  private readonly poller: Poller;
  private readonly refresher: TokenRefresher;
  private current: ConnectionState = ConnectionState.Closed;
  private socket: WebSocketLike | null = null;
  /** Bumped per socket attempt and on close(): events of older sockets are ignored. */
  private generation = 0;
  private welcomed = false;
  /** Connects in a row that never reached `welcome`. */
  private failures = 0;
  /** One immediate reconnect per 4002; a second in a row backs off instead. */
  private retriedExpired = false;
  private retryTimer: unknown = null;
  private connectTimer: unknown = null;
  /** The JWT the current socket authenticated with, when the SDK chose it. */
  private socketToken: string | null = null;

  constructor(options: HeraldClientOptions) {
    super();
    const o = (this.options = resolveOptions(options));
    this.rest = new RestClient(o.url, o.getToken, o.fetch, o.requestTimeoutMs);
    const emit: TypedEmitter<HeraldEvents>['emit'] = (event, value) => this.emit(event, value);
    this.sync = new InboxSync(this.rest, emit, o.dedupeCapacity, o.since ?? null);
    this.backoff = new Backoff({ baseMs: o.backoffBaseMs, capMs: o.backoffCapMs, random: o.random });
    this.poller = new Poller(o.pollIntervalMs, o.timers, () => this.sync.enqueue(() => this.sync.poll()));
    this.refresher = new TokenRefresher({
      getToken: o.getToken,
      sendAuth: (token) => this.send({ type: ClientFrameType.Auth, token }),
      onError: (error) => this.emit('error', toError(error)),
      timers: o.timers,
    });
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The last seq emitted; save it and pass it back as `since` to resume later. */
  get lastSeq(): number | null {
    return this.sync.lastSeq;
  }

  /** Opens the socket; a no-op while already started. */
  connect(): void {
    if (this.current !== ConnectionState.Closed) return;
    this.sync.active = true;
    this.failures = 0;
    this.retriedExpired = false;
    this.backoff.reset();
    this.setState(ConnectionState.Connecting);
    void this.openSocket();
  }

  /** Closes the socket and stops retrying and polling; `connect()` resumes later. */
  close(): void {
    this.shutdown();
  }

  /** Sends an app-level `ping`; the answer arrives as a `pong` event. */
  ping(): boolean {
    return this.send({ type: ClientFrameType.Ping });
  }

  list(options?: ListOptions): Promise<NotificationPage> {
    return this.rest.list(options);
  }
  markRead(id: string): Promise<void> {
    return this.rest.markRead(id);
  }
  markUnread(id: string): Promise<void> {
    return this.rest.markUnread(id);
  }
  markAllRead(): Promise<void> {
    return this.rest.markAllRead();
  }
  remove(id: string): Promise<void> {
    return this.rest.remove(id);
  }
  unreadCount(): Promise<number> {
    return this.rest.unreadCount();
  }

  private async openSocket(): Promise<void> {
    const generation = ++this.generation;
    this.welcomed = false;
    let socket: WebSocketLike;
    try {
      const target = await socketTarget(this.options, this.rest, this.sync.lastSeq);
      if (generation !== this.generation) return;
      const { WebSocket } = this.options;
      socket = target.headers
        ? new WebSocket(target.url, [], { headers: target.headers })
        : new WebSocket(target.url);
      this.socketToken = target.token ?? null;
    } catch (error) {
      // A failed ticket request or a refused URL counts as a failed connect;
      // only answers worth acting on are reported, not the network being down.
      if (generation !== this.generation) return;
      if (!isNetworkError(error)) this.emit('error', toError(error));
      // The listener may have closed the client (e.g. on a refused token).
      if (generation !== this.generation) return;
      return this.retryLater(false);
    }
    this.socket = socket;
    const current = () => generation === this.generation;
    socket.addEventListener('message', (event) => current() && this.onMessage(event.data));
    socket.addEventListener('close', (event) => current() && this.onClose(event.code, event.reason));
    // A close event always follows; the listener also keeps `ws` from throwing.
    socket.addEventListener('error', () => undefined);
    this.connectTimer = this.options.timers.setTimeout(() => {
      this.connectTimer = null;
      if (current() && !this.welcomed) this.abandonSocket(false);
    }, this.options.connectTimeoutMs);
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame | null;
    try {
      frame = JSON.parse(data) as ServerFrame | null;
    } catch {
      return; // Not ours to fix; the next frame may be fine.
    }
    if (typeof frame !== 'object' || frame === null) return;
    // The timeout is about the server answering, not about our queue being busy.
    if (frame.type === ServerFrameType.Welcome) this.clearTimer('connectTimer');
    const generation = this.generation;
    void this.sync.enqueue(() => this.handleFrame(frame, generation));
  }

  private async handleFrame(frame: ServerFrame, generation: number): Promise<void> {
    switch (frame.type) {
      case ServerFrameType.Welcome:
        return this.onWelcome(frame, generation);
      case ServerFrameType.Notification:
        if (!(await this.sync.deliver(frame.notification))) this.restart(generation);
        return;
      case ServerFrameType.ResyncRequired:
        if (!(await this.sync.resync(frame.lastSeq))) this.restart(generation);
        return;
      case ServerFrameType.Synced:
        return this.sync.synced(frame.seq);
      case ServerFrameType.NotificationUpdated:
        return this.emit('updated', { id: frame.id, readAt: frame.readAt });
      case ServerFrameType.NotificationDeleted:
        return this.emit('deleted', { id: frame.id });
      case ServerFrameType.ReadAll:
        return this.emit('readAll', { readAt: frame.readAt });
      case ServerFrameType.Unread:
        return this.sync.setUnread(frame.count);
      case ServerFrameType.Broadcast:
        return this.emit('broadcast', frame.broadcast);
      case ServerFrameType.Pong:
        return this.emit('pong', frame.ts);
      case ServerFrameType.Error:
        return this.emit('error', new HeraldFrameError(frame.code, frame.message));
      // Unknown types are ignored: newer servers may add frames.
    }
  }

  private onWelcome(frame: WelcomeFrame, generation: number): void {
    if (generation !== this.generation) return;
    this.clearTimer('connectTimer');
    this.welcomed = true;
    this.failures = 0;
    this.retriedExpired = false;
    this.backoff.reset();
    this.poller.stop();
    this.sync.welcome(frame);
    this.setState(ConnectionState.Open);
    const { connectionId, userId, lastSeq, unreadCount, serverTime, recent = [] } = frame;
    this.emit('welcome', { connectionId, userId, lastSeq, unreadCount, serverTime, recent });
    const skew = Date.parse(serverTime) - this.options.timers.now();
    void this.startRefresher(generation, Number.isFinite(skew) ? skew : 0);
  }

  private async startRefresher(generation: number, skewMs: number): Promise<void> {
    try {
      // With tickets the SDK never saw the JWT: the app's current one stands in.
      const token = this.socketToken ?? (await this.options.getToken());
      if (generation === this.generation) this.refresher.start(token, skewMs);
    } catch (error) {
      this.emit('error', toError(error));
    }
  }

  private onClose(code: number, reason: string): void {
    this.generation++;
    this.socket = null;
    this.clearTimer('connectTimer');
    this.refresher.stop();
    if (TERMINAL_CLOSE_CODES.includes(code)) {
      // Closed first, so an error listener may fetch new credentials and connect().
      this.shutdown();
      return this.emit('error', new HeraldCloseError(code, reason));
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

  /** Gap fill failed on this socket: reconnect, and `since` makes the server replay. */
  private restart(generation: number): void {
    if (generation === this.generation && this.socket) this.abandonSocket(true);
  }

  private abandonSocket(healthy: boolean): void {
    const socket = this.socket;
    this.generation++;
    this.socket = null;
    this.refresher.stop();
    socket?.close(CloseCode.Normal, 'reconnecting');
    this.retryLater(healthy);
  }

  private shutdown(): void {
    this.generation++;
    this.sync.active = false;
    this.clearTimer('retryTimer');
    this.clearTimer('connectTimer');
    this.refresher.stop();
    this.poller.stop();
    const socket = this.socket;
    this.socket = null;
    socket?.close(CloseCode.Normal, 'client closed');
    this.setState(ConnectionState.Closed);
  }

  private send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== WS_OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }

  private clearTimer(name: 'retryTimer' | 'connectTimer'): void {
    if (this[name] !== null) this.options.timers.clearTimeout(this[name]);
    this[name] = null;
  }
}
