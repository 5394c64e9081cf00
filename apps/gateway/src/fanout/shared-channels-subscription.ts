import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Bus } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { broadcastChannel, multicastChannel } from '@herald/contracts';

const RETRY_MS = 2000;

/**
 * Subscribes this gateway to the channels every gateway listens on, for its
 * whole life: broadcasts (FanoutService hands them to every session here)
 * and multicasts (many-recipient POSTs, delivered to the recipients here).
 * If Redis is down at boot the gateway still starts (and reports not ready)
 * and keeps trying; ioredis re-subscribes by itself after later reconnects.
 */
@Injectable()
export class SharedChannelsSubscription implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SharedChannelsSubscription.name);
  private retry: NodeJS.Timeout | undefined;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.subscribe();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async subscribe(): Promise<void> {
    try {
      await this.bus.subscribe([broadcastChannel(this.config.redis.prefix), multicastChannel(this.config.redis.prefix)]);
    } catch (err) {
      this.logger.warn(`broadcast/multicast subscribe failed, retrying: ${(err as Error).message}`);
      this.retry = setTimeout(() => void this.subscribe(), RETRY_MS);
      this.retry.unref();
    }
  }
}
