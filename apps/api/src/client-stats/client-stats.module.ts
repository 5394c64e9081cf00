import { Module } from '@nestjs/common';
import { ClientStatsController } from './client-stats.controller.js';
import { ClientStatsMetrics } from './client-stats.metrics.js';

/** SDK-reported connection counts on `/metrics` (see ClientStatsController). */
@Module({
  controllers: [ClientStatsController],
  providers: [ClientStatsMetrics],
})
export class ClientStatsModule {}
