import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@herald/auth';
import { Bus } from '@herald/bus';
import { Database } from '@herald/database';
import { DrainState } from './drain-state.js';
import { Metrics } from './metrics.js';

/** /healthz (alive), /readyz (Postgres and the bus reachable, not draining), /metrics. */
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DrainState) private readonly drain: DrainState,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() res: Response) {
    const checks = {
      database: await this.db.ping(),
      bus: this.bus.isReady(),
      draining: this.drain.isDraining,
    };
    const ready = checks.database && checks.bus && !checks.draining;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res() res: Response) {
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
