import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Query of `GET /v1/topics/{topic}/events`: catch-up and polling, oldest first. */
export class ListTopicEventsQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Only events above this position (seq; nsSeq for a pattern)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
