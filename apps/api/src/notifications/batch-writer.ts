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
      this.appender.needsTransaction(requests.map((r) => ({ notification: r.input, recipients: r.input.recipients })), this.config.inbox.groupWindowSeconds);
  }

  /**
   * Allocates little for what it does (issue 16: the api's tail follows its
   * bytes per request, and most batches are one POST to one recipient):
   * each request's content is built once, and no table is built for a
   * batch without keys or for a recipient list of one.
   */
  async write(tx: SqlExecutor, requests: IngestRequest[], ttlHours: number): Promise<IngestOutcome[]> {
    const outcomes: IngestOutcome[] = new Array(requests.length);
    const claimants = await claimFirstKeys(this.keys, tx, requests, ttlHours);
    const active: number[] = [];
    for (let i = 0; i < requests.length; i++) {
      if (requests[i].key !== undefined && !claimants.has(i)) outcomes[i] = KEY_TAKEN;
      else active.push(i);
    }
    const contents = active.map((i) => toNewNotification(requests[i].input));
    const recipients = await this.inApp.recipients(tx, active.map((i) => ({ input: requests[i].input, recipients: distinct(requests[i].input.recipients) })));

    const written = await this.appender.append(
      tx,
      active.map((i, k) => ({ notification: contents[k], recipients: recipients[k], publisher: requests[i].principal })),
      this.config.inbox.groupWindowSeconds,
    );
    const answers: { principal: string; key: string; response: ReturnType<typeof responseBody> }[] = [];
    active.forEach((i, k) => {
      const { principal, key, input } = requests[i];
      const outcome = (outcomes[i] = outcomeOf(written[k], recipients[k], input, contents[k]));
      if (key !== undefined) answers.push({ principal, key, response: responseBody(outcome) });
    });
    if (answers.length) await this.keys.storeResponses(tx, answers);
    return outcomes;
  }
}

/** Shared by every request whose key another took: nothing changes an outcome once made. */
const KEY_TAKEN: IngestOutcome = Object.freeze({ kind: 'key_taken' });

/** Each recipient once, in first-seen order; a list of one is its own answer. */
const distinct = (list: string[]): string[] => (list.length < 2 ? list : [...new Set(list)]);

/**
 * What one request's append became, with its answer in recipient order.
 * `content` is toNewNotification(input), when the caller has it already.
 */
export function outcomeOf(
  result: AppendResult, recipients: string[], input: Omit<PublishNotificationDto, 'recipients'>, content = toNewNotification(input),
): IngestOutcome {
  const notifications = result.created.map((row) => toNotification(row, input, content));
  return {
    kind: 'created',
    notifications,
    grouped: result.grouped.map((g) => ({ userId: g.userId, frame: g.frame })),
    grouping: result.grouping,
    answer: answerInRecipientOrder(notifications, result.grouped, recipients),
  };
}

/**
 * The 201 body's entries. Nothing grouped and a row per recipient: the rows
 * are in recipient order already (the append writes them so), and no table
 * is needed to put them there.
 */
function answerInRecipientOrder(notifications: Notification[], grouped: AppendResult['grouped'], recipients: string[]): PublishedNotification[] {
  const entry = (n: Notification): PublishedNotification => ({ id: n.id, userId: n.userId, seq: n.seq, createdAt: n.createdAt });
  if (grouped.length === 0 && notifications.length === recipients.length) return notifications.map(entry);
  const byUser = new Map<string, PublishedNotification>();
  for (const n of notifications) byUser.set(n.userId, entry(n));
  for (const g of grouped) {
    byUser.set(g.userId, { id: g.notification.id, userId: g.userId, seq: g.frame.seq, createdAt: g.notification.createdAt, grouped: true });
  }
  return recipients.flatMap((u) => byUser.get(u) ?? []);
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
export function toNotification(row: AppendedRow, input: Omit<PublishNotificationDto, 'recipients'>, content = toNewNotification(input)): Notification {
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
