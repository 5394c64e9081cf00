import { ServerFrameType, type NotificationFrame } from './frames.js';
import type { Notification } from './notification.js';

/** The frame a stored or new notification travels in, live and on replay alike. */
export function notificationFrame(notification: Notification): NotificationFrame {
  return { type: ServerFrameType.Notification, notification };
}
