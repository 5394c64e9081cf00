import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { DrainState } from '@herald/observability';
import { OutboundClient } from '@herald/outbound';
import { OutboxDrainer } from './outbox/outbox-drainer.js';
import { PushJobHandler } from './push/push-job.handler.js';
import { JobQueue } from './queue/job-queue.js';
import { QueueMetrics } from './queue/queue-metrics.js';
import { Queue } from './queue/queues.js';
import { SendJobHandler } from './sends/send-job.handler.js';
import { WebhookJobHandler } from './webhooks/webhook-job.handler.js';

/**
 * Starts the queue, its handlers and the outbox drain once the app is up;
 * on SIGTERM reports not-ready, stops draining and fetching, and lets the
 * running jobs finish (bounded) before the database closes. A job cut off
 * by a kill is retried after it expires: every handler is idempotent.
 */
@Injectable()
export class WorkerRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(OutboxDrainer) private readonly drainer: OutboxDrainer,
    @Inject(QueueMetrics) private readonly queueMetrics: QueueMetrics,
    @Inject(PushJobHandler) private readonly push: PushJobHandler,
    @Inject(WebhookJobHandler) private readonly webhooks: WebhookJobHandler,
    @Inject(SendJobHandler) private readonly sends: SendJobHandler,
    @Inject(DrainState) private readonly drain: DrainState,
    @Inject(OutboundClient) private readonly outbound: OutboundClient,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start();
    const n = this.config.worker.concurrency;
    await this.queue.work(Queue.Push, n, (job) => this.push.handle(job as Parameters<PushJobHandler['handle']>[0]));
    await this.queue.work(Queue.Webhook, n, (job) => this.webhooks.handle(job as Parameters<WebhookJobHandler['handle']>[0]));
    // Sends write thousands of rows per chunk: two at a time keep the database for everyone else.
    await this.queue.work(Queue.Send, 2, (job) => this.sends.handle(job as Parameters<SendJobHandler['handle']>[0]));
    this.drainer.start();
    this.queueMetrics.start();
  }

  /** Before the HTTP server closes, so /readyz answers 503 while running jobs finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.drain.start();
    this.queueMetrics.stop();
    await this.drainer.stop();
    await this.queue.stop();
    this.outbound.close();
  }
}
