import type { InboxCounts, InboxFilter, Notification, NotificationPage } from '@herald/contracts';
import type { Emit } from '../core/client-feature.js';
import type { Timers } from '../platform.js';
import { InboxRest, type BulkRequest, type InboxPageOptions } from './inbox-rest.js';
import type { InboxState } from './inbox-state.js';
import { SeenReporter } from './seen-reporter.js';

export interface InboxDeps {
  state: InboxState;
  rest: InboxRest;
  emit: Emit;
  timers: Timers;
  seenBatchMs: number;
  /** True while the socket is open: change frames will bring what an answer without a version says. */
  live(): boolean;
  fail(error: unknown): void;
}

/**
 * `client.inbox`: the user's inbox as the client holds it (kept current by
 * the stream: new notifications, changes from any tab or device, resume),
 * with filters, counts and every action. Render from `items(filter)` and
 * `counts` on each `inbox` event.
 */
export class Inbox {
  private readonly seenReporter: SeenReporter;

  constructor(private readonly deps: InboxDeps) {
    this.seenReporter = new SeenReporter(
      (ids) => this.deps.rest.bulk({ action: 'seen', ids }),
      deps.timers,
      deps.seenBatchMs,
      deps.fail,
    );
  }

  /** The default tabs' counts (`inbox`, `unread`, `unseen`, `archived`, `snoozed`), exact at the last entry applied; null before a welcome from a server with inbox states. */
  get counts(): InboxCounts | null {
    return this.deps.state.counts;
  }

  /** The notifications held that match `filter` (default: the inbox), newest activity first. */
  items(filter?: InboxFilter): Notification[] {
    return this.deps.state.items(filter);
  }

  get(id: string): Notification | undefined {
    return this.deps.state.get(id);
  }

  /** A page from the server; what it holds joins the local inbox (the stream keeps it current from then on). */
  async load(filter: InboxFilter = {}, page: InboxPageOptions = {}): Promise<NotificationPage> {
    const result = await this.deps.rest.list(filter, page);
    this.deps.state.merge(result.items);
    this.deps.emit('inbox', { reason: 'load', counts: this.counts });
    return result;
  }

  /** Named counts, one per tab, in one call: `count({ all: {}, social: { category: 'social' } })`. */
  count<K extends string>(filters: Record<K, InboxFilter>): Promise<{ counts: Record<K, number>; seq: number }> {
    return this.deps.rest.counts(filters);
  }

  /**
   * Report that these were shown: batched into one bulk `seen` per
   * `seenBatchMs`, each id once, skipping those already seen (and
   * everything, on a server without inbox states).
   */
  markSeen(ids: string | string[]): void {
    // A server from before inbox states has no seen to report to.
    if (this.deps.state.counts === null) return;
    const list = typeof ids === 'string' ? [ids] : ids;
    this.seenReporter.add(list.filter((id) => !this.deps.state.get(id)?.seenAt));
  }

  read(id: string): Promise<Pick<Notification, 'id' | 'readAt'>> {
    return this.act(this.deps.rest.read(id));
  }
  unread(id: string): Promise<Pick<Notification, 'id' | 'readAt'>> {
    return this.act(this.deps.rest.unread(id));
  }
  seen(id: string): Promise<Notification> {
    return this.act(this.deps.rest.seen(id));
  }
  archive(id: string): Promise<Notification> {
    return this.act(this.deps.rest.archive(id));
  }
  unarchive(id: string): Promise<Notification> {
    return this.act(this.deps.rest.unarchive(id));
  }
  /** Out of lists and counts until `until`; then it comes back as new. */
  snooze(id: string, until: Date | string): Promise<Notification> {
    return this.act(this.deps.rest.snooze(id, until));
  }
  unsnooze(id: string): Promise<Notification> {
    return this.act(this.deps.rest.unsnooze(id));
  }
  /** An action button was used (its `id`), or the link (`'link'`); marks it read too. */
  interact(id: string, interaction: string): Promise<Notification> {
    return this.act(this.deps.rest.interact(id, interaction));
  }
  /** Marks every notification read (`POST /v1/notifications/read-all`). */
  async readAll(): Promise<void> {
    const { readAt } = await this.deps.rest.readAll();
    if (!this.deps.live()) {
      this.deps.state.readAll(readAt);
      this.deps.emit('inbox', { reason: 'action', counts: this.counts });
    }
  }
  /** Seen, read or archived, by up to 1,000 ids or by a filter; one change on the stream. */
  bulk(request: BulkRequest): Promise<{ changed: number; seq: number }> {
    return this.deps.rest.bulk(request);
  }

  /** @internal */
  stop(): void {
    this.seenReporter.stop();
  }

  private async act<T extends Pick<Notification, 'id'>>(request: Promise<T>): Promise<T> {
    const answer = await request;
    if (typeof answer?.id !== 'string') return answer; // not the notification (an api that answered 204)
    const full = (answer as Partial<Notification>).stateSeq !== undefined;
    // A full answer carries its version and may go in at once; a bare
    // `{ id, readAt }` only without a socket, when no change frame will come.
    if (full) this.deps.state.merge([answer as unknown as Notification]);
    else if (!this.deps.live()) this.deps.state.patch(answer.id, answer);
    else return answer;
    this.deps.emit('inbox', { reason: 'action', counts: this.counts });
    return answer;
  }
}
