import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log.js';
import { ClientAddress } from './client-address.js';
import { DrainState } from './drain-state.js';
import { HealthController } from './health.controller.js';
import { Metrics } from './metrics.js';
import { MetricsServer } from './metrics-server.js';

@Global()
@Module({
  controllers: [HealthController],
  providers: [{ provide: Metrics, useFactory: () => new Metrics() }, DrainState, MetricsServer, ClientAddress, AuditLog],
  exports: [Metrics, DrainState, MetricsServer, ClientAddress, AuditLog],
})
export class ObservabilityModule {}
