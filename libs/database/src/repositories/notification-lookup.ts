import type { Notification } from '@herald/contracts';
import type { SqlExecutor } from '../database.js';
import { notificationColumnsOf, toNotification, type NotificationRow } from '../notification-row.js';
import { LIVE_N } from './live.sql.js';

/**
 * One notification, or a recipient's, for whoever may see it: its user
 * (any state), or the service that published it (its states and times).
 * Anything else is not found, exactly like an id that does not exist.
 */
export class NotificationLookup {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * The user's own notification, any state (a snoozed one too), expired or
   * not: what a change just did to a row the retention run has not deleted
   * yet, as the user's changes always could.
   */
  async forUser(userId: string, id: string, exec: SqlExecutor = this.db): Promise<Notification | undefined> {
    const [row] = await exec.query<NotificationRow>(
      `SELECT ${notificationColumnsOf('n')} FROM notifications n WHERE n.id = $1 AND n.user_id = $2`,
      [id, userId],
    );
    return row && toNotification(row);
  }

  /** A notification `publisher` published, while live. */
  async forPublisher(publisher: string, id: string): Promise<Notification | undefined> {
    const [row] = await this.db.query<NotificationRow>(
      `SELECT ${notificationColumnsOf('n')} FROM notifications n WHERE n.id = $1 AND n.publisher = $2 AND ${LIVE_N}`,
      [id, publisher],
    );
    return row && toNotification(row);
  }

  /** `userId`'s notifications that `publisher` published, every state, newest activity first, below `before`. */
  async recipientPage(publisher: string, userId: string, limit: number, before?: number): Promise<Notification[]> {
    const rows = await this.db.query<NotificationRow>(
      `SELECT ${notificationColumnsOf('n')} FROM notifications n
        WHERE n.user_id = $1 AND n.publisher = $2 AND ($3::bigint IS NULL OR n.activity_seq < $3) AND ${LIVE_N}
        ORDER BY n.activity_seq DESC LIMIT $4`,
      [userId, publisher, before ?? null, limit],
    );
    return rows.map(toNotification);
  }
}
