import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'pg-boss';
import { PresenceStore } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { Channel } from '@herald/contracts';
import { categoryOf, Database, NotificationReader, PreferencesRepository, PushSubscriptionsRepository } from '@herald/database';
import { Metrics } from '@herald/observability';
import { JobQueue } from '../queue/job-queue.js';
import { Queue, type PushJob } from '../queue/queues.js';
import { RetryableError } from '../queue/retryable.error.js';
import { pushPayload, WebPushSender } from './web-push.sender.js';

/**
 * One notification to one browser, unless the user turned web push off
 * for its category or type (asked when the job runs, so a change applies
 * to pushes not yet sent). A user with a live socket sees it
 * there: the push waits HERALD_PUSH_DELAY_MS and goes only if the
 * notification is still unread by then. 404/410 mean the browser dropped
 * the subscription: it is deleted. 429 and 5xx are retried with backoff;
 * other 4xx are the request's fault and are not retried.
 */
@Injectable()
export class PushJobHandler {
  private readonly logger = new Logger(PushJobHandler.name);

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(NotificationReader) private readonly reader: NotificationReader,
    @Inject(PushSubscriptionsRepository) private readonly subscriptions: PushSubscriptionsRepository,
    @Inject(PresenceStore) private readonly presence: PresenceStore,
    @Inject(PreferencesRepository) private readonly preferences: PreferencesRepository,
    @Inject(WebPushSender) private readonly sender: WebPushSender,
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async handle(job: Job<PushJob>): Promise<void> {
    if (!this.sender.enabled) return;
    const { notificationId, subscriptionId, deferred } = job.data;
    const [notification] = await this.reader.byIds([notificationId]);
    const sub = notification && (await this.subscriptions.find(subscriptionId));
    if (!notification || !sub) return; // deleted, expired or unsubscribed since: nothing to do
    const check = { userId: notification.userId, category: categoryOf(notification), type: notification.type };
    if ((await this.preferences.optedOut(this.db, Channel.WebPush, [check])).size > 0) return;
    const delay = this.config.worker.pushDelayMs;
    if (!deferred && delay > 0 && (await this.presence.presence(notification.userId)).online) {
      await this.queue.enqueue<PushJob>(this.db, Queue.Push, [{ data: { ...job.data, deferred: true }, startAfter: new Date(Date.now() + delay) }]);
      return;
    }
    // Archived or snoozed: out of the inbox, nothing to announce (a wake-up is live on the socket).
    if (notification.archivedAt || notification.snoozedUntil) return;
    // Deferred: read or seen meanwhile (shown in a list on an open page), the user has it.
    if (deferred && (notification.readAt !== null || notification.seenAt)) return;
    const res = await this.sender.send(sub, pushPayload(notification));
    if (res.status === 404 || res.status === 410) {
      await this.subscriptions.remove(sub.id);
      return;
    }
    if (res.status === 429 || res.status >= 500) throw new RetryableError(`push_${res.status}`, `push service answered ${res.status}`);
    if (res.status >= 400) {
      this.metrics.jobFailures.inc({ queue: Queue.Push, kind: `push_${res.status}` });
      this.logger.warn(`push service refused a push with ${res.status}; not retried`);
      return;
    }
    this.metrics.jobLatency.observe({ queue: Queue.Push }, (Date.now() - Date.parse(notification.createdAt)) / 1000);
  }
}
