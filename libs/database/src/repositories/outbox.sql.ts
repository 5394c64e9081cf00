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
           SELECT '${WebhookEvent.Delivered}', ins.id, ins.user_id, jsonb_build_object('type', ins.type) FROM ins
            WHERE EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.user_id = ins.user_id)
               OR EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.enabled AND '${WebhookEvent.Delivered}' = ANY (w.events))
       )`;
