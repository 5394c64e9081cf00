import { DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { Bus } from './bus.js';
import { InProcessBus } from './in-process-bus.js';
import { InMemoryPresenceStore } from './in-memory-presence-store.js';
import { PresenceStore } from './presence-store.js';
import { RedisBus } from './redis-bus.js';
import { RedisClusterBus } from './redis-cluster-bus.js';
import { createRedisConnection, REDIS_CONNECTION, type RedisConnection } from './redis-connection.js';
import { redisOrInMemory } from './redis-or-in-memory.js';
import { RedisPresenceStore } from './redis-presence-store.js';
import { InMemoryTicketStore } from './in-memory-ticket-store.js';
import { rateLimitsProvider, RateLimits } from './limits/rate-limits.js';
import { RedisTicketStore } from './redis-ticket-store.js';
import { TicketStore } from './ticket-store.js';

/** How long start-up waits for Redis before it goes on, not ready (see whenAllReady). */
const READY_TIMEOUT_MS = 5000;

/**
 * Provides the Redis connection (REDIS_CONNECTION, null without REDIS_URL),
 * the Bus, the TicketStore, the PresenceStore and the RateLimits: on a Redis Cluster when
 * HERALD_REDIS_CLUSTER=true, on one Redis when REDIS_URL is set, in-process
 * otherwise. A new Redis-backed store is provided the same way, with
 * `redisOrInMemory`, in the module that uses it.
 */
@Global()
@Module({})
export class BusModule {
  /** `name`: the process's connection name in CLIENT LIST, e.g. `herald-gateway`. */
  static forRoot(name: string): DynamicModule {
    return {
      module: BusModule,
      providers: [
        { provide: REDIS_CONNECTION, inject: [HERALD_CONFIG], useFactory: (config: HeraldConfig) => createRedisConnection(config.redis, name) },
        redisOrInMemory<Bus>({
          provide: Bus,
          redis: async (connection) => {
            const bus = connection.kind === 'cluster' ? new RedisClusterBus(connection) : new RedisBus(connection);
            await bus.whenReady(READY_TIMEOUT_MS);
            return bus;
          },
          inMemory: () => new InProcessBus(),
        }),
        redisOrInMemory<TicketStore>({
          provide: TicketStore,
          redis: (connection, config) => new RedisTicketStore(connection, { maxPerUser: config.limits.maxTicketsPerUser }),
          inMemory: (config) => new InMemoryTicketStore({ maxPerUser: config.limits.maxTicketsPerUser }),
        }),
        redisOrInMemory<PresenceStore>({
          provide: PresenceStore,
          redis: (connection) => new RedisPresenceStore(connection),
          inMemory: () => new InMemoryPresenceStore(),
        }),
        rateLimitsProvider,
        BusShutdown,
      ],
      exports: [REDIS_CONNECTION, Bus, TicketStore, PresenceStore, RateLimits],
    };
  }
}

/** Closes the bus, then the connection it and the stores send commands on. */
@Injectable()
class BusShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(REDIS_CONNECTION) private readonly connection: RedisConnection | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.connection?.close();
  }
}
