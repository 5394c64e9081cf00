import { CLIENT_STATS_REPORT_INTERVAL_SECONDS } from '@herald/contracts';
import { DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_CAP_MS } from './connection/backoff.js';
import {
  globalFetch,
  globalTimers,
  globalWebSocket,
  type FetchLike,
  type Timers,
  type WebSocketConstructor,
} from './platform.js';
import type { TokenSource } from './rest-client.js';
import { defaultWsUrl } from './connection/socket-url.js';
import { globalTabPlatform, type TabPlatform } from './tabs/tab-platform.js';

/**
 * How the socket presents credentials:
 * - `ticket`: `?ticket=` from `getTicket`, or from `POST /v1/ws-tickets` when
 *   no `getTicket` is given. The browser way: no JWT in a URL.
 * - `header`: `Authorization: Bearer`. Node with `ws` only; browsers cannot.
 * - `query`: `?token=`. Compatibility; the server masks it in logs.
 */
export type SocketAuth = 'ticket' | 'header' | 'query';

export interface HeraldClientOptions {
  /** Base http(s) URL of the api, e.g. `http://localhost:3000`. */
  url: string;
  /** Socket endpoint. @default `url` with a ws(s) scheme and `/ws` appended */
  wsUrl?: string;
  /** The user's JWT, for REST calls and (unless tickets are used) the socket.
   * Called before each request and socket open, so it may refresh. */
  getToken: TokenSource;
  /** A fresh single-use ticket; called before each socket open. */
  getTicket?: () => Promise<string> | string;
  /** @default 'ticket' when `getTicket` is given, else 'query' */
  socketAuth?: SocketAuth;
  /** @default globalThis.WebSocket (Node: pass `WebSocket` from `ws`) */
  WebSocket?: WebSocketConstructor;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** REST polling period while the socket is down. @default 5000 */
  pollIntervalMs?: number;
  /** Connects in a row that never reach `welcome` before polling starts. @default 3 */
  failuresBeforePolling?: number;
  /** A socket that has not said `welcome` by then counts as failed. @default 10000 */
  connectTimeoutMs?: number;
  /** A REST request with no answer by then fails as a network error. @default 15000 */
  requestTimeoutMs?: number;
  /** Ask for the newest N notifications in `welcome` (0–50), first connect only. */
  recent?: number;
  /** Resume from this seq (e.g. saved by a previous page load). @default none */
  since?: number;
  /** How many recent notification ids to remember for dedupe. @default 1000 */
  dedupeCapacity?: number;
  /** @default 500 */
  backoffBaseMs?: number;
  /** @default 30000 */
  backoffCapMs?: number;
  /** How often reconnect and polling-fallback counts go to `POST /v1/client-stats`
   * (only when there are any); 0 turns it off. @default 60000 */
  statsIntervalMs?: number;
  /** `inbox.markSeen()` sends what was shown at most this often, in one request. @default 500 */
  seenBatchMs?: number;
  /** @default Math.random */
  random?: () => number;
  /** @default the global setTimeout/clearTimeout and Date.now */
  timers?: Timers;
  /**
   * One socket per browser: tabs of this origin signed in as the same user
   * share the socket of one leader tab (Web Locks + BroadcastChannel).
   * `false` keeps a socket per tab.
   * @default the host's `navigator.locks` and `BroadcastChannel`; none in Node or old browsers (a socket per client)
   */
  tabs?: TabPlatform | false;
}

export type ResolvedOptions = Required<
  Omit<HeraldClientOptions, 'getTicket' | 'recent' | 'since' | 'tabs'>
> &
  Pick<HeraldClientOptions, 'getTicket' | 'recent' | 'since'> & { tabs: TabPlatform | null };

export function resolveOptions(options: HeraldClientOptions): ResolvedOptions {
  const WebSocket = options.WebSocket ?? globalWebSocket();
  const fetch = options.fetch ?? globalFetch();
  if (!WebSocket) throw new TypeError('HeraldClient: no global WebSocket; pass the `ws` one');
  if (!fetch) throw new TypeError('HeraldClient: no global fetch; pass one');
  return {
    ...options,
    wsUrl: options.wsUrl ?? defaultWsUrl(options.url),
    socketAuth: options.socketAuth ?? (options.getTicket ? 'ticket' : 'query'),
    WebSocket,
    fetch,
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    failuresBeforePolling: options.failuresBeforePolling ?? 3,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    dedupeCapacity: options.dedupeCapacity ?? 1000,
    backoffBaseMs: options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
    backoffCapMs: options.backoffCapMs ?? DEFAULT_BACKOFF_CAP_MS,
    statsIntervalMs: options.statsIntervalMs ?? CLIENT_STATS_REPORT_INTERVAL_SECONDS * 1000,
    seenBatchMs: options.seenBatchMs ?? 500,
    random: options.random ?? Math.random,
    timers: options.timers ?? globalTimers,
    tabs: options.tabs === false ? null : (options.tabs ?? globalTabPlatform()),
  };
}
