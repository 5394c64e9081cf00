import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { INBOX_STATES, SEVERITIES, TAG_MATCHES, type InboxState, type Severity, type TagMatch } from '@herald/contracts';
import { MAX_SEQ, NotificationPageQuery } from './notification-page.query.js';

/**
 * Query of `GET /v1/notifications`: newest activity first by default, oldest
 * first with `after`. The filter fields are checked by parseInboxFilter
 * (one set of rules with counts and bulk); here they are only typed.
 */
export class ListNotificationsQuery extends NotificationPageQuery {
  @ApiPropertyOptional({ description: 'Catch-up: seq above this, oldest first (the other filters are ignored)', minimum: 0, maximum: MAX_SEQ })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  after?: number;

  @ApiPropertyOptional({ description: 'Same as state=unread (when state is not given)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value))
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ enum: INBOX_STATES, default: 'inbox' })
  @IsOptional()
  @IsIn(INBOX_STATES)
  state?: InboxState;

  @ApiPropertyOptional({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' })
  @IsOptional()
  @IsString()
  type?: string;

  @ApiPropertyOptional({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' })
  @IsOptional()
  @IsString()
  category?: string;

  @ApiPropertyOptional({ description: '1-10 tags, comma separated' })
  @IsOptional()
  @IsString()
  tags?: string;

  @ApiPropertyOptional({ enum: TAG_MATCHES, default: 'any' })
  @IsOptional()
  @IsIn(TAG_MATCHES)
  tagsMatch?: TagMatch;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ format: 'date-time', description: 'createdAt at or after' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'createdAt before' })
  @IsOptional()
  @IsString()
  to?: string;
}
