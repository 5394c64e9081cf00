import { Inject, Injectable } from '@nestjs/common';
import {
  COUNTED_STATES, MAX_COUNT_FILTERS, type InboxCounts, type InboxFilter, type Notification, type NotificationPage,
} from '@herald/contracts';
import { NotificationReader, type StreamEntry } from '@herald/database';
import { ValidationError } from '@herald/errors';
import { parseInboxFilter } from './inbox-filter.parse.js';
import type { ListNotificationsQuery } from './list-notifications.query.js';

const DEFAULT_LIMIT = 20;
const DEFAULT_ENTRIES = 100;

/**
 * A user's own inbox, read side: lists with filters, counts per tab, and
 * the stream's entries over REST. Rows of other users are invisible: every
 * call names the user. The writes are InboxChangesService's.
 */
@Injectable()
export class InboxService {
  constructor(@Inject(NotificationReader) private readonly reader: NotificationReader) {}

  async list(userId: string, q: ListNotificationsQuery): Promise<NotificationPage> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    if (q.after !== undefined) {
      const items = await this.reader.after(userId, q.after, limit);
      return { items, nextCursor: items.length === limit ? String(items[items.length - 1].seq) : null };
    }
    const filter = parseInboxFilter(
      { state: q.state ?? (q.unread ? 'unread' : undefined), category: q.category, tags: q.tags, tagsMatch: q.tagsMatch,
        type: q.type, severity: q.severity, from: q.from, to: q.to },
      '',
    );
    const items = await this.reader.list(userId, { limit, before: q.before, filter });
    return { items, nextCursor: items.length === limit ? String(activityOf(items[items.length - 1])) : null };
  }

  async unreadCount(userId: string): Promise<number> {
    return (await this.reader.userState(userId)).unreadCount;
  }

  /**
   * One count per named filter. A filter that is only a counted state (the
   * default tabs) is the user's counter, read once for all of them; any
   * other is a count over the rows. `seq` is where the counters are exact.
   */
  async counts(userId: string, raw: Record<string, unknown>): Promise<{ counts: Record<string, number>; seq: number }> {
    const names = Object.keys(raw);
    if (names.length < 1 || names.length > MAX_COUNT_FILTERS) throw ValidationError.field('filters', `must name 1-${MAX_COUNT_FILTERS} filters`);
    const filters = names.map((name): [string, InboxFilter] => {
      if (name.length < 1 || name.length > 64) throw ValidationError.field('filters', 'names must be 1-64 characters');
      return [name, parseInboxFilter(raw[name], `filters.${name}`)];
    });
    const state = await this.reader.userState(userId);
    const counts: Record<string, number> = {};
    await Promise.all(filters.map(async ([name, f]) => {
      counts[name] = counterOf(f, state.counts) ?? (await this.reader.count(userId, f));
    }));
    return { counts, seq: state.lastSeq };
  }

  /** The user's stream above `after` over REST (polling, or a gap a client fills itself): notifications and changes in order. */
  async entries(userId: string, after: number, limit = DEFAULT_ENTRIES): Promise<{ entries: StreamEntry[]; lastSeq: number }> {
    const [entries, state] = await Promise.all([this.reader.entriesAfter(userId, after, limit), this.reader.userState(userId)]);
    return { entries, lastSeq: state.lastSeq };
  }
}

const activityOf = (n: Notification) => n.activitySeq ?? n.seq;

/** The counter that answers `f`, when `f` is nothing but a counted state. */
function counterOf(f: InboxFilter, counts: InboxCounts): number | undefined {
  const keys = Object.keys(f);
  const state = f.state ?? 'inbox';
  if (keys.some((k) => k !== 'state')) return undefined;
  return (COUNTED_STATES as readonly string[]).includes(state) ? counts[state as keyof InboxCounts] : undefined;
}
