import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import type { ClientStatsReport } from '@herald/contracts';

/** Body of `POST /v1/client-stats`; counts above the per-report cap are clamped, not refused. */
export class ClientStatsReportDto implements ClientStatsReport {
  @ApiProperty({ minimum: 0, maximum: 1_000_000, description: 'Reconnects since the previous report' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  reconnects: number;

  @ApiProperty({ minimum: 0, maximum: 1_000_000, description: 'Polling fallbacks since the previous report' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  pollingFallbacks: number;
}
