import { Module } from '@nestjs/common';
import { Admission } from './connection/admission.js';
import { ConnectionService } from './connection/connection.service.js';
import { HeartbeatService } from './connection/heartbeat.service.js';
import { InboundHandler } from './connection/inbound-handler.js';
import { NotificationsGateway } from './connection/notifications.gateway.js';
import { SessionCloser } from './connection/session-closer.js';
import { SessionRegistry } from './connection/session-registry.js';
import { FanoutService } from './fanout/fanout.service.js';
import { ChannelRegistry } from './fanout/channel-registry.js';
import { ChannelSubscriptions } from './fanout/channel-subscriptions.js';
import { ResumeService } from './resume/resume.service.js';
import { ResyncService } from './resume/resync.service.js';
import { DrainService } from './drain/drain.service.js';
import { SharedChannelsSubscription } from './fanout/shared-channels-subscription.js';
import { PresenceReporter } from './presence/presence-reporter.js';
import { DeliveryReceipts } from './receipts/delivery-receipts.service.js';
import { UserStream } from './streams/user-stream.js';
import { TOPIC_PROVIDERS } from './topics/topics.providers.js';

/** The gateway's features; needs config, database, bus, auth and metrics from the root. */
@Module({
  providers: [
    NotificationsGateway,
    ConnectionService,
    Admission,
    InboundHandler,
    SessionCloser,
    SessionRegistry,
    HeartbeatService,
    ChannelRegistry,
    ChannelSubscriptions,
    FanoutService,
    ResumeService,
    ResyncService,
    DrainService,
    PresenceReporter,
    SharedChannelsSubscription,
    UserStream,
    DeliveryReceipts,
    ...TOPIC_PROVIDERS,
  ],
  exports: [SessionRegistry, ChannelSubscriptions],
})
export class GatewayModule {}
