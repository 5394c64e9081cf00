import { randomUUID } from 'node:crypto';
import type { Notification } from '@herald/contracts';
import type { SqlExecutor } from '@herald/database';
import type { PublishNotificationDto } from './publish-notification.dto.js';

/**
 * Allocates per-user seqs and inserts the rows, inside the caller's
 * transaction. Recipients are sorted so concurrent batches that share users
 * lock their user_states rows in the same order and cannot deadlock; the
 * row lock is held to commit, so seqs are gapless and a user's seq N+1 is
 * committed only after seq N.
 */
export async function insertNotifications(tx: SqlExecutor, input: PublishNotificationDto): Promise<Notification[]> {
  const recipients = [...new Set(input.recipients)].sort();
  const states = await tx.query<{ user_id: string; last_seq: string }>(
    `INSERT INTO user_states AS s (user_id, last_seq, unread_count)
       SELECT u, 1, 1 FROM unnest($1::varchar[]) WITH ORDINALITY AS t(u, o) ORDER BY o
     ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + 1, unread_count = s.unread_count + 1
     RETURNING user_id, last_seq`,
    [recipients],
  );
  const seqByUser = new Map(states.map((s) => [s.user_id, Number(s.last_seq)]));
  const ids = recipients.map(() => randomUUID());
  const seqs = recipients.map((u) => seqByUser.get(u) as number);
  const data = input.data === undefined ? null : JSON.stringify(input.data);
  const [first] = await tx.query<{ created_at: Date }>(
    `INSERT INTO notifications (id, user_id, seq, type, title, body, severity, data, link, expires_at, created_at)
       SELECT id, u, s, $4, $5, $6, $7, $8::jsonb, $9, $10::timestamptz, now()
         FROM unnest($1::uuid[], $2::varchar[], $3::bigint[]) AS t(id, u, s)
     RETURNING created_at`,
    [ids, recipients, seqs, input.type, input.title, input.body ?? null, input.severity ?? 'info', data, input.link ?? null, input.expiresAt ?? null],
  );
  const createdAt = new Date(first.created_at).toISOString();
  return recipients.map((userId, i) => ({
    id: ids[i],
    seq: seqs[i],
    userId,
    type: input.type,
    title: input.title,
    body: input.body ?? null,
    severity: input.severity ?? 'info',
    data: input.data ?? null,
    link: input.link ?? null,
    createdAt,
    readAt: null,
    expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
  }));
}
