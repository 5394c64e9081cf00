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
 * Writes a batch of publish requests:
 * 1. claims their Idempotency-Keys in one statement, in a fixed order;
 * 2. allocates every user's seqs and inserts every row in one statement
 *    (see insertRows); 3. stores the keyed answers.
 * A batch with keys must run in a transaction (claim, rows and answers
 * commit together); one without keys is that single statement, atomic on
 * its own, so the caller may run it without BEGIN/COMMIT round trips.
 */
export async function writeBatch(tx: SqlExecutor, requests: IngestRequest[], ttlHours: number): Promise<IngestOutcome[]> {
  const outcomes: (IngestOutcome | undefined)[] = new Array(requests.length);
  const claimants = await claimKeys(tx, requests, ttlHours);
  requests.forEach((r, i) => {
    if (r.key !== undefined && !claimants.has(i)) outcomes[i] = { kind: 'key_taken' };
  });
  const active = requests.map((r, i) => ({ r, i })).filter(({ i }) => outcomes[i] === undefined);
  const recipients = active.map(({ r }) => [...new Set(r.input.recipients)]);

  const written = await insertRows(tx, active.map(({ r }, k) => ({ input: r.input, recipients: recipients[k] })));
  active.forEach(({ r, i }, k) => {
    outcomes[i] = { kind: 'created', notifications: written[k].map((row) => toNotification(row, r.input)) };
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

type Row = { id: string; userId: string; seq: number; createdAt: string };

/**
 * One statement for the whole batch. The upsert takes each user's row lock
 * in a fixed order (JS code-point order, the same in every process) so
 * concurrent batches sharing users queue instead of deadlocking, and adds
 * the user's row count to last_seq; each row's seq is counted back from
 * the new last_seq (`back`), so a user's seqs stay gapless and in request
 * order. Per-request fields travel once per request, not once per row.
 */
async function insertRows(tx: SqlExecutor, requests: { input: PublishNotificationDto; recipients: string[] }[]): Promise<Row[][]> {
  if (requests.length === 0) return [];
  const perUser = new Map<string, number>();
  for (const { recipients } of requests) for (const u of recipients) perUser.set(u, (perUser.get(u) ?? 0) + 1);
  const users = [...perUser.keys()].sort(byCodePoint);
  const seen = new Map<string, number>();
  const ids: string[] = [];
  const rowUsers: string[] = [];
  const backs: number[] = [];
  const owners: number[] = [];
  requests.forEach(({ recipients }, r) => {
    for (const u of recipients) {
      const rank = (seen.get(u) ?? 0) + 1;
      seen.set(u, rank);
      ids.push(randomUUID());
      rowUsers.push(u);
      backs.push((perUser.get(u) as number) - rank);
      owners.push(r + 1);
    }
  });
  const field = <T>(f: (input: PublishNotificationDto) => T) => requests.map(({ input }) => f(input));
  const inserted = await tx.query<{ id: string; seq: string; created_at: Date }>(
    `WITH st AS (
       INSERT INTO user_states AS s (user_id, last_seq, unread_count)
         SELECT u, n, n FROM unnest($1::varchar[], $2::bigint[]) WITH ORDINALITY AS t(u, n, o) ORDER BY o
       ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq, unread_count = s.unread_count + EXCLUDED.unread_count
       RETURNING user_id, last_seq
     )
     INSERT INTO notifications (id, user_id, seq, type, title, body, severity, data, link, expires_at, created_at)
       SELECT i.id, i.u, st.last_seq - i.back, q.ty, q.ti, q.b, q.sv, q.d::jsonb, q.l, q.e::timestamptz, now()
         FROM unnest($3::uuid[], $4::varchar[], $5::bigint[], $6::int[]) AS i(id, u, back, r)
         JOIN st ON st.user_id = i.u
         JOIN unnest($7::varchar[], $8::varchar[], $9::text[], $10::varchar[], $11::text[], $12::text[], $13::text[])
           WITH ORDINALITY AS q(ty, ti, b, sv, d, l, e, r) ON q.r = i.r
     RETURNING id, seq, created_at`,
    [
      users, users.map((u) => perUser.get(u)), ids, rowUsers, backs, owners,
      field((i) => i.type), field((i) => i.title), field((i) => i.body ?? null), field((i) => i.severity ?? 'info'),
      field((i) => (i.data === undefined ? null : JSON.stringify(i.data))), field((i) => i.link ?? null), field((i) => i.expiresAt ?? null),
    ],
  );
  const byId = new Map(inserted.map((row) => [row.id, row]));
  let next = 0;
  return requests.map(({ recipients }) =>
    recipients.map((userId) => {
      const id = ids[next++];
      const row = byId.get(id) as { seq: string; created_at: Date };
      return { id, userId, seq: Number(row.seq), createdAt: new Date(row.created_at).toISOString() };
    }),
  );
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

function toNotification(row: Row, input: PublishNotificationDto): Notification {
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
    createdAt: row.createdAt,
    readAt: null,
    expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
  };
}
