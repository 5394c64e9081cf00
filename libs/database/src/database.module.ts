import { DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { createDataSource, isEmbedded } from './data-source.js';
import { Database } from './database.js';
import { runMigrationsLocked } from './run-migrations.js';
import { NotificationReader } from './notification-reader.js';

export interface DatabaseModuleOptions {
  /** Apply pending migrations on boot (embedded and dev start). */
  migrate: boolean;
  /** PGlite in memory instead of under the data dir (tests). */
  inMemory?: boolean;
}

/** Provides Database and NotificationReader over one initialised DataSource. */
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
        { provide: NotificationReader, inject: [Database], useFactory: (db: Database) => new NotificationReader(db) },
        DatabaseShutdown,
      ],
      exports: [Database, NotificationReader],
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
