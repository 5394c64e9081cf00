import { WebhookEvent } from '@herald/contracts';

/**
 * The transactional outbox's clause in ingest's one statement (a CTE over
 * `ins`, the inserted notifications): a `notification.delivered` row for
 * each new notification that has somewhere to go beyond the socket, that is
 * when its recipient has a push subscription or an enabled webhook endpoint
 * listens for the event. Everyone else costs one index probe and no row.
 * Rows commit or roll back with the notifications; the worker drains them.
 */
export const OUTBOX_DELIVERED = `ob AS (
         INSERT INTO outbox (event, notification_id, user_id, payload)
           SELECT '${WebhookEvent.Delivered}', ins.id, ins.user_id, jsonb_build_object('type', ins.type, 'category', ins.category) FROM ins
            WHERE EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.user_id = ins.user_id)
               OR EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.enabled AND '${WebhookEvent.Delivered}' = ANY (w.events))
       )`;

/** The inbox state changes a webhook can listen for, by change kind (the event is `notification.<kind>`). */
export const STATE_EVENT_KINDS = ['seen', 'read', 'interacted', 'archived'] as const;

/**
 * The outbox clause for a state change, for the inbox's change statement
 * (a CTE over `changed`, the rows the change touched, with `id`, `type` and
 * `category`): a `notification.<kind>` row per changed notification, only
 * when the kind is one of STATE_EVENT_KINDS and an enabled webhook endpoint
 * listens for that event. `user` and `kind` are the statement's parameter
 * references (e.g. `$1`, `$7`). Nothing listening: no row, no extra round trip.
 */
export function outboxStateEvents(changed: string, user: string, kind: string): string {
  const event = `('notification.' || ${kind}::text)`;
  return `ob AS (
         INSERT INTO outbox (event, notification_id, user_id, payload)
           SELECT ${event}, ${changed}.id, ${user}, jsonb_build_object('type', ${changed}.type, 'category', ${changed}.category) FROM ${changed}
            WHERE ${kind}::text IN (${STATE_EVENT_KINDS.map((k) => `'${k}'`).join(', ')})
              AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.enabled AND ${event} = ANY (w.events))
       )`;
}
