import { ServerFrameType, type ChangeFrame, type Notification, type WelcomeFrame } from '@herald/contracts';
import type { Emit, FeatureContext } from '../core/client-feature.js';
import type { TaskQueue } from '../core/task-queue.js';
import { isNetworkError } from '../herald-errors.js';
import type { RestClient } from '../rest-client.js';
import { Arrival, InboxCursor, type Positioned } from './inbox-cursor.js';
import { InboxRest } from './inbox-rest.js';
import type { InboxState } from './inbox-state.js';

/** Change entries have no id of their own; their position names them. */
/** Entries per page of `GET /v1/notifications/entries`. */
const ENTRIES_PAGE = 100;

const changeEntry = (frame: ChangeFrame): Positioned => ({ id: `change:${frame.seq}`, seq: frame.seq });

/**
 * Turns whatever reaches the client (live frames, resume replays, REST pages
 * from gap fill, resync and polling) into one stream of `notification`
 * and `change` events in seq order, each exactly once, applied to the
 * inbox state as they go. It runs in the client's queue, so a live frame
 * that arrives while a gap is being fetched waits its turn.
 */
export class InboxSync {
  private cursor: InboxCursor;
  private readonly rest: RestClient;
  private readonly inboxRest: InboxRest;
  private readonly emit: Emit;
  private readonly queue: TaskQueue;
  private readonly dedupeCapacity: number;
  private userId: string | null = null;
  private unread: number | null = null;
  /** Seqs up to here are already in `unread`: the server counts a
   * notification when it is stored, but sends no `unread` frame for it, so
   * the client counts the newer unread ones it accepts itself. */
  private countedThrough = 0;
  /** The server puts inbox changes on the stream (its welcome has counts). */
  private changes = false;

  constructor(
    { rest, emit, queue, options }: FeatureContext,
    private readonly state: InboxState,
  ) {
    this.rest = rest;
    this.inboxRest = new InboxRest(rest);
    this.emit = emit;
    this.queue = queue;
    this.dedupeCapacity = options.dedupeCapacity;
    this.cursor = new InboxCursor(options.since ?? null, options.dedupeCapacity);
  }

  get lastSeq(): number | null {
    return this.cursor.lastSeq;
  }

  /** Where the stream stands, as welcome fields: what a new follower tab starts from. */
  snapshot(): Partial<WelcomeFrame> | null {
    const lastSeq = this.cursor.lastSeq;
    if (lastSeq === null || this.unread === null) return null;
    return { userId: this.userId ?? undefined, lastSeq, unreadCount: this.unread, counts: this.state.counts ?? undefined };
  }

  welcome(frame: WelcomeFrame): void {
    // Another user's token on the same client: their seqs are unrelated to ours.
    if (this.userId !== null && frame.userId !== this.userId) {
      this.cursor = new InboxCursor(null, this.dedupeCapacity);
    }
    this.userId = frame.userId;
    const last = this.cursor.lastSeq;
    // Without a cursor, start at "now"; history is what list() is for. A
    // server lastSeq below ours means the inbox was reset: believe the server.
    if (last === null || frame.lastSeq < last) this.cursor.reset(frame.lastSeq);
    this.changes = frame.counts !== undefined;
    this.state.welcome(frame);
    this.setUnread(frame.unreadCount);
    // The replay that follows a resume is already in unreadCount.
    this.countedThrough = frame.lastSeq;
    this.changed('welcome');
  }

  /**
   * Emits a notification, first fetching any it skipped over. Resolves false
   * when that fetch failed: the caller reconnects with `since`, and the
   * server's replay delivers what is missing.
   */
  async deliver(notification: Notification): Promise<boolean> {
    if (!(await this.reach(notification))) return false;
    if (this.arrival(notification) !== Arrival.Duplicate) this.accept(notification);
    return true;
  }

  /** An inbox change: applied in order like a notification. */
  async deliverChange(frame: ChangeFrame): Promise<boolean> {
    if (!(await this.reach(changeEntry(frame)))) return false;
    this.applyChange(frame);
    return true;
  }

  private applyChange(frame: ChangeFrame): void {
    const entry = changeEntry(frame);
    if (this.arrival(entry) === Arrival.Duplicate || !this.queue.active) return;
    this.cursor.accept(entry);
    this.state.change(frame);
    this.countedThrough = Math.max(this.countedThrough, frame.seq);
    this.setUnread(frame.counts.unread);
    this.emit('change', frame);
    this.changed('change');
  }

