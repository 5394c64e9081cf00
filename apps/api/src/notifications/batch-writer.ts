import { randomUUID } from 'node:crypto';
import type { Notification } from '@herald/contracts';
import type { SqlExecutor } from '@herald/database';
import type { PublishNotificationDto } from './publish-notification.dto.js';

/** One POST, validated, on its way into a shared transaction. */
export interface IngestRequest {
  principal: string;
  input: PublishNotificationDto;
  key?: string;
  /** sha256 of the canonical body; set when `key` is. */
  hash: string;
}

export type IngestOutcome =
  | { kind: 'created'; notifications: Notification[] }
  /** The key is taken (by an earlier request, or by one earlier in this batch): replay or 409 after commit. */
  | { kind: 'key_taken' };

const keyOf = (r: IngestRequest) => `${r.principal}\u0000${r.key}`;
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Writes a batch of publish requests in the caller's transaction:
 * 1. claims their Idempotency-Keys in one statement, in a fixed order;
 * 2. allocates every user's seqs in one upsert, users in a fixed order, so
 *    concurrent batches sharing users queue on the row lock instead of
 *    deadlocking, and a user's seq stays gapless;
 * 3. inserts all rows in one statement; 4. stores the keyed answers.
 * Lock order is the JS code-point order, the same in every process.
 */
export async function writeBatch(tx: SqlExecutor, requests: IngestRequest[], ttlHours: number): Promise<IngestOutcome[]> {
  const outcomes: (IngestOutcome | undefined)[] = new Array(requests.length);
  const claimants = await claimKeys(tx, requests, ttlHours);
  requests.forEach((r, i) => {
    if (r.key !== undefined && !claimants.has(i)) outcomes[i] = { kind: 'key_taken' };
  });
  const active = requests.map((r, i) => ({ r, i })).filter(({ i }) => outcomes[i] === undefined);
  const recipients = active.map(({ r }) => [...new Set(r.input.recipients)]);

  const perUser = new Map<string, number>();
  for (const list of recipients) for (const u of list) perUser.set(u, (perUser.get(u) ?? 0) + 1);
  const users = [...perUser.keys()].sort(byCodePoint);
  const states = users.length
    ? await tx.query<{ user_id: string; last_seq: string }>(
        `INSERT INTO user_states AS s (user_id, last_seq, unread_count)
           SELECT u, n, n FROM unnest($1::varchar[], $2::bigint[]) WITH ORDINALITY AS t(u, n, o) ORDER BY o
         ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq, unread_count = s.unread_count + EXCLUDED.unread_count
         RETURNING user_id, last_seq`,
        [users, users.map((u) => perUser.get(u))],
      )
    : [];
  const nextSeq = new Map(states.map((s) => [s.user_id, Number(s.last_seq) - (perUser.get(s.user_id) as number) + 1]));

  const rows = active.map(({ r }, k) =>
    recipients[k].map((userId) => {
      const seq = nextSeq.get(userId) as number;
      nextSeq.set(userId, seq + 1);
      return { id: randomUUID(), userId, seq, input: r.input };
    }),
  );
  const flat = rows.flat();
  const createdAt = flat.length ? await insertRows(tx, flat) : new Date().toISOString();
  active.forEach(({ r, i }, k) => {
    outcomes[i] = { kind: 'created', notifications: rows[k].map((row) => toNotification(row, r.input, createdAt)) };
  });
  await storeResponses(tx, active.filter(({ r }) => r.key !== undefined).map(({ r, i }) => ({ r, outcome: outcomes[i] as IngestOutcome })));
  return outcomes as IngestOutcome[];
}

/** Indexes of the requests whose key this batch now owns. */
async function claimKeys(tx: SqlExecutor, requests: IngestRequest[], ttlHours: number): Promise<Set<number>> {
  const first = new Map<string, number>();
  requests.forEach((r, i) => {
    if (r.key !== undefined && !first.has(keyOf(r))) first.set(keyOf(r), i);
  });
  if (first.size === 0) return new Set();
  const order = [...first.keys()].sort(byCodePoint).map((k) => requests[first.get(k) as number]);
  const claimed = await tx.query<{ principal: string; key: string }>(
    `INSERT INTO idempotency_keys AS k (principal, key, request_hash, created_at)
       SELECT p, k, h, now() FROM unnest($1::varchar[], $2::varchar[], $3::varchar[]) WITH ORDINALITY AS t(p, k, h, o) ORDER BY o
     ON CONFLICT (principal, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now()
       WHERE k.created_at < now() - make_interval(hours => $4::int)
     RETURNING principal, key`,
    [order.map((r) => r.principal), order.map((r) => r.key), order.map((r) => r.hash), ttlHours],
  );
  return new Set(claimed.map((c) => first.get(`${c.principal}\u0000${c.key}`) as number));
}

type Row = { id: string; userId: string; seq: number; input: PublishNotificationDto };

async function insertRows(tx: SqlExecutor, rows: Row[]): Promise<string> {
  const col = <T>(f: (r: Row) => T) => rows.map(f);
  const [first] = await tx.query<{ created_at: Date }>(
    `INSERT INTO notifications (id, user_id, seq, type, title, body, severity, data, link, expires_at, created_at)
       SELECT id, u, s, ty, ti, b, sv, d::jsonb, l, e::timestamptz, now()
         FROM unnest($1::uuid[], $2::varchar[], $3::bigint[], $4::varchar[], $5::varchar[], $6::text[], $7::varchar[], $8::text[], $9::text[], $10::text[])
           AS t(id, u, s, ty, ti, b, sv, d, l, e)
     RETURNING created_at`,
    [
      col((r) => r.id), col((r) => r.userId), col((r) => r.seq), col((r) => r.input.type), col((r) => r.input.title),
      col((r) => r.input.body ?? null), col((r) => r.input.severity ?? 'info'),
      col((r) => (r.input.data === undefined ? null : JSON.stringify(r.input.data))),
      col((r) => r.input.link ?? null), col((r) => r.input.expiresAt ?? null),
    ],
  );
  return new Date(first.created_at).toISOString();
}

async function storeResponses(tx: SqlExecutor, keyed: { r: IngestRequest; outcome: IngestOutcome }[]): Promise<void> {
  if (keyed.length === 0) return;
  await tx.query(
    `UPDATE idempotency_keys AS k SET response = v.r::jsonb
       FROM unnest($1::varchar[], $2::varchar[], $3::text[]) AS v(p, k, r)
      WHERE k.principal = v.p AND k.key = v.k`,
    [keyed.map(({ r }) => r.principal), keyed.map(({ r }) => r.key), keyed.map(({ outcome }) => JSON.stringify(responseBody(outcome)))],
  );
}

/** The 201 body; also what a replay of the same key answers. */
export function responseBody(outcome: IngestOutcome) {
  const notifications = outcome.kind === 'created' ? outcome.notifications : [];
  return { notifications: notifications.map(({ id, userId, seq, createdAt }) => ({ id, userId, seq, createdAt })) };
}

function toNotification(row: Row, input: PublishNotificationDto, createdAt: string): Notification {
  return {
    id: row.id,
    seq: row.seq,
    userId: row.userId,
    type: input.type,
    title: input.title,
    body: input.body ?? null,
    severity: input.severity ?? 'info',
    data: input.data ?? null,
    link: input.link ?? null,
    createdAt,
    readAt: null,
    expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
  };
}
