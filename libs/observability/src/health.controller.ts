import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@herald/auth';
import { Bus } from '@herald/bus';
import { Database } from '@herald/database';
import { DrainState } from './drain-state.js';

/** /healthz (alive), /readyz (Postgres and the bus reachable, not draining). Metrics: MetricsServer, on a port of their own. */
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DrainState) private readonly drain: DrainState,
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
}
