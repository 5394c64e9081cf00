import { DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { createDataSource, isEmbedded } from './data-source.js';
import { AdvisoryLocks } from './advisory-locks.js';
import { ApiKeysRepository } from './repositories/api-keys.repository.js';
import { Database, type SqlExecutor } from './database.js';
import { IdempotencyKeysRepository } from './repositories/idempotency-keys.repository.js';
import { InboxRepository } from './repositories/inbox.repository.js';
import { NotificationReader } from './repositories/notification-reader.js';
import { AudiencesRepository } from './repositories/audiences.repository.js';
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

export interface DatabaseModuleOptions {
  /** Apply pending migrations on boot (embedded and dev start). */
  migrate: boolean;
  /** PGlite in memory instead of under the data dir (tests). */
  inMemory?: boolean;
}

/** The data access the apps inject, each built over the one Database; a new table's repository joins here. */
const REPOSITORIES: (new (db: SqlExecutor) => object)[] = [
  NotificationReader, InboxRepository, IdempotencyKeysRepository, ApiKeysRepository, AdvisoryLocks, TopicReader, TopicRepository,
  OutboxRepository, PushSubscriptionsRepository, WebhooksRepository, AudiencesRepository, SendsRepository, PreferencesRepository,
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
            return new Database(dataSource, isEmbedded(config));
          },
        },
        ...REPOSITORIES.map((R) => ({ provide: R, inject: [Database], useFactory: (db: Database) => new R(db) })),
        DatabaseShutdown,
      ],
      exports: [Database, ...REPOSITORIES],
    };
  }
}

@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.db.dataSource.isInitialized) await this.db.dataSource.destroy();
  }
}
