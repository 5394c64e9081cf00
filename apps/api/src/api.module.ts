import { Module } from '@nestjs/common';
import { AdminController } from './admin/admin.controller.js';
import { BroadcastsController } from './broadcasts/broadcasts.controller.js';
import { PartitionMaintenanceService } from './retention/partition-maintenance.service.js';
import { RetentionService } from './retention/retention.service.js';
import { ClientStatsModule } from './client-stats/client-stats.module.js';
import { DemoModule } from './demo/demo.module.js';
import { InboxController } from './inbox/inbox.controller.js';
import { InboxReads } from './inbox/inbox-reads.js';
import { InboxService } from './inbox/inbox.service.js';
import { recentWritersProvider } from './inbox/recent-writers.js';
import { InboxChangesService } from './inbox/inbox-changes.service.js';
import { SentNotificationsController } from './inbox/sent-notifications.controller.js';
import { BatchWriter } from './notifications/batch-writer.js';
import { IngestService } from './notifications/ingest.service.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { UserFramePublisher } from './publishing/user-frame.publisher.js';
import { TicketsController } from './tickets/tickets.controller.js';
import { AudiencesController } from './audiences/audiences.controller.js';
import { PushSubscriptionsController } from './push/push-subscriptions.controller.js';
import { SendsController } from './sends/sends.controller.js';
import { SendsService } from './sends/sends.service.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';
import { InAppGate } from './preferences/in-app-gate.js';
import { PreferencesController } from './preferences/preferences.controller.js';
import { PublishRateLimitGuard } from './rate-limit/publish-rate-limit.guard.js';
import { PUBLISH_RATE_LIMITER, publishRateLimiterProvider } from './rate-limit/publish-rate-limiter.js';
import { TOPIC_CONTROLLERS, TOPIC_PROVIDERS } from './topics/topics.providers.js';

/** The api's features; needs config, database, bus, auth and metrics from the root. */
@Module({
  imports: [DemoModule, ClientStatsModule],
  controllers: [
    NotificationsController, InboxController, TicketsController, AdminController, BroadcastsController,
    PushSubscriptionsController, WebhooksController, AudiencesController, SendsController, PreferencesController, ...TOPIC_CONTROLLERS,
    // Last: its GET notifications/:id must not shadow InboxController's fixed paths.
    SentNotificationsController,
  ],
  providers: [
    IngestService,
    SendsService,
    InAppGate,
    BatchWriter,
    InboxService,
    InboxReads,
    recentWritersProvider,
    InboxChangesService,
    UserFramePublisher,
    PublishRateLimitGuard,
    RetentionService,
    PartitionMaintenanceService,
    publishRateLimiterProvider,
    ...TOPIC_PROVIDERS,
  ],
  exports: [PublishRateLimitGuard, PUBLISH_RATE_LIMITER],
})
export class ApiModule {}
