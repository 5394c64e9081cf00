import { DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { Bus } from './bus.js';
import { InProcessBus } from './in-process-bus.js';
import { RedisBus } from './redis-bus.js';
import { RedisClusterBus } from './redis-cluster-bus.js';
import { redisClientOf } from './redis-client-of.js';
import { InMemoryTicketStore, RedisTicketStore, TicketStore } from './ticket-store.js';
import { InMemoryPresenceStore } from './in-memory-presence-store.js';
import { PresenceStore } from './presence-store.js';
import { RedisPresenceStore } from './redis-presence-store.js';

/**
 * Provides the Bus, the TicketStore and the PresenceStore: Redis Cluster when
 * HERALD_REDIS_CLUSTER=true, Redis when REDIS_URL is set, in-process otherwise.
 */
@Global()
@Module({})
export class BusModule {
  static forRoot(name: string): DynamicModule {
    return {
      module: BusModule,
      providers: [
        {
          provide: Bus,
          inject: [HERALD_CONFIG],
          useFactory: async (config: HeraldConfig) => {
            if (!config.redis.url) return new InProcessBus();
            const bus = config.redis.cluster
              ? new RedisClusterBus({ urls: config.redis.clusterNodes, name })
              : new RedisBus({ url: config.redis.url, name });
            await bus.whenReady(5000);
            return bus;
          },
        },
        {
          provide: TicketStore,
          inject: [Bus, HERALD_CONFIG],
          useFactory: (bus: Bus, config: HeraldConfig) => {
            const redis = redisClientOf(bus);
            return redis ? new RedisTicketStore(redis, config.redis.prefix) : new InMemoryTicketStore();
          },
        },
        {
          provide: PresenceStore,
          inject: [Bus, HERALD_CONFIG],
          useFactory: (bus: Bus, config: HeraldConfig) => {
            const redis = redisClientOf(bus);
            return redis ? new RedisPresenceStore(redis, config.redis.prefix, { cluster: config.redis.cluster }) : new InMemoryPresenceStore();
          },
        },
        BusShutdown,
      ],
      exports: [Bus, TicketStore, PresenceStore],
    };
  }
}

@Injectable()
class BusShutdown implements OnApplicationShutdown {
  constructor(@Inject(Bus) private readonly bus: Bus) {}
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
