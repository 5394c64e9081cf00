import { WS_PATH } from '@herald/contracts';

/** `http://host:3000/base` → `ws://host:3000/base/ws`; https becomes wss. */
export function defaultWsUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${WS_PATH}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** Query parameters of one socket attempt. */
export interface SocketQuery {
  ticket?: string;
  token?: string;
  since?: number | null;
  recent?: number;
}

export function socketUrl(wsUrl: string, query: SocketQuery): string {
  const url = new URL(wsUrl);
  if (query.ticket !== undefined) url.searchParams.set('ticket', query.ticket);
  if (query.token !== undefined) url.searchParams.set('token', query.token);
  if (query.since !== undefined && query.since !== null) {
    url.searchParams.set('since', String(query.since));
  }
  if (query.recent !== undefined) url.searchParams.set('recent', String(query.recent));
  return url.toString();
}
