import type { BulkAction, ChangeFrame, InboxFilter, Notification, NotificationFrame, NotificationPage } from '@herald/contracts';
import type { RestClient } from '../rest-client.js';

/** A page of a filtered list: newest activity first; pass `nextCursor` back as `before`. */
export interface InboxPageOptions {
  limit?: number;
  before?: string | number;
}

/** `POST /v1/notifications/bulk`: by up to 1,000 ids, or by a filter. */
export type BulkRequest = { action: BulkAction; ids: string[] } | { action: BulkAction; filter: InboxFilter };

const path = (id: string, what: string) => `/v1/notifications/${encodeURIComponent(id)}/${what}`;

/** The inbox routes of the REST API, typed; the Inbox facade adds local state on top. */
export class InboxRest {
  constructor(private readonly rest: RestClient) {}

  list(filter: InboxFilter = {}, page: InboxPageOptions = {}): Promise<NotificationPage> {
    const { tags, ...rest } = filter;
    return this.rest.request<NotificationPage>('GET', '/v1/notifications', {
      ...rest,
      tags: tags?.length ? tags.join(',') : undefined,
      limit: page.limit,
      before: page.before,
    });
  }

  /** The user's stream above `after`, notifications and changes alike, in seq order (a server with inbox states). */
  entries(after: number, limit = 100): Promise<{ entries: (NotificationFrame | ChangeFrame)[]; lastSeq: number }> {
    return this.rest.request('GET', '/v1/notifications/entries', { after, limit });
  }

  /** Several named counts in one call (one per tab), exact at `seq`. */
  counts<K extends string>(filters: Record<K, InboxFilter>): Promise<{ counts: Record<K, number>; seq: number }> {
    return this.rest.request('POST', '/v1/notifications/counts', {}, {}, { filters });
  }

  read(id: string): Promise<Pick<Notification, 'id' | 'readAt'>> {
    return this.rest.request('POST', path(id, 'read'));
  }
  unread(id: string): Promise<Pick<Notification, 'id' | 'readAt'>> {
    return this.rest.request('POST', path(id, 'unread'));
  }
  readAll(): Promise<{ readAt: string }> {
    return this.rest.request('POST', '/v1/notifications/read-all');
  }
  seen(id: string): Promise<Notification> {
    return this.rest.request('POST', path(id, 'seen'));
  }
  archive(id: string): Promise<Notification> {
    return this.rest.request('POST', path(id, 'archive'));
  }
  unarchive(id: string): Promise<Notification> {
    return this.rest.request('POST', path(id, 'unarchive'));
  }
  snooze(id: string, until: Date | string): Promise<Notification> {
    return this.rest.request('POST', path(id, 'snooze'), {}, {}, { until: typeof until === 'string' ? until : until.toISOString() });
  }
  unsnooze(id: string): Promise<Notification> {
    return this.rest.request('POST', path(id, 'unsnooze'));
  }
  /** An action button (its id) or the link (`'link'`) was used; also marks it read. */
  interact(id: string, interaction: string): Promise<Notification> {
    return this.rest.request('POST', path(id, 'interact'), {}, {}, { interaction });
  }
  bulk(request: BulkRequest): Promise<{ changed: number; seq: number }> {
    return this.rest.request('POST', '/v1/notifications/bulk', {}, {}, request);
  }
}
