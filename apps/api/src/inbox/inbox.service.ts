import { Inject, Injectable } from '@nestjs/common';
import { ServerFrameType, type NotificationPage, type ServerFrame } from '@herald/contracts';
import { Database, NotificationReader, type SqlExecutor } from '@herald/database';
import { NotFoundError } from '@herald/errors';
import { UserFramePublisher } from '../publishing/user-frame.publisher.js';
import type { ListNotificationsQuery } from './list-notifications.query.js';

const DEFAULT_LIMIT = 20;

/**
 * A user's own inbox. Every change locks the user's user_states row first
 * (the same lock ingest takes), so unread_count stays exact under any mix of
 * concurrent writes, and then pushes the change to the user's other sockets.
 * Rows of other users are invisible: every statement filters by user_id.
 */
@Injectable()
export class InboxService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(NotificationReader) private readonly reader: NotificationReader,
    @Inject(UserFramePublisher) private readonly publisher: UserFramePublisher,
  ) {}

  async list(userId: string, q: ListNotificationsQuery): Promise<NotificationPage> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    if (q.after !== undefined) {
      const items = await this.reader.after(userId, q.after, limit);
      return { items, nextCursor: items.length === limit ? String(items[items.length - 1].seq) : null };
    }
    const items = await this.reader.list(userId, { limit, before: q.before, unread: q.unread, type: q.type });
    return { items, nextCursor: items.length === limit ? String(items[items.length - 1].seq) : null };
  }

  async unreadCount(userId: string): Promise<number> {
    return (await this.reader.userState(userId)).unreadCount;
  }

  async setRead(userId: string, id: string, read: boolean): Promise<{ id: string; readAt: string | null }> {
    const outcome = await this.db.transaction(async (tx) => {
      await lockUser(tx, userId);
      const [changed] = await tx.query<{ read_at: Date | null }>(
        `UPDATE notifications SET read_at = ${read ? 'now()' : 'NULL'}
          WHERE id = $1 AND user_id = $2 AND read_at IS ${read ? '' : 'NOT '}NULL RETURNING read_at`,
        [id, userId],
      );
      if (!changed) {
        const [current] = await tx.query<{ read_at: Date | null }>('SELECT read_at FROM notifications WHERE id = $1 AND user_id = $2', [id, userId]);
        if (!current) throw new NotFoundError();
        return { readAt: iso(current.read_at), count: undefined };
      }
      const count = await adjustUnread(tx, userId, read ? -1 : 1);
      return { readAt: iso(changed.read_at), count };
    });
    if (outcome.count !== undefined) {
      await this.push(userId, [
        { type: ServerFrameType.NotificationUpdated, id, readAt: outcome.readAt },
        { type: ServerFrameType.Unread, count: outcome.count },
      ]);
    }
    return { id, readAt: outcome.readAt };
  }

  async readAll(userId: string): Promise<{ readAt: string; updated: number }> {
    const outcome = await this.db.transaction(async (tx) => {
      await lockUser(tx, userId);
      const rows = await tx.query<{ read_at: Date }>(
        'UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING read_at',
        [userId],
      );
      const [now] = await tx.query<{ now: Date }>('SELECT now() AS now');
      if (rows.length) await adjustUnread(tx, userId, -rows.length);
      return { readAt: iso(now.now) as string, updated: rows.length };
    });
    await this.push(userId, [
      { type: ServerFrameType.ReadAll, readAt: outcome.readAt },
      { type: ServerFrameType.Unread, count: 0 },
    ]);
    return outcome;
  }

  async remove(userId: string, id: string): Promise<void> {
    const count = await this.db.transaction(async (tx) => {
      await lockUser(tx, userId);
      const [deleted] = await tx.query<{ read_at: Date | null }>(
        'DELETE FROM notifications WHERE id = $1 AND user_id = $2 RETURNING read_at',
        [id, userId],
      );
      if (!deleted) throw new NotFoundError();
      return deleted.read_at === null ? adjustUnread(tx, userId, -1) : undefined;
    });
    const frames: ServerFrame[] = [{ type: ServerFrameType.NotificationDeleted, id }];
    if (count !== undefined) frames.push({ type: ServerFrameType.Unread, count });
    await this.push(userId, frames);
  }

  private push(userId: string, frames: ServerFrame[]): Promise<void> {
    return this.publisher.publish(frames.map((frame) => ({ userId, frame })));
  }
}

async function lockUser(tx: SqlExecutor, userId: string): Promise<void> {
  await tx.query('SELECT 1 FROM user_states WHERE user_id = $1 FOR UPDATE', [userId]);
}

async function adjustUnread(tx: SqlExecutor, userId: string, delta: number): Promise<number> {
  const [row] = await tx.query<{ unread_count: number }>(
    'UPDATE user_states SET unread_count = GREATEST(unread_count + $2, 0) WHERE user_id = $1 RETURNING unread_count',
    [userId, delta],
  );
  return row?.unread_count ?? 0;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());
