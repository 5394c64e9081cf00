import { Global, Module } from '@nestjs/common';
import { DrainState } from './drain-state.js';
import { HealthController } from './health.controller.js';
import { Metrics } from './metrics.js';

@Global()
@Module({
  controllers: [HealthController],
  providers: [{ provide: Metrics, useFactory: () => new Metrics() }, DrainState],
  exports: [Metrics, DrainState],
})
export class ObservabilityModule {}
