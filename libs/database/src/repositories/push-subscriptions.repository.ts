import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../database.js';

/** A browser's push subscription (the PushSubscription JSON's endpoint and keys) and its owner. */
export interface PushSubscriptionRow {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Every statement on push_subscriptions. An endpoint belongs to one user: re-subscribing moves it. */
export class PushSubscriptionsRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Stores (or takes over) the endpoint for `userId`; answers its id. */
  async upsert(sub: Omit<PushSubscriptionRow, 'id'>): Promise<string> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth
       RETURNING id`,
      [randomUUID(), sub.userId, sub.endpoint, sub.p256dh, sub.auth],
    );
    return row.id;
  }

  /** Removes one of the user's endpoints; false when the user had no such endpoint. */
  async removeForUser(userId: string, endpoint: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2 RETURNING id', [userId, endpoint]);
    return rows.length > 0;
  }

  /** The push service said the subscription is gone (404/410). */
  async remove(id: string): Promise<void> {
    await this.db.query('DELETE FROM push_subscriptions WHERE id = $1', [id]);
  }

  async forUsers(exec: SqlExecutor, userIds: string[]): Promise<PushSubscriptionRow[]> {
    if (userIds.length === 0) return [];
    const rows = await exec.query<{ id: string; user_id: string; endpoint: string; p256dh: string; auth: string }>(
      'SELECT id, user_id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = ANY($1::varchar[])',
      [userIds],
    );
    return rows.map((r) => ({ id: r.id, userId: r.user_id, endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth }));
  }

  async find(id: string): Promise<PushSubscriptionRow | undefined> {
    const [r] = await this.db.query<{ id: string; user_id: string; endpoint: string; p256dh: string; auth: string }>(
      'SELECT id, user_id, endpoint, p256dh, auth FROM push_subscriptions WHERE id = $1',
      [id],
    );
    return r && { id: r.id, userId: r.user_id, endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth };
  }
}
