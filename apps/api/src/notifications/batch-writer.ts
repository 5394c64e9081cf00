import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { ChangeFrame, Notification, PublishedNotification } from '@herald/contracts';
import {
  IdempotencyKeysRepository, InboxAppender, type AppendedRow, type AppendResult, type NewNotification, type SqlExecutor,
} from '@herald/database';
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

/** A POST that grouped into an existing entry for one recipient: the `grouped` change to push. */
export interface GroupedChange {
  userId: string;
  frame: ChangeFrame;
}

export type IngestOutcome =
  | {
      kind: 'created';
      /** New entries (notification frames to push). */
      notifications: Notification[];
      /** Entries it grouped into (change frames to push). */
      grouped: GroupedChange[];
      /** It had a groupKey: its positions follow every plain POST's of the batch, so it is published after them. */
      grouping: boolean;
      /** The 201 body's entries, in recipient order. */
      answer: PublishedNotification[];
    }
  /** The key is taken (by an earlier request, or by one earlier in this batch): replay or 409 after commit. */
  | { kind: 'key_taken' };

/**
 * Writes a batch of publish requests:
 * 1. claims their Idempotency-Keys (the first request naming a key gets it);
 * 2. appends every row to the recipients' inboxes through InboxAppender (one
 *    statement for requests without a groupKey; grouping for the others),
 *    less the recipients whose in-app preference is off (they get no row);
 * 3. stores the keyed answers.
 * A batch with keys or with grouping must run in a transaction (needsTransaction);
 * one without is a single statement, atomic on its own, so the caller may
 * run it without BEGIN/COMMIT round trips.
 */
@Injectable()
export class BatchWriter {
  constructor(
    @Inject(IdempotencyKeysRepository) private readonly keys: IdempotencyKeysRepository,
    @Inject(InboxAppender) private readonly appender: InboxAppender,
    @Inject(InAppGate) private readonly inApp: InAppGate,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  needsTransaction(requests: IngestRequest[]): boolean {
    return requests.some((r) => r.key !== undefined) ||
      this.appender.needsTransaction(requests.map((r) => ({ notification: toNewNotification(r.input), recipients: r.input.recipients })), this.config.inbox.groupWindowSeconds);
  }

  async write(tx: SqlExecutor, requests: IngestRequest[], ttlHours: number): Promise<IngestOutcome[]> {
    const outcomes: (IngestOutcome | undefined)[] = new Array(requests.length);
    const claimants = await claimFirstKeys(this.keys, tx, requests, ttlHours);
    requests.forEach((r, i) => {
      if (r.key !== undefined && !claimants.has(i)) outcomes[i] = { kind: 'key_taken' };
    });
    const active = requests.map((r, i) => ({ r, i })).filter(({ i }) => outcomes[i] === undefined);
    const recipients = await this.inApp.recipients(tx, active.map(({ r }) => ({ input: r.input, recipients: [...new Set(r.input.recipients)] })));

    const written = await this.appender.append(
      tx,
      active.map(({ r }, k) => ({ notification: toNewNotification(r.input), recipients: recipients[k], publisher: r.principal })),
      this.config.inbox.groupWindowSeconds,
    );
    active.forEach(({ r, i }, k) => {
      outcomes[i] = outcomeOf(written[k], recipients[k], r.input);
    });
    const keyed = active.filter(({ r }) => r.key !== undefined);
    await this.keys.storeResponses(
      tx,
      keyed.map(({ r, i }) => ({ principal: r.principal, key: r.key as string, response: responseBody(outcomes[i] as IngestOutcome) })),
    );
    return outcomes as IngestOutcome[];
  }
}

/** What one request's append became, with its answer in recipient order. */
export function outcomeOf(result: AppendResult, recipients: string[], input: Omit<PublishNotificationDto, 'recipients'>): IngestOutcome {
  const notifications = result.created.map((row) => toNotification(row, input));
  const byUser = new Map<string, PublishedNotification>();
  for (const n of notifications) byUser.set(n.userId, { id: n.id, userId: n.userId, seq: n.seq, createdAt: n.createdAt });
  for (const g of result.grouped) {
    byUser.set(g.userId, { id: g.notification.id, userId: g.userId, seq: g.frame.seq, createdAt: g.notification.createdAt, grouped: true });
  }
  return {
    kind: 'created',
    notifications,
    grouped: result.grouped.map((g) => ({ userId: g.userId, frame: g.frame })),
    grouping: result.grouping,
    answer: recipients.flatMap((u) => byUser.get(u) ?? []),
  };
}

/** The 201 body; also what a replay of the same key answers. */
export function responseBody(outcome: IngestOutcome) {
  return { notifications: outcome.kind === 'created' ? outcome.answer : [] };
}

/** The content a POST stores, as the append path takes it (actions with their default style). */
export function toNewNotification(input: Omit<PublishNotificationDto, 'recipients'>): NewNotification {
  return {
    type: input.type,
    title: input.title,
    body: input.body,
    severity: input.severity,
    data: input.data,
    link: input.link,
    expiresAt: input.expiresAt,
    category: input.category,
    tags: input.tags,
    actions: input.actions?.map((a) => ({ id: a.id, label: a.label, ...(a.url ? { url: a.url } : {}), style: a.style ?? 'primary' })),
    avatar: input.avatar,
    actor: input.actor,
    groupKey: input.groupKey,
  };
}

/** A committed new row as the wire notification, from what the request said; the worker's sends share it. */
export function toNotification(row: AppendedRow, input: Omit<PublishNotificationDto, 'recipients'>): Notification {
  const content = toNewNotification(input);
  return {
    id: row.id,
    seq: row.seq,
    activitySeq: row.seq,
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
    category: content.category ?? null,
    tags: content.tags ?? [],
    actions: content.actions ?? [],
    avatar: content.avatar ?? null,
    actor: content.actor ?? null,
    groupKey: content.groupKey ?? null,
    group: null,
    seenAt: null,
    archivedAt: null,
    snoozedUntil: null,
    interactedAt: null,
    interaction: null,
    deliveredAt: null,
    stateSeq: row.seq,
  };
}
