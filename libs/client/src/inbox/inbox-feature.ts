import { ServerFrameType, type WelcomeFrame } from '@herald/contracts';
import type { ClientFeature, FeatureContext } from '../core/client-feature.js';
import { Inbox } from './inbox.js';
import { InboxRest } from './inbox-rest.js';
import { InboxState } from './inbox-state.js';
import { InboxSync } from './inbox-sync.js';

/**
 * The user's inbox on the socket: its frames, routed to InboxSync (order,
 * gaps, counts) and to plain events, and the `client.inbox` facade. The
 * frame handlers run in the client's queue; see the README for what goes where.
 */
export class InboxFeature implements ClientFeature {
  private readonly sync: InboxSync;
  readonly inbox: Inbox;

  constructor(context: FeatureContext, live: () => boolean) {
    const state = new InboxState(context.options.dedupeCapacity);
    const sync = (this.sync = new InboxSync(context, state));
    const { emit, restart, options, queue } = context;
    this.inbox = new Inbox({
      state,
      rest: new InboxRest(context.rest),
      emit,
      timers: options.timers,
      seenBatchMs: options.seenBatchMs,
      live,
      fail: (error) => queue.fail(error),
    });
    context.router
      // A failed fetch means reconnecting: the resume then replays the rest.
      .on(ServerFrameType.Notification, async (frame, link) => {
        if (!(await sync.deliver(frame.notification))) restart(link);
      })
      .on(ServerFrameType.Change, async (frame, link) => {
        if (!(await sync.deliverChange(frame))) restart(link);
      })
      .on(ServerFrameType.ResyncRequired, async (frame, link) => {
        if (!(await sync.resync(frame.lastSeq))) restart(link);
      })
      .on(ServerFrameType.Synced, (frame) => sync.synced(frame.seq))
      .on(ServerFrameType.Unread, (frame) => sync.setUnread(frame.count))
      .on(ServerFrameType.NotificationUpdated, ({ id, readAt }) => {
        sync.legacy((s) => s.patch(id, { readAt }));
        emit('updated', { id, readAt });
      })
      .on(ServerFrameType.NotificationDeleted, ({ id }) => {
        sync.legacy((s) => s.remove(id));
        emit('deleted', { id });
      })
      .on(ServerFrameType.ReadAll, ({ readAt }) => {
        sync.legacy((s) => s.readAll(readAt));
        emit('readAll', { readAt });
      });
  }

  /** The last seq emitted; also where the next socket resumes. */
  get lastSeq(): number | null {
    return this.sync.lastSeq;
  }

  /** Where this tab's stream stands, as welcome fields: what a new follower tab starts from. */
  snapshot(): Partial<WelcomeFrame> | null {
    return this.sync.snapshot();
  }

  welcome(frame: WelcomeFrame): void {
    this.sync.welcome(frame);
  }

  poll(): Promise<void> {
    return this.sync.poll();
  }
}
