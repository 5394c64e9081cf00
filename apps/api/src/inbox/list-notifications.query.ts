import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * The largest seq a cursor may name: past 2^53 a number is no longer exact
 * in JSON or JavaScript, long before Postgres's bigint ends at 2^63 - 1, and
 * no user's seq comes near it.
 */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/** Query of `GET /v1/notifications`: newest first by default, oldest first with `after`. */
export class ListNotificationsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: only seq below this (newest-first paging)', minimum: 1, maximum: MAX_SEQ })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SEQ)
  before?: number;

  @ApiPropertyOptional({ description: 'Catch-up: seq above this, oldest first', minimum: 0, maximum: MAX_SEQ })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  after?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value))
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,63}$/)
  type?: string;
}
