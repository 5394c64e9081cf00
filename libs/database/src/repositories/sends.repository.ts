import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../database.js';
import { isoTimestamp } from '../notification-row.js';
import type { NewNotification } from './inbox.repository.js';

/** A send the worker carries out: to an audience (above the inline threshold) or later (`sendAt`), or both. */
export interface SendRow {
  id: string;
  principal: string;
  audience: string | null;
  recipients: string[] | null;
  notification: NewNotification;
  sendAt: string;
  status: 'queued' | 'running' | 'done' | 'cancelled';
  /** Members when the send started (audience sends); recipients otherwise. */
  total: number | null;
  done: number;
  /** Last member written (audience sends), in the audience's cursor order. */
  cursor: string | null;
  createdAt: string;
  finishedAt: string | null;
}

type SendSql = {
  id: string; principal: string; audience: string | null; recipients: string[] | null; notification: NewNotification; send_at: Date;
  status: SendRow['status']; total: number | null; done: number; cursor: string | null; created_at: Date; finished_at: Date | null;
};
const send = (r: SendSql): SendRow => ({
  id: r.id, principal: r.principal, audience: r.audience, recipients: r.recipients, notification: r.notification,
  sendAt: isoTimestamp(r.send_at) as string, status: r.status, total: r.total, done: r.done, cursor: r.cursor,
  createdAt: isoTimestamp(r.created_at) as string, finishedAt: isoTimestamp(r.finished_at),
});

/**
 * sends: the durable record of an asynchronous send and its exact progress.
 * A chunk's rows and the cursor that says they exist commit together, so a
 * retried send resumes after its last committed chunk and writes no row twice.
 */
export class SendsRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(tx: SqlExecutor, s: { principal: string; audience?: string; recipients?: string[]; notification: NewNotification; sendAt?: string }): Promise<SendRow> {
    const [row] = await tx.query<SendSql>(
      `INSERT INTO sends (id, principal, audience, recipients, notification, send_at, total)
       VALUES ($1, $2, $3, $4, $5::jsonb, COALESCE($6::timestamptz, now()), $7) RETURNING *`,
      [randomUUID(), s.principal, s.audience ?? null, s.recipients ?? null, JSON.stringify(s.notification), s.sendAt ?? null, s.recipients?.length ?? null],
    );
    return send(row);
  }

  async find(exec: SqlExecutor, id: string, principal?: string): Promise<SendRow | undefined> {
    const [row] = await exec.query<SendSql>(
      `SELECT * FROM sends WHERE id = $1 ${principal === undefined ? '' : 'AND principal = $2'}`,
      principal === undefined ? [id] : [id, principal],
    );
    return row && send(row);
  }

  /** Locks the send for one chunk (a second worker on the same send waits, then sees the new cursor). */
  async lock(tx: SqlExecutor, id: string): Promise<SendRow | undefined> {
    const [row] = await tx.query<SendSql>('SELECT * FROM sends WHERE id = $1 FOR UPDATE', [id]);
    return row && send(row);
  }

  async start(tx: SqlExecutor, id: string, total: number): Promise<void> {
    await tx.query(`UPDATE sends SET status = 'running', total = COALESCE(total, $2) WHERE id = $1`, [id, total]);
  }

  /** One committed chunk: `written` more rows, the cursor after them, done when `finished`. */
  async advance(tx: SqlExecutor, id: string, written: number, cursor: string | null, finished: boolean): Promise<void> {
    await tx.query(
      `UPDATE sends SET done = done + $2, cursor = $3,
         status = CASE WHEN $4::boolean THEN 'done' ELSE 'running' END, finished_at = CASE WHEN $4::boolean THEN now() END
       WHERE id = $1`,
      [id, written, cursor, finished],
    );
  }
}
