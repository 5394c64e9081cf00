import { Inject, Injectable } from '@nestjs/common';
import type { Notification } from '@herald/contracts';
import { IdempotencyKeysRepository, InboxRepository, type AppendedRow, type SqlExecutor } from '@herald/database';
import { claimFirstKeys } from '../idempotency/key-claims.js';
import { InAppGate } from '../preferences/in-app-gate.js';
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

/**
 * Writes a batch of publish requests:
 * 1. claims their Idempotency-Keys (the first request naming a key gets it);
 * 2. appends every row to the recipients' inboxes in one statement (less
 *    the recipients whose in-app preference is off: they get no row);
 * 3. stores the keyed answers.
 * A batch with keys must run in a transaction (claim, rows and answers
 * commit together); one without keys is that single statement, atomic on
 * its own, so the caller may run it without BEGIN/COMMIT round trips. A
 * write that must commit with the rows (a job to enqueue, say) joins here,
 * on the same executor.
 */
@Injectable()
export class BatchWriter {
  constructor(
    @Inject(IdempotencyKeysRepository) private readonly keys: IdempotencyKeysRepository,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(InAppGate) private readonly inApp: InAppGate,
  ) {}

  async write(tx: SqlExecutor, requests: IngestRequest[], ttlHours: number): Promise<IngestOutcome[]> {
    const outcomes: (IngestOutcome | undefined)[] = new Array(requests.length);
    const claimants = await claimFirstKeys(this.keys, tx, requests, ttlHours);
    requests.forEach((r, i) => {
      if (r.key !== undefined && !claimants.has(i)) outcomes[i] = { kind: 'key_taken' };
    });
    const active = requests.map((r, i) => ({ r, i })).filter(({ i }) => outcomes[i] === undefined);
    const recipients = await this.inApp.recipients(tx, active.map(({ r }) => ({ input: r.input, recipients: [...new Set(r.input.recipients)] })));

    const written = await this.inbox.append(tx, active.map(({ r }, k) => ({ notification: r.input, recipients: recipients[k] })));
    active.forEach(({ r, i }, k) => {
      outcomes[i] = { kind: 'created', notifications: written[k].map((row) => toNotification(row, r.input)) };
    });
    const keyed = active.filter(({ r }) => r.key !== undefined);
    await this.keys.storeResponses(
      tx,
      keyed.map(({ r, i }) => ({ principal: r.principal, key: r.key as string, response: responseBody(outcomes[i] as IngestOutcome) })),
    );
    return outcomes as IngestOutcome[];
  }
}

/** The 201 body; also what a replay of the same key answers. */
export function responseBody(outcome: IngestOutcome) {
  const notifications = outcome.kind === 'created' ? outcome.notifications : [];
  return { notifications: notifications.map(({ id, userId, seq, createdAt }) => ({ id, userId, seq, createdAt })) };
}

/** A committed row as the wire notification, from what the request said; the worker's sends share it. */
export function toNotification(row: AppendedRow, input: Omit<PublishNotificationDto, 'recipients'>): Notification {
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
