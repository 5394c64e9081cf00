import { Inject, Injectable } from '@nestjs/common';
import { ServerFrameType, type Notification, type NotificationPage, type ServerFrame } from '@herald/contracts';
import { Database, InboxRepository, NotificationReader } from '@herald/database';
import { NotFoundError } from '@herald/errors';
import { UserFramePublisher } from '../publishing/user-frame.publisher.js';
import { InboxReads } from './inbox-reads.js';
import type { ListNotificationsQuery } from './list-notifications.query.js';

const DEFAULT_LIMIT = 20;

/**
 * A user's own inbox. Each change is one transaction through InboxRepository
 * (which locks the user's row, so unread_count stays exact under any mix of
 * concurrent writes); once it commits, the change is pushed to the user's
 * other sockets. Rows of other users are invisible: every call names the user.
 */
@Injectable()
export class InboxService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(NotificationReader) private readonly reader: NotificationReader,
    @Inject(UserFramePublisher) private readonly publisher: UserFramePublisher,
    @Inject(InboxReads) private readonly reads: InboxReads,
  ) {}

  async list(userId: string, q: ListNotificationsQuery): Promise<NotificationPage> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    // `after` is how a client catches up (polling fallback): on the primary, so nothing is skipped.
    const items = q.after !== undefined
      ? await this.reader.after(userId, q.after, limit)
      : await this.reads.read(userId, (r) => r.list(userId, { limit, before: q.before, unread: q.unread, type: q.type }));
    return { items, nextCursor: nextCursor(items, limit) };
  }

  async unreadCount(userId: string): Promise<number> {
    return (await this.reads.read(userId, (r) => r.userState(userId))).unreadCount;
  }

  async setRead(userId: string, id: string, read: boolean): Promise<{ id: string; readAt: string | null }> {
    const outcome = await this.db.transaction(async (tx) => (await this.inbox.setRead(tx, userId, id, read)) ?? notFound());
    await this.reads.wrote(userId);
    if (outcome.unreadCount !== undefined) {
      await this.push(userId, [
        { type: ServerFrameType.NotificationUpdated, id, readAt: outcome.readAt },
        { type: ServerFrameType.Unread, count: outcome.unreadCount },
      ]);
    }
    return { id, readAt: outcome.readAt };
  }

  async readAll(userId: string): Promise<{ readAt: string; updated: number }> {
    const outcome = await this.db.transaction((tx) => this.inbox.markAllRead(tx, userId));
    await this.reads.wrote(userId);
    await this.push(userId, [
      { type: ServerFrameType.ReadAll, readAt: outcome.readAt },
      { type: ServerFrameType.Unread, count: 0 },
    ]);
    return outcome;
  }

  async remove(userId: string, id: string): Promise<void> {
    const outcome = await this.db.transaction(async (tx) => (await this.inbox.remove(tx, userId, id)) ?? notFound());
    await this.reads.wrote(userId);
    const frames: ServerFrame[] = [{ type: ServerFrameType.NotificationDeleted, id }];
    if (outcome.unreadCount !== undefined) frames.push({ type: ServerFrameType.Unread, count: outcome.unreadCount });
    await this.push(userId, frames);
  }

  private push(userId: string, frames: ServerFrame[]): Promise<void> {
    return this.publisher.publish(frames.map((frame) => ({ userId, frame })));
  }
}

/** A full page may have more behind it: its last seq is the cursor. */
function nextCursor(items: Notification[], limit: number): string | null {
  return items.length === limit ? String(items[items.length - 1].seq) : null;
}

/** Thrown inside the transaction, so it rolls back: the same 404 whether the id is unknown or someone else's. */
function notFound(): never {
  throw new NotFoundError();
}
