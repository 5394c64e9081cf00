/** Event types a webhook endpoint subscribes to (`POST /v1/webhooks`), as sent in each delivery's `type`. */
export const WebhookEvent = {
  /** The notification is stored in the recipient's inbox (committed). */
  Delivered: 'notification.delivered',
  Seen: 'notification.seen',
  Read: 'notification.read',
  Interacted: 'notification.interacted',
  Archived: 'notification.archived',
} as const;
export type WebhookEvent = (typeof WebhookEvent)[keyof typeof WebhookEvent];
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = Object.values(WebhookEvent);

/** Body of one webhook delivery (signed per Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature). */
export interface WebhookPayload {
  type: WebhookEvent;
  /** ISO 8601: when the event happened. */
  timestamp: string;
  data: { notificationId: string; userId: string; type?: string; category?: string | null };
}

/** Delivery channels a preference is about; more may follow. */
export const Channel = { InApp: 'in_app', WebPush: 'web_push', Webhook: 'webhook' } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
export const CHANNELS: readonly Channel[] = Object.values(Channel);

/** What a Web Push message carries (encrypted, aes128gcm): enough to show it and link back. */
export interface PushPayload {
  id: string;
  title: string;
  /** Trimmed to a teaser. */
  body: string | null;
  link: string | null;
  /** Pushes with the same key replace each other (the service worker's tag and the Topic header). */
  groupKey: string | null;
}
