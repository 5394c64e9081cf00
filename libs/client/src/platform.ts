/*
 * The few host APIs the SDK touches, typed structurally so the browser's
 * globals and Node's (`ws`, undici fetch) both fit without the DOM lib and
 * without importing anything Node-only.
 */

export interface MessageEventLike {
  data: unknown;
}
export interface CloseEventLike {
  code: number;
  reason: string;
}

/** The parts of a WebSocket the SDK uses. `addEventListener` (not `on*`
 * properties) because method parameters let both the DOM and `ws` types fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  addEventListener(type: 'close', listener: (event: CloseEventLike) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

/** `globalThis.WebSocket` in browsers, `WebSocket` from `ws` in Node. The
 * third argument is only used with `socketAuth: 'header'` (a `ws` feature). */
export interface WebSocketConstructor {
  new (
    url: string,
    protocols?: string | string[],
    options?: { headers?: Record<string, string> },
  ): WebSocketLike;
}

/** `readyState` of an open socket, the same in every implementation. */
export const WS_OPEN = 1;

export interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}
export interface RequestInitLike {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}
export type FetchLike = (url: string, init?: RequestInitLike) => Promise<ResponseLike>;

/** Clock and timers, injectable so tests run without waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/** Looks the globals up on every call, so fake timers installed later apply. */
export const globalTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
  now: () => Date.now(),
};

/** setTimeout fires at once for delays above 2^31-1 ms; clamp to stay sane. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function globalWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
}

export function globalFetch(): FetchLike | undefined {
  const fetch = (globalThis as { fetch?: FetchLike }).fetch;
  // Bound, because browsers throw "Illegal invocation" on a detached fetch.
  return fetch?.bind(globalThis);
}
