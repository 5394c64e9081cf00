import type { ChangeFrame, Notification, NotificationFrame, TopicEvent } from '@herald/contracts';
import type { FetchLike, RequestInitLike, ResponseLike } from '../src/platform.js';

export function makeNotification(seq: number, overrides: Partial<Notification> = {}): Notification {
  return {
    id: `n-${seq}`,
    seq,
    userId: 'alice',
    type: 'test',
    title: `#${seq}`,
    body: null,
    severity: 'info',
    data: null,
    link: null,
    createdAt: new Date(0).toISOString(),
    readAt: null,
    expiresAt: null,
    ...overrides,
  };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** The JSON body, parsed. */
  body?: unknown;
}

/**
 * An in-memory Herald api behind a fetch function: enough of the REST API for the
 * SDK (list after/before, unread-count, tickets, read/delete). `failNext`
 * makes the next calls reject as a network error would.
 */
export class FakeRest {
  readonly requests: RecordedRequest[] = [];
  inbox: Notification[] = [];
  unread = 0;
  /** The stream `GET /v1/notifications/entries` pages (a server with inbox states). */
  entries: (NotificationFrame | ChangeFrame)[] = [];
  /** What `POST /v1/notifications/counts` answers per filter name. */
  counts: Record<string, number> = {};
  failNext = 0;
  /** The largest page the fake api serves, like a server-side cap on `limit`. */
  maxLimit = 100;
  /** When set, a request waits for this promise before it is answered. */
  gate: Promise<void> | null = null;
  /** Stored topic events (the history left after any trimming), and each topic's or pattern's newest position. */
  topicEvents: TopicEvent[] = [];
  topicLastSeq = new Map<string, number>();
  private tickets = 0;

  readonly fetch: FetchLike = async (url: string, init: RequestInitLike = {}) => {
    const parsed = new URL(url);
    const request = {
      method: init.method ?? 'GET',
      path: parsed.pathname,
      query: parsed.searchParams,
      headers: init.headers ?? {},
      body: init.body === undefined ? undefined : (JSON.parse(init.body) as unknown),
    };
    this.requests.push(request);
    if (this.gate) await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new TypeError('fetch failed');
    }
    return this.answer(request);
  };

  /** Requests for a path, e.g. `/v1/notifications`. */
  calls(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private answer({ method, path, query, body }: RecordedRequest): ResponseLike {
    if (method === 'POST' && path === '/v1/notifications/counts') {
      const names = Object.keys((body as { filters: object }).filters);
      return json(200, { counts: Object.fromEntries(names.map((name) => [name, this.counts[name] ?? 0])), seq: 0 });
    }
    if (method === 'POST' && path === '/v1/notifications/bulk') return json(200, { changed: 0, seq: 0 });
    if (method === 'GET' && path === '/v1/notifications/entries') {
      const after = Number(query.get('after'));
      const page = this.entries.filter((e) => (e.type === 'notification' ? e.notification.seq : e.seq) > after).slice(0, Number(query.get('limit') ?? 100));
      return json(200, { entries: page, lastSeq: after + page.length });
    }
    if (method === 'GET' && path === '/v1/notifications') return json(200, this.page(query));
    if (path === '/v1/notifications/unread-count') return json(200, { count: this.unread });
    if (path === '/v1/ws-tickets') return json(201, { ticket: `t${++this.tickets}`, expiresIn: 60 });
    const topic = /^\/v1\/topics\/([^/]+)\/events$/.exec(path);
    if (method === 'GET' && topic) return json(200, this.topicPage(decodeURIComponent(topic[1]), query));
    if (path.endsWith('/read') || path.endsWith('/unread') || method === 'DELETE') {
      const id = decodeURIComponent(path.split('/')[3] ?? '');
      if (!this.inbox.some((n) => n.id === id)) {
        return json(404, { statusCode: 404, error: 'Not Found', code: 'not_found', message: 'no such notification' });
      }
      return json(204, undefined);
    }
    return json(204, undefined);
  }

  private page(query: URLSearchParams) {
    const limit = Math.min(this.maxLimit, Number(query.get('limit') ?? 50));
    const after = query.get('after');
    if (after !== null) {
      const items = this.inbox.filter((n) => n.seq > Number(after)).sort((a, b) => a.seq - b.seq);
      return { items: items.slice(0, limit), nextCursor: null };
    }
    const items = [...this.inbox].sort((a, b) => b.seq - a.seq).slice(0, limit);
    return { items, nextCursor: null };
  }

  /** `GET /v1/topics/{name}/events`: by seq, or by nsSeq for an `ns:*` pattern. */
  private topicPage(name: string, query: URLSearchParams) {
    const pattern = name.endsWith(':*');
    const position = (e: TopicEvent) => (pattern ? e.nsSeq : e.seq) ?? 0;
    const mine = this.topicEvents.filter((e) => (pattern ? e.topic.startsWith(name.slice(0, -1)) : e.topic === name));
    const limit = Math.min(this.maxLimit, Number(query.get('limit') ?? 100));
    const items = mine.filter((e) => position(e) > Number(query.get('after') ?? 0)).sort((a, b) => position(a) - position(b)).slice(0, limit);
    return { items, nextCursor: items.length === limit ? String(position(items[items.length - 1])) : null, lastSeq: this.topicLastSeq.get(name) ?? 0 };
  }
}

/** A topic event as the server sends it. */
export function makeTopicEvent(topic: string, seq: number | null, extra: Partial<TopicEvent> = {}): TopicEvent {
  return { topic, seq, type: 'test', data: { seq }, createdAt: new Date(0).toISOString(), ...extra };
}

function json(status: number, body: unknown): ResponseLike {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: async () => (body === undefined ? '' : JSON.stringify(body)),
  };
}

/** An unsigned JWT carrying only the time claims; the SDK never verifies. */
export function fakeJwt(claims: { exp?: number; iat?: number; sub?: string }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: 'alice', ...claims })}.sig`;
}

/** Lets every resolved promise chain run (setImmediate is left unfaked). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
