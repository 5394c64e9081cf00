import { ApiProperty } from '@nestjs/swagger';

/** `GET /healthz` answer: the process is up and serving HTTP. */
export class Alive {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

/** What `/readyz` checked. */
export class ReadinessChecks {
  @ApiProperty({ description: 'Postgres answered a ping' })
  database: boolean;

  @ApiProperty({ description: 'The bus (Redis, or the in-process bus when embedded) is connected' })
  bus: boolean;

  @ApiProperty({ description: 'The process is shutting down: a load balancer should stop sending it traffic' })
  draining: boolean;
}

/** `GET /readyz` answer, with 200 (`ready`) and 503 (`not_ready`) alike. */
export class Readiness {
  @ApiProperty({ enum: ['ready', 'not_ready'], description: '`ready` when the database and the bus answer and the process is not draining' })
  status: 'ready' | 'not_ready';

  @ApiProperty({ type: ReadinessChecks })
  checks: ReadinessChecks;
}
