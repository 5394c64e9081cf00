import { ServerFrameType, type NotificationFrame } from './frames.js';
import type { Notification } from './notification.js';

/** Fields every recipient's copy of one POSTed notification shares (a new copy's activitySeq and stateSeq are its seq). */
export type SharedNotificationFields = Omit<Notification, 'id' | 'seq' | 'userId' | 'activitySeq' | 'stateSeq'>;

/** What tells one copy from the others: [userId, id, seq]. */
export type MulticastTarget = [userId: string, id: string, seq: number];

/**
 * One POST's notifications as one bus message on the multicast channel
 * (api → every gateway; never sent to a client). The copies differ only in
 * id, seq and user, so a 1,000-recipient POST is one PUBLISH of the shared
 * fields plus 1,000 short targets, not 1,000 PUBLISHes of whole frames.
 */
export interface MulticastMessage {
  shared: SharedNotificationFields;
  targets: MulticastTarget[];
}

/** The copies of one notification (one POST: same fields but id, seq and user) as one message. */
export function toMulticast(copies: Notification[]): MulticastMessage {
  const { id: _id, seq: _seq, userId: _userId, activitySeq: _a, stateSeq: _s, ...shared } = copies[0];
  return { shared, targets: copies.map((n): MulticastTarget => [n.userId, n.id, n.seq]) };
}

/**
 * The inverse of toMulticast: each copy's `notification` frame and its JSON.
 * The shared fields are serialised once per message, on first use (a gateway
 * builds only the copies of users it has sockets for), and each copy's JSON
 * is that text with its id, seq and user spliced in front: byte for byte
 * what JSON.stringify of `frame(target)` gives, at a fraction of the cost.
 */
export class MulticastFrames {
  private sharedJson: string | undefined;

  constructor(private readonly shared: SharedNotificationFields) {}

  frame([userId, id, seq]: MulticastTarget): NotificationFrame {
    return { type: ServerFrameType.Notification, notification: { id, seq, activitySeq: seq, stateSeq: seq, userId, ...this.shared } };
  }

  json([userId, id, seq]: MulticastTarget): string {
    // `{"a":1}` → `,"a":1}`; an empty object leaves just the closing brace.
    this.sharedJson ??= sharedTail(JSON.stringify(this.shared));
    return `{"type":"${ServerFrameType.Notification}","notification":{"id":${JSON.stringify(id)},"seq":${seq},"activitySeq":${seq},"stateSeq":${seq},"userId":${JSON.stringify(userId)}${this.sharedJson}}`;
  }
}

const sharedTail = (json: string) => (json === '{}' ? '}' : `,${json.slice(1)}`);
