import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_SEQ } from '../inbox/notification-page.query.js';

/** Query of `GET /v1/topics/{topic}/events`: catch-up and polling, oldest first. */
export class ListTopicEventsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_SEQ, default: 0, description: 'Only events above this position (seq; nsSeq for a pattern)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  after?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 100, description: 'Events per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
