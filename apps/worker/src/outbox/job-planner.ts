import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JobInsert } from 'pg-boss';
import { Channel, WebhookEvent } from '@herald/contracts';
import {
  categoryOf, OutboxEvent, PreferencesRepository, PushSubscriptionsRepository, WebhooksRepository, type OutboxEntry, type SqlExecutor,
} from '@herald/database';
import { Queue, type PushJob, type SendJob, type WebhookJob } from '../queue/queues.js';

type Planned = Map<Queue, JobInsert<object>[]>;

/**
 * What jobs an outbox batch becomes, read inside the drain's transaction:
 * - `notification.delivered`: a push job per subscription of the
 *   recipient, and a webhook delivery per endpoint listening;
 * - another `notification.*` state event: webhook deliveries;
 * - `send.ready`: the send's job, starting at its sendAt;
 * - `webhook.replay`: the delivery's job again, with a fresh retry window.
 */
@Injectable()
export class JobPlanner {
  constructor(
    @Inject(PushSubscriptionsRepository) private readonly subscriptions: PushSubscriptionsRepository,
    @Inject(WebhooksRepository) private readonly webhooks: WebhooksRepository,
    @Inject(PreferencesRepository) private readonly preferences: PreferencesRepository,
  ) {}

  async plan(tx: SqlExecutor, entries: OutboxEntry[]): Promise<Planned> {
    const planned: Planned = new Map();
    const add = <T extends object>(queue: Queue, job: JobInsert<T>) => planned.set(queue, [...(planned.get(queue) ?? []), job]);
    const notificationEvents = entries.filter((e) => e.event.startsWith('notification.') && e.notificationId && e.userId);

    const delivered = notificationEvents.filter((e) => e.event === WebhookEvent.Delivered);
    const subs = await this.subscriptions.forUsers(tx, [...new Set(delivered.map((e) => e.userId as string))]);
    for (const e of delivered) {
      for (const s of subs) if (s.userId === e.userId) add<PushJob>(Queue.Push, { data: { notificationId: e.notificationId as string, subscriptionId: s.id } });
    }

    const events = [...new Set(notificationEvents.map((e) => e.event))];
    const endpoints = events.length ? await this.webhooks.listening(tx, events) : [];
    const deliveries: { id: string; endpointId: string; event: string; payload: unknown }[] = [];
    // A user who turned the webhook channel off for the category or type is left out of every endpoint's events.
    const checks = notificationEvents.map((e) => ({ userId: e.userId as string, category: categoryOf(e.payload ?? {}), type: String(e.payload?.type ?? '') }));
    const silenced = endpoints.length ? await this.preferences.optedOut(tx, Channel.Webhook, checks) : new Set<number>();
    for (const [i, e] of notificationEvents.entries()) {
      if (silenced.has(i)) continue;
      for (const ep of endpoints) {
        if (!ep.events.includes(e.event)) continue;
        const id = `msg_${randomUUID().replaceAll('-', '')}`;
        const payload = { type: e.event, timestamp: e.createdAt, data: { notificationId: e.notificationId, userId: e.userId, ...(e.payload ?? {}) } };
        deliveries.push({ id, endpointId: ep.id, event: e.event, payload });
        add<WebhookJob>(Queue.Webhook, { data: { deliveryId: id, since: e.createdAt } });
      }
    }
    await this.webhooks.addDeliveries(tx, deliveries);

    for (const e of entries) {
      if (e.event === OutboxEvent.SendReady) {
        const { sendId, sendAt } = e.payload as { sendId: string; sendAt?: string };
        add<SendJob>(Queue.Send, { data: { sendId }, startAfter: sendAt ? new Date(sendAt) : undefined });
      } else if (e.event === OutboxEvent.WebhookReplay) {
        const { deliveryId } = e.payload as { deliveryId: string };
        add<WebhookJob>(Queue.Webhook, { data: { deliveryId, since: e.createdAt } });
      }
    }
    return planned;
  }
}
