import type { ResolvedOptions } from '../client-options.js';
import type { RestClient } from '../rest-client.js';
import { socketUrl } from './socket-url.js';

/** Everything needed to open one socket. */
export interface SocketTarget {
  url: string;
  /** Headers for `ws` (socketAuth `header`). */
  headers?: Record<string, string>;
  /** The JWT the socket authenticates with, when the SDK knows it. */
  token?: string;
}

/**
 * Fetches credentials for one socket attempt. Called before every attempt,
 * because tickets are single-use and tokens expire (a 4002 close is answered
 * by simply asking again).
 */
export async function socketTarget(
  options: ResolvedOptions,
  rest: RestClient,
  since: number | null,
): Promise<SocketTarget> {
  // `recent` is initial state: a resuming client already has it.
  const base = { since, recent: since === null ? options.recent : undefined };
  switch (options.socketAuth) {
    case 'ticket': {
      const ticket = options.getTicket
        ? await options.getTicket()
        : (await rest.createTicket()).ticket;
      return { url: socketUrl(options.wsUrl, { ...base, ticket }) };
    }
    case 'header': {
      const token = await options.getToken();
      const headers = { Authorization: `Bearer ${token}` };
      return { url: socketUrl(options.wsUrl, base), headers, token };
    }
    case 'query': {
      const token = await options.getToken();
      return { url: socketUrl(options.wsUrl, { ...base, token }), token };
    }
  }
}
