import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'pg-boss';
import { Webhook } from 'standardwebhooks';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { WebhooksRepository } from '@herald/database';
import { Metrics } from '@herald/observability';
import { OutboundClient } from '@herald/outbound';
import { Queue, type WebhookJob } from '../queue/queues.js';
import { RetryableError } from '../queue/retryable.error.js';

/** A slow endpoint holds a worker slot this long at most. */
const TIMEOUT_MS = 10_000;

/**
 * One webhook delivery, signed per Standard Webhooks (HMAC-SHA256 over
 * `id.timestamp.body`, headers webhook-id / webhook-timestamp /
 * webhook-signature). The id is the delivery's, the same on every retry,
 * so the receiver can drop duplicates. Any 2xx delivers. Anything else is
 * retried with backoff until HERALD_WEBHOOK_RETRY_WINDOW_SECONDS have passed
 * since the round began; then the endpoint is disabled with the reason.
 * Idempotent: a delivered delivery or a disabled endpoint is not called.
 */
@Injectable()
export class WebhookJobHandler {
  constructor(
    @Inject(WebhooksRepository) private readonly webhooks: WebhooksRepository,
    @Inject(OutboundClient) private readonly outbound: OutboundClient,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async handle(job: Job<WebhookJob>): Promise<void> {
    const delivery = await this.webhooks.delivery(job.data.deliveryId);
    if (!delivery || delivery.status === 'delivered') return;
    const endpoint = await this.webhooks.find(delivery.endpointId);
    if (!endpoint?.enabled) {
      await this.webhooks.recordAttempt(delivery.id, { status: 'failed', error: 'endpoint disabled' });
      return;
    }
    const body = JSON.stringify(delivery.payload);
    const now = new Date();
    const signature = new Webhook(endpoint.secret).sign(delivery.id, now, body);
    let failure: string;
    let httpStatus: number | undefined;
    try {
      const res = await this.outbound.request({
        url: endpoint.url,
        method: 'POST',
        timeoutMs: TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Herald-Webhooks/1',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
      });
      httpStatus = res.status;
      if (res.status >= 200 && res.status < 300) {
        await this.webhooks.recordAttempt(delivery.id, { status: 'delivered', httpStatus });
        this.metrics.jobLatency.observe({ queue: Queue.Webhook }, (Date.now() - Date.parse(delivery.createdAt)) / 1000);
        return;
      }
      failure = `endpoint answered ${res.status}`;
    } catch (err) {
      failure = describe(err);
    }
    const windowEnds = Date.parse(job.data.since) + this.config.worker.webhookRetryWindowSeconds * 1000;
    if (Date.now() >= windowEnds) {
      await this.webhooks.recordAttempt(delivery.id, { status: 'failed', httpStatus, error: failure });
      await this.webhooks.disable(endpoint.id, `no successful delivery for ${this.config.worker.webhookRetryWindowSeconds} s; last: ${failure}`);
      this.metrics.jobFailures.inc({ queue: Queue.Webhook, kind: 'endpoint_disabled' });
      return;
    }
    await this.webhooks.recordAttempt(delivery.id, { status: 'pending', httpStatus, error: failure });
    throw new RetryableError(httpStatus ? `webhook_${httpStatus}` : 'webhook_network', failure);
  }
}

/** A network failure as the endpoint's owner may read it: the code, not our internals. */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'validation_failed') return 'URL refused: not a public https endpoint';
  return e.code ? `request failed: ${e.code}` : 'request failed';
}