  /** `resync_required`: more was missed than a resume replays; page over REST. */
  async resync(lastSeq: number): Promise<boolean> {
    if (!(await this.fill(lastSeq))) return false;
    this.cursor.advanceTo(lastSeq);
    return true;
  }

  /** `synced`: the replay is complete up to `seq` (holes are deleted rows). */
  synced(seq: number): void {
    this.cursor.advanceTo(seq);
  }

  /** One polling round: what is new (with inbox states: every entry, so items and counts stay exact), then the unread count. */
  async poll(): Promise<void> {
    try {
      if (this.cursor.lastSeq === null) {
        // Never connected: start from the newest, as a welcome would.
        const page = await this.rest.list({ limit: 1 });
        this.cursor.reset(page.items[0]?.seq ?? 0);
      }
      await this.fetchAfter(Infinity);
      // With inbox states the entries carry the counts; before them, ask.
      if (!this.changes) this.setUnread(await this.rest.unreadCount());
      // Asked after the list, so the count includes everything just fetched.
      this.countedThrough = Math.max(this.countedThrough, this.cursor.lastSeq ?? 0);
    } catch (error) {
      // The network being down is why we poll; only report real answers.
      if (!isNetworkError(error)) this.queue.fail(error);
    }
  }

  /**
   * The v1 frames of read, unread, read-all and delete. A server with inbox
   * changes sends an `inbox.change` for each as well, which is what the
   * state follows then; an older one sends only these.
   */
  legacy(apply: (state: InboxState) => void): void {
    if (this.changes) return;
    apply(this.state);
    this.changed('change');
  }

  setUnread(count: number): void {
    if (count === this.unread) return;
    this.unread = count;
    if (this.queue.active) this.emit('unread', count);
  }

  /** Fetches what lies before `entry` when it skips ahead; false when that failed. */
  private async reach(entry: Positioned): Promise<boolean> {
    return this.arrival(entry) !== Arrival.Gap || (await this.fill(entry.seq - 1));
  }

  /** Classifies, moving the cursor over a next entry already held (polled out of order). */
  private arrival(entry: Positioned): Arrival {
    const arrival = this.cursor.classify(entry);
    if (arrival === Arrival.Duplicate && entry.seq === (this.cursor.lastSeq ?? 0) + 1) this.cursor.advanceTo(entry.seq);
    return arrival;
  }

  private async fill(until: number): Promise<boolean> {
    try {
      await this.fetchAfter(until);
      return true;
    } catch (error) {
      this.queue.fail(error);
      return false;
    }
  }

  private async fetchAfter(until: number): Promise<void> {
    if (this.changes) return this.fetchEntriesAfter(until);
    const from = this.cursor.lastSeq;
    if (from === null) return;
    for await (const page of this.rest.pagesAfter(from, until)) {
      if (!this.queue.active) return;
      // REST is authoritative and sorted: holes there are deleted or expired rows.
      for (const item of page) {
        if (this.cursor.classify(item) !== Arrival.Duplicate) this.accept(item);
      }
    }
  }

  /** A server with inbox states lists its stream, changes included (`GET /v1/notifications/entries`). */
  private async fetchEntriesAfter(until: number): Promise<void> {
    for (;;) {
      const from = this.cursor.lastSeq;
      if (from === null || from >= until) return;
      const { entries } = await this.inboxRest.entries(from, ENTRIES_PAGE);
      if (!this.queue.active) return;
      for (const entry of entries) {
        if (entry.type === ServerFrameType.Change) this.applyChange(entry);
        else if (entry.type === ServerFrameType.Notification && this.arrival(entry.notification) !== Arrival.Duplicate) this.accept(entry.notification);
      }
      // Entries below `until` are all committed (a live frame at until + 1 came): holes there are deleted rows.
      if (entries.length < ENTRIES_PAGE) return void (Number.isFinite(until) && this.cursor.advanceTo(until));
      const last = this.cursor.lastSeq ?? from;
      if (last <= from) return; // a page that moved nothing: never spin
    }
  }

  private accept(notification: Notification): void {
    if (!this.queue.active) return;
    this.cursor.accept(notification);
    this.state.notification(notification);
    this.emit('notification', notification);
    if (notification.seq > this.countedThrough) {
      this.countedThrough = notification.seq;
      if (notification.readAt === null && this.unread !== null) this.setUnread(this.unread + 1);
    }
    this.changed('notification');
  }

  private changed(reason: 'welcome' | 'notification' | 'change' | 'counts'): void {
    if (this.queue.active) this.emit('inbox', { reason, counts: this.state.counts });
  }
}
