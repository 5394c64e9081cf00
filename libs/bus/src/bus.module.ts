import { DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { Bus } from './bus.js';
import { InProcessBus } from './in-process-bus.js';
import { RedisBus } from './redis-bus.js';
import { InMemoryTicketStore, RedisTicketStore, TicketStore } from './ticket-store.js';

/** Provides the Bus and the TicketStore: Redis when REDIS_URL is set, in-process otherwise. */
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
          useFactory: (config: HeraldConfig) =>
            config.redis.url ? new RedisBus({ url: config.redis.url, name }) : new InProcessBus(),
        },
        {
          provide: TicketStore,
          inject: [Bus, HERALD_CONFIG],
          useFactory: (bus: Bus, config: HeraldConfig) =>
            bus instanceof RedisBus ? new RedisTicketStore(bus.publisher, config.redis.prefix) : new InMemoryTicketStore(),
        },
        BusShutdown,
      ],
      exports: [Bus, TicketStore],
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
