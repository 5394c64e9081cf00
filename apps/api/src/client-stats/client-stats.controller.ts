import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@herald/auth';
import { LimitName } from '@herald/bus';
import { CLIENT_STATS_MIN_INTERVAL_SECONDS } from '@herald/contracts';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { ClientStatsReportDto } from './client-stats-report.dto.js';
import { ClientStatsMetrics } from './client-stats.metrics.js';
import { ReportIntervalGate } from './report-interval-gate.js';

/**
 * `POST /v1/client-stats`: an SDK's reconnect and polling-fallback counts,
 * added to this api's `/metrics`. Any user token; spends one point of the
 * inbox budget, and one report per user per CLIENT_STATS_MIN_INTERVAL_SECONDS.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/client-stats')
export class ClientStatsController {
  private readonly gate = new ReportIntervalGate(CLIENT_STATS_MIN_INTERVAL_SECONDS * 1000);

  constructor(@Inject(ClientStatsMetrics) private readonly metrics: ClientStatsMetrics) {}

  @Post()
  @HttpCode(204)
  @RateLimit(LimitName.Inbox)
  report(@CurrentPrincipal() p: Principal, @Body() body: ClientStatsReportDto): void {
    this.gate.admit(p.sub);
    this.metrics.record(body);
  }
}
