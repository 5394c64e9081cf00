import type { ApiError, Notification, NotificationPage } from '@herald/contracts';
import { HeraldApiError } from './herald-errors.js';
import type { FetchLike } from './platform.js';

/** Returns the user's current JWT; called before every request, so it may refresh. */
export type TokenSource = () => Promise<string> | string;

/** Query of `GET /v1/notifications`. */
export interface ListOptions {
  /** Page size; the server applies its own default and maximum. */
  limit?: number;
  /** Newest-first paging: the `nextCursor` of the previous page. */
  before?: string | number;
  /** Oldest-first catch-up: only notifications with a larger seq. */
  after?: number;
  /** Only unread notifications. */
  unread?: boolean;
  /** Only this notification type. */
  type?: string;
}

export interface WsTicket {
  ticket: string;
  expiresIn: number;
}

/** Page size of catch-up reads; large enough to be few requests, small enough to be quick. */
export const CATCH_UP_PAGE_SIZE = 100;

/** The user-facing half of the REST API, with the user's own token. */
export class RestClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly getToken: TokenSource,
    private readonly fetch: FetchLike,
    /** Catch-up runs in line with live frames, so a hung request must not stall them. */
    private readonly timeoutMs = 15_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  list(options: ListOptions = {}): Promise<NotificationPage> {
    return this.request<NotificationPage>('GET', '/v1/notifications', {
      limit: options.limit,
      before: options.before,
      after: options.after,
      unread: options.unread,
      type: options.type,
    });
  }

  /**
   * Pages oldest first through every notification with seq > `seq`, until a
   * page reaches `until` or comes back empty. Used for gap fill, resync and
   * polling, which all need "everything after what I have", in order. A short
   * page is not taken as the end: a server that caps `limit` below ours would
   * otherwise make us skip rows for good.
   */
  async *pagesAfter(seq: number, until = Infinity): AsyncGenerator<Notification[]> {
    let cursor = seq;
    for (;;) {
      const page = await this.list({ after: cursor, limit: CATCH_UP_PAGE_SIZE });
      const items = [...page.items].sort((a, b) => a.seq - b.seq);
      const last = items[items.length - 1]?.seq;
      // `last <= cursor` guards against a server that ignores `after`.
      if (last === undefined || last <= cursor) return;
      yield items;
      if (last >= until) return;
      cursor = last;
    }
  }

  async markRead(id: string): Promise<void> {
    await this.request('POST', `/v1/notifications/${encodeURIComponent(id)}/read`);
  }

  async markUnread(id: string): Promise<void> {
    await this.request('POST', `/v1/notifications/${encodeURIComponent(id)}/unread`);
  }

  async markAllRead(): Promise<void> {
    await this.request('POST', '/v1/notifications/read-all');
  }

  async remove(id: string): Promise<void> {
    await this.request('DELETE', `/v1/notifications/${encodeURIComponent(id)}`);
  }

  async unreadCount(): Promise<number> {
    const body = await this.request<{ count: number }>('GET', '/v1/notifications/unread-count');
    return body.count;
  }

  /** A single-use socket ticket, so a browser never puts its JWT in a URL. */
  createTicket(): Promise<WsTicket> {
    return this.request<WsTicket>('POST', '/v1/ws-tickets');
  }

  /**
   * One call with the user's token, the timeout, and failures as
   * HeraldApiError. Public for features with endpoints of their own (topic
   * catch-up, push registration), so those need not grow this class.
   */
  async request<T>(
    method: string,
    path: string,
    query: Record<string, string | number | boolean | undefined> = {},
    /** More request headers (a topic's subscription token, say). */
    headers: Record<string, string> = {},
    /** Sent as JSON. */
    body?: unknown,
  ): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) search.set(key, String(value));
    }
    const qs = search.toString();
    const url = `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
    const token = await this.getToken();
    let response;
    try {
      const json: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
      response = await this.fetch(url, {
        method,
        headers: { ...headers, ...json, Authorization: `Bearer ${token}`, Accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: timeoutSignal(this.timeoutMs),
      });
    } catch (error) {
      throw new HeraldApiError(0, 'network_error', errorMessage(error));
    }
    const text = await response.text();
    if (!response.ok) throw toApiError(response.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function toApiError(status: number, text: string): HeraldApiError {
  let body: Partial<ApiError> = {};
  try {
    body = JSON.parse(text) as Partial<ApiError>;
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall back to the status.
  }
  return new HeraldApiError(
    status,
    body.code ?? `http_${status}`,
    body.message ?? `HTTP ${status}`,
    body.details,
  );
}

/** AbortSignal.timeout where the host has it (all current browsers, Node 18+). */
function timeoutSignal(ms: number): AbortSignal | undefined {
  return typeof AbortSignal !== 'undefined' && 'timeout' in AbortSignal ? AbortSignal.timeout(ms) : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
