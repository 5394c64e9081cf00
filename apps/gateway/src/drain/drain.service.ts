import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { CloseCode } from '@herald/contracts';
import { DrainState } from '@herald/observability';
import { SessionCloser } from '../connection/session-closer.js';
import { SessionRegistry } from '../connection/session-registry.js';

const TICK_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGTERM: report not-ready first, give the load balancer a moment to stop
 * sending new sockets, then close the ones here with 1012 spread evenly over
 * the drain window, so their reconnects (with `since`) land on the other
 * pods as a trickle rather than a thundering herd. Runs before Nest closes
 * the HTTP server, so /readyz keeps answering 503 throughout.
 */
@Injectable()
export class DrainService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DrainService.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(DrainState) private readonly state: DrainState,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
    @Inject(SessionCloser) private readonly closer: SessionCloser,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.state.isDraining) return;
    this.state.start();
    const windowMs = this.config.gateway.drainMs;
    const sessions = shuffle([...this.registry.all()]);
    this.logger.log(`draining ${sessions.length} sockets over ${windowMs} ms (${signal ?? 'shutdown'})`);
    await sleep(Math.min(1000, windowMs / 10));
    const ticks = Math.max(1, Math.floor(windowMs / TICK_MS));
    const perTick = Math.ceil(sessions.length / ticks);
    for (let i = 0; i < sessions.length; i += perTick) {
      for (const session of sessions.slice(i, i + perTick)) this.closer.close(session, CloseCode.ServiceRestart, 'service restart');
      if (i + perTick < sessions.length) await sleep(TICK_MS);
    }
    await sleep(200); // let the close frames flush before the server goes away
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
