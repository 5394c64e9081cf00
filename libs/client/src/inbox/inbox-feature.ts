import { ServerFrameType, type WelcomeFrame } from '@herald/contracts';
import type { ClientFeature, FeatureContext } from '../core/client-feature.js';
import { InboxSync } from './inbox-sync.js';

/**
 * The user's inbox: owns the frames of the user's ordered stream and the
 * inbox changes made elsewhere (another tab, another device, the api), and
 * turns them into the client's inbox events. Ordering, gap fill and the
 * unread count live in InboxSync; this file only says which frame goes where.
 */
export class InboxFeature implements ClientFeature {
  private readonly sync: InboxSync;

  constructor(context: FeatureContext) {
    const sync = (this.sync = new InboxSync(context));
    const { emit, restart } = context;
    context.router
      // A failed fetch means reconnecting: the resume then replays the rest.
      .on(ServerFrameType.Notification, async (frame, link) => {
        if (!(await sync.deliver(frame.notification))) restart(link);
      })
      .on(ServerFrameType.ResyncRequired, async (frame, link) => {
        if (!(await sync.resync(frame.lastSeq))) restart(link);
      })
      .on(ServerFrameType.Synced, (frame) => sync.synced(frame.seq))
      .on(ServerFrameType.Unread, (frame) => sync.setUnread(frame.count))
      .on(ServerFrameType.NotificationUpdated, ({ id, readAt }) => emit('updated', { id, readAt }))
      .on(ServerFrameType.NotificationDeleted, ({ id }) => emit('deleted', { id }))
      .on(ServerFrameType.ReadAll, ({ readAt }) => emit('readAll', { readAt }));
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
