import { Module } from '@nestjs/common';
import { InboxController } from './inbox/inbox.controller.js';
import { InboxService } from './inbox/inbox.service.js';
import { IngestService } from './notifications/ingest.service.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { UserFramePublisher } from './publishing/user-frame.publisher.js';
import { TicketsController } from './tickets/tickets.controller.js';

/** The api's features; needs config, database, bus, auth and metrics from the root. */
@Module({
  controllers: [NotificationsController, InboxController, TicketsController],
  providers: [IngestService, InboxService, UserFramePublisher],
})
export class ApiModule {}
