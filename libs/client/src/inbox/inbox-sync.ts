import type { Notification, WelcomeFrame } from '@herald/contracts';
import type { Emit, FeatureContext } from '../core/client-feature.js';
import type { TaskQueue } from '../core/task-queue.js';
import { isNetworkError } from '../herald-errors.js';
import type { RestClient } from '../rest-client.js';
import { Arrival, InboxCursor } from './inbox-cursor.js';

/**
 * Turns whatever reaches the client (live frames, resume replays, REST pages
 * from gap fill, resync and polling) into one stream of `notification`
 * events in seq order, each exactly once. It runs in the client's queue, so
 * a live frame that arrives while a gap is being fetched waits its turn.
 */
export class InboxSync {
  private cursor: InboxCursor;
  private readonly rest: RestClient;
  private readonly emit: Emit;
  private readonly queue: TaskQueue;
  private readonly dedupeCapacity: number;
  private userId: string | null = null;
  private unread: number | null = null;
  /** Seqs up to here are already in `unread`: the server counts a
   * notification when it is stored, but sends no `unread` frame for it, so
   * the client counts the newer unread ones it accepts itself. */
  private countedThrough = 0;

  constructor({ rest, emit, queue, options }: FeatureContext) {
    this.rest = rest;
    this.emit = emit;
    this.queue = queue;
    this.dedupeCapacity = options.dedupeCapacity;
    this.cursor = new InboxCursor(options.since ?? null, options.dedupeCapacity);
  }

  get lastSeq(): number | null {
    return this.cursor.lastSeq;
  }

  snapshot(): Partial<WelcomeFrame> | null {
    const lastSeq = this.cursor.lastSeq;
    if (lastSeq === null || this.unread === null) return null;
    return { userId: this.userId ?? undefined, lastSeq, unreadCount: this.unread };
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
    this.setUnread(frame.unreadCount);
    // The replay that follows a resume is already in unreadCount.
    this.countedThrough = frame.lastSeq;
  }

  /**
   * Emits a notification, first fetching any it skipped over. Resolves false
   * when that fetch failed: the caller reconnects with `since`, and the
   * server's replay delivers what is missing.
   */
  async deliver(notification: Notification): Promise<boolean> {
    const arrival = this.cursor.classify(notification);
    if (arrival === Arrival.Duplicate) return true;
    if (arrival === Arrival.Gap && !(await this.fill(notification.seq - 1))) return false;
    // The fill may have fetched this very one (pages overshoot the gap).
    if (this.cursor.classify(notification) !== Arrival.Duplicate) this.accept(notification);
    return true;
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

  /** One polling round: what is new, then the unread count. */
  async poll(): Promise<void> {
    try {
      if (this.cursor.lastSeq === null) {
        // Never connected: start from the newest, as a welcome would.
        const page = await this.rest.list({ limit: 1 });
        this.cursor.reset(page.items[0]?.seq ?? 0);
      }
      await this.fetchAfter(Infinity);
      this.setUnread(await this.rest.unreadCount());
      // Asked after the list, so the count includes everything just fetched.
      this.countedThrough = Math.max(this.countedThrough, this.cursor.lastSeq ?? 0);
    } catch (error) {
      // The network being down is why we poll; only report real answers.
      if (!isNetworkError(error)) this.queue.fail(error);
    }
  }

  setUnread(count: number): void {
    if (count === this.unread) return;
    this.unread = count;
    if (this.queue.active) this.emit('unread', count);
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
    const from = this.cursor.lastSeq;
    if (from === null) return;
    for await (const page of this.rest.pagesAfter(from, until)) {
      if (!this.queue.active) return;
      // REST is authoritative and sorted: holes there are deleted or expired
      // rows, so anything not already seen goes out.
      for (const item of page) {
        if (this.cursor.classify(item) !== Arrival.Duplicate) this.accept(item);
      }
    }
  }

  private accept(notification: Notification): void {
    if (!this.queue.active) return;
    this.cursor.accept(notification);
    this.emit('notification', notification);
    if (notification.seq > this.countedThrough) {
      this.countedThrough = notification.seq;
      if (notification.readAt === null && this.unread !== null) this.setUnread(this.unread + 1);
    }
  }
}
