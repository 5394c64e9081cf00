import { Module } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { OutboundClient } from '@herald/outbound';
import { UserFramePublisher } from '../../api/src/publishing/user-frame.publisher.js';
import { JobPlanner } from './outbox/job-planner.js';
import { OutboxDrainer } from './outbox/outbox-drainer.js';
import { PushJobHandler } from './push/push-job.handler.js';
import { WebPushSender } from './push/web-push.sender.js';
import { JobQueue } from './queue/job-queue.js';
import { QueueMetrics } from './queue/queue-metrics.js';
import { SendJobHandler } from './sends/send-job.handler.js';
import { SnoozeWaker } from './snooze/snooze-waker.service.js';
import { WebhookJobHandler } from './webhooks/webhook-job.handler.js';
import { WorkerRunner } from './worker-runner.js';

/**
 * The worker's features; needs config, database, bus and metrics from the
 * root. Embedded mode imports it beside the api and the gateway.
 */
@Module({
  providers: [
    JobQueue,
    JobPlanner,
    OutboxDrainer,
    QueueMetrics,
    WebPushSender,
    PushJobHandler,
    WebhookJobHandler,
    SendJobHandler,
    SnoozeWaker,
    UserFramePublisher,
    WorkerRunner,
    {
      provide: OutboundClient,
      inject: [HERALD_CONFIG],
      useFactory: (config: HeraldConfig) => new OutboundClient({ allowPrivate: config.worker.allowPrivateEndpoints }),
    },
  ],
})
export class WorkerModule {}
