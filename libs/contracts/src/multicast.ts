import type { Notification } from './notification.js';

/** Fields every recipient's copy of one POSTed notification shares. */
export type SharedNotificationFields = Omit<Notification, 'id' | 'seq' | 'userId'>;

/**
 * One POST's notifications as one bus message on the multicast channel
 * (api → every gateway; never sent to a client). The copies differ only in
 * id, seq and user, so a 1,000-recipient POST is one PUBLISH of the shared
 * fields plus 1,000 short targets, not 1,000 PUBLISHes of whole frames.
 */
export interface MulticastMessage {
  shared: SharedNotificationFields;
  /** [userId, id, seq] of each copy. */
  targets: [userId: string, id: string, seq: number][];
}

/** The copies of one notification (one POST: same fields but id, seq and user) as one message. */
export function toMulticast(copies: Notification[]): MulticastMessage {
  const { id: _id, seq: _seq, userId: _userId, ...shared } = copies[0];
  return { shared, targets: copies.map((n): [string, string, number] => [n.userId, n.id, n.seq]) };
}
