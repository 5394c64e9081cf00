import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@herald/auth';
import { Bus } from '@herald/bus';
import { Database } from '@herald/database';
import { DrainState } from './drain-state.js';
import { Alive, Readiness } from './health.responses.js';
import { ALIVE_PATH, READY_PATH } from './probe-paths.js';

/** /healthz (alive), /readyz (Postgres and the bus reachable, not draining). Metrics: MetricsServer, on a port of their own. */
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DrainState) private readonly drain: DrainState,
  ) {}

  @Get(ALIVE_PATH)
  @HttpCode(200)
  @ApiOkResponse({ type: Alive, description: 'The process is up' })
  healthz(): Alive {
    return { status: 'ok' };
  }

  @Get(READY_PATH)
  @ApiOkResponse({ type: Readiness, description: 'Ready for traffic' })
  @ApiServiceUnavailableResponse({ type: Readiness, description: 'Not ready: `checks` says why' })
  async readyz(@Res({ passthrough: true }) res: FastifyReply): Promise<Readiness> {
    const checks: Readiness['checks'] = {
      database: await this.db.ping(),
      bus: this.bus.isReady(),
      draining: this.drain.isDraining,
    };
    const ready = checks.database && checks.bus && !checks.draining;
    const body: Readiness = { status: ready ? 'ready' : 'not_ready', checks };
    res.status(ready ? 200 : 503);
    return body;
  }
}
