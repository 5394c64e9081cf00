import { DynamicModule, Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { createDataSource, isEmbedded } from './data-source.js';
import { AdvisoryLocks } from './advisory-locks.js';
import { ApiKeysRepository } from './repositories/api-keys.repository.js';
import { Database } from './database.js';
import { createPublishPool } from './publish-pool.js';
import { IdempotencyKeysRepository } from './repositories/idempotency-keys.repository.js';
import { InboxRepository } from './repositories/inbox.repository.js';
import { NotificationReader } from './repositories/notification-reader.js';
import { AudiencesRepository } from './repositories/audiences.repository.js';
import { PartitionsRepository } from './repositories/partitions.repository.js';
import { OutboxRepository } from './repositories/outbox.repository.js';
import { PreferencesRepository } from './repositories/preferences.repository.js';
import { PushSubscriptionsRepository } from './repositories/push-subscriptions.repository.js';
import { SendsRepository } from './repositories/sends.repository.js';
import { TopicReader } from './repositories/topic-reader.js';
import { TopicRepository } from './repositories/topic.repository.js';
import { WebhooksRepository } from './repositories/webhooks.repository.js';
import { DeliveryReceiptsRepository } from './repositories/delivery-receipts.repository.js';
import { InboxAppender } from './repositories/inbox-appender.js';
import { InboxChangesRepository } from './repositories/inbox-changes.repository.js';
import { NotificationLookup } from './repositories/notification-lookup.js';
import { SnoozeWakerRepository } from './repositories/snooze-waker.repository.js';
import { runMigrationsLocked } from './run-migrations.js';
import { READ_REPLICA, ReadReplica } from './read-replica.js';

export interface DatabaseModuleOptions {
  /** Apply pending migrations on boot (embedded and dev start). */
  migrate: boolean;
  /** PGlite in memory instead of under the data dir (tests). */
  inMemory?: boolean;
}

/** The data access the apps inject, each built over the one Database; a new table's repository joins here. */
const REPOSITORIES: (new (db: Database) => object)[] = [
  NotificationReader, InboxRepository, IdempotencyKeysRepository, ApiKeysRepository, AdvisoryLocks, TopicReader, TopicRepository,
  OutboxRepository, PushSubscriptionsRepository, WebhooksRepository, AudiencesRepository, SendsRepository, PreferencesRepository, PartitionsRepository,
  InboxChangesRepository, InboxAppender, SnoozeWakerRepository, DeliveryReceiptsRepository, NotificationLookup,
];

/** Provides Database and the repositories over one initialised DataSource. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: Database,
          inject: [HERALD_CONFIG],
          useFactory: async (config: HeraldConfig) => {
            const dataSource = createDataSource(config, { inMemory: options.inMemory });
            await dataSource.initialize();
            if (options.migrate) await runMigrationsLocked(dataSource, isEmbedded(config));
            // Connects lazily: a process that never publishes (gateway, worker) opens no connection on it.
            const logger = new Logger('Database');
            const publishPool = config.database.url ? createPublishPool(config.database.url, (message) => logger.warn(message)) : undefined;
            return new Database(dataSource, isEmbedded(config), publishPool);
          },
        },
        ...REPOSITORIES.map((R) => ({ provide: R, inject: [Database], useFactory: (db: Database) => new R(db) })),
        {
          // Connects lazily: a process that never reads from it (gateway, worker) opens no connection.
          provide: READ_REPLICA,
          inject: [HERALD_CONFIG, Database],
          useFactory: (config: HeraldConfig, db: Database) => {
            if (!config.replica.url) return null;
            const logger = new Logger('ReadReplica');
            return ReadReplica.connect(config.replica.url, config.database.poolSize, db, (message) => logger.warn(message));
          },
        },
        DatabaseShutdown,
      ],
      exports: [Database, READ_REPLICA, ...REPOSITORIES],
    };
  }
}

@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(READ_REPLICA) private readonly replica: ReadReplica | null,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.replica?.close();
    await this.db.closePublishing();
    if (this.db.dataSource.isInitialized) await this.db.dataSource.destroy();
  }
}
