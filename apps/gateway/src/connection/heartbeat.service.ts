import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { SessionRegistry } from './session-registry.js';

/**
 * WebSocket-level ping every heartbeat interval; a socket that has not
 * answered the previous ping is dead (half-open TCP, sleeping laptop) and is
 * terminated so its subscription and memory are released.
 */
@Injectable()
export class HeartbeatService implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.beat(), this.config.gateway.heartbeatMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  beat(): void {
    for (const session of this.registry.all()) {
      if (!session.alive) {
        session.ws.terminate();
        continue;
      }
      session.alive = false;
      session.ws.ping();
    }
  }
}
