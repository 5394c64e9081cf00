import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * The largest seq a cursor may name: past 2^53 a number is no longer exact
 * in JSON or JavaScript, long before Postgres's bigint ends at 2^63 - 1, and
 * no user's seq comes near it.
 */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * A page of one user's notifications, newest activity first: the user's own
 * list (`GET /v1/notifications`, which adds its filters) and a service's
 * view of a recipient (`GET /v1/recipients/{userId}/notifications`).
 */
export class NotificationPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: only activitySeq below this (newest-first paging; the previous nextCursor)', minimum: 1, maximum: MAX_SEQ })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SEQ)
  before?: number;
}
