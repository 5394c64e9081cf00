import { Inject, Injectable } from '@nestjs/common';
import {
  InboxChangeKind, LINK_INTERACTION, ServerFrameType, type BulkAction, type Notification, type ServerFrame,
} from '@herald/contracts';
import { Database, InboxChangesRepository, NotificationLookup, type AppliedChange, type SqlExecutor, type StateChange } from '@herald/database';
import { NotFoundError, ValidationError } from '@herald/errors';
import { UserFramePublisher } from '../publishing/user-frame.publisher.js';
import { parseInboxFilter } from './inbox-filter.parse.js';

/** The single-notification changes with a route of their own that answers the notification. */
export type SingleChange =
  | { kind: typeof InboxChangeKind.Seen | typeof InboxChangeKind.Archived | typeof InboxChangeKind.Unarchived | typeof InboxChangeKind.Unsnoozed }
  | { kind: typeof InboxChangeKind.Snoozed; snoozedUntil: string }
  | { kind: typeof InboxChangeKind.Interacted; interaction: string };

/** Longest snooze. */
const MAX_SNOOZE_MS = 365 * 86_400_000;

/**
 * A user's own inbox, write side. Each change is one transaction: the
 * user's row lock, then InboxChangesRepository's one statement (rows,
 * counters, the change's position and log row, outbox events). After
 * commit the change's `inbox.change` entry goes to the user's sockets,
 * with the frames old clients know (`notification.updated`, `unread`, …)
 * where they apply. A change that changes nothing pushes nothing.
 */
@Injectable()
export class InboxChangesService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(InboxChangesRepository) private readonly changes: InboxChangesRepository,
    @Inject(NotificationLookup) private readonly lookup: NotificationLookup,
    @Inject(UserFramePublisher) private readonly publisher: UserFramePublisher,
  ) {}

  /** Read or unread; answers as it always has. */
  async setRead(userId: string, id: string, read: boolean): Promise<{ id: string; readAt: string | null }> {
    const { applied, current } = await this.one(userId, { kind: read ? InboxChangeKind.Read : InboxChangeKind.Unread, ids: [id] });
    const readAt = current.readAt;
    const legacy: ServerFrame[] = applied.frame ? [{ type: ServerFrameType.NotificationUpdated, id, readAt }] : [];
    await this.push(userId, applied, legacy);
    return { id, readAt };
  }

  /** seen, archive, unarchive, snooze, unsnooze, interact: answers the notification as it is now. */
  async change(userId: string, id: string, change: SingleChange): Promise<Notification> {
    if (change.kind === InboxChangeKind.Snoozed) checkSnooze(change.snoozedUntil);
    const { applied, current } = await this.one(userId, { ...change, ids: [id] } as StateChange);
    await this.push(userId, applied, []);
    return current;
  }

  async remove(userId: string, id: string): Promise<void> {
    const applied = await this.db.transaction(async (tx) => {
      const done = (await this.changes.lockUser(tx, userId)) ? await this.changes.apply(tx, userId, { kind: InboxChangeKind.Deleted, ids: [id] }) : undefined;
      return done?.changed ? done : notFound();
    });
    await this.push(userId, applied, [{ type: ServerFrameType.NotificationDeleted, id }]);
  }

  /** Bulk by ids (the caller's; others are ignored) or by filter: one change entry however many rows. */
  async bulk(userId: string, action: BulkAction, ids?: string[], rawFilter?: unknown): Promise<{ changed: number; seq: number | null }> {
    if ((ids === undefined) === (rawFilter === undefined)) throw ValidationError.field('ids', 'give exactly one of ids and filter');
    const change: StateChange = ids !== undefined
      ? { kind: InboxChangeKind.Bulk, action, ids: [...new Set(ids)] }
      : { kind: InboxChangeKind.Bulk, action, filter: parseInboxFilter(rawFilter, 'filter') };
    const applied = await this.inTransaction(userId, change);
    await this.push(userId, applied, []);
    return { changed: applied.changed, seq: applied.frame?.seq ?? null };
  }

  /** The old read-all: a bulk read of the unread ones, answered and pushed as before. */
  async readAll(userId: string): Promise<{ readAt: string; updated: number }> {
    const applied = await this.inTransaction(userId, { kind: InboxChangeKind.Bulk, action: 'read', filter: { state: 'unread' } });
    const readAt = applied.frame?.at ?? new Date().toISOString();
    await this.push(userId, applied, [{ type: ServerFrameType.ReadAll, readAt }], true);
    return { readAt, updated: applied.changed };
  }

  /** One notification's change; 404 when it is not the user's, 400 for an interaction it does not offer. */
  private async one(userId: string, change: StateChange): Promise<{ applied: AppliedChange; current: Notification }> {
    const id = (change as { ids: string[] }).ids[0];
    return this.db.transaction(async (tx) => {
      if (!(await this.changes.lockUser(tx, userId))) notFound();
      const applied = await this.changes.apply(tx, userId, change);
      const current = (await this.lookup.forUser(userId, id, tx)) ?? notFound();
      if (!applied.changed && change.kind === InboxChangeKind.Interacted) {
        throw ValidationError.field('interaction', `must be one of the notification's action ids, or '${LINK_INTERACTION}' when it has a link`);
      }
      return { applied, current };
    });
  }

  private inTransaction(userId: string, change: StateChange): Promise<AppliedChange> {
    return this.db.transaction(async (tx: SqlExecutor) =>
      (await this.changes.lockUser(tx, userId)) ? this.changes.apply(tx, userId, change) : { changed: 0, ids: [], unreadDelta: 0 },
    );
  }

  /** The entry, then the old clients' frames, then `unread` when the count moved (or always, for read-all as before). */
  private async push(userId: string, applied: AppliedChange, legacy: ServerFrame[], alwaysUnread = false): Promise<void> {
    const frames: ServerFrame[] = applied.frame ? [applied.frame, ...legacy] : alwaysUnread ? legacy : [];
    if (applied.counts && (applied.unreadDelta !== 0 || alwaysUnread)) frames.push({ type: ServerFrameType.Unread, count: applied.counts.unread });
    else if (alwaysUnread && !applied.counts) frames.push({ type: ServerFrameType.Unread, count: 0 });
    if (frames.length) await this.publisher.publish(frames.map((frame) => ({ userId, frame })));
  }
}

function checkSnooze(until: string): void {
  const at = Date.parse(until);
  if (!(at > Date.now()) || at - Date.now() > MAX_SNOOZE_MS) throw ValidationError.field('until', 'must be in the future, at most 365 days ahead');
}

/** Thrown inside the transaction, so it rolls back: the same 404 whether the id is unknown or someone else's. */
function notFound(): never {
  throw new NotFoundError();
}
