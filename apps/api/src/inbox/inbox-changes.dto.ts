import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { BULK_ACTIONS, LINK_INTERACTION, MAX_BULK_IDS, MAX_COUNT_FILTERS, type BulkAction } from '@herald/contracts';
import { KeepAsSent } from '../errors/keep-as-sent.js';
import { MAX_SEQ } from './notification-page.query.js';

const FILTER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  description: 'InboxFilter: state (inbox|unseen|unread|read|archived|snoozed), category, tags (1-10), tagsMatch (any|all), type, severity, from, to',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: ['inbox', 'unseen', 'unread', 'read', 'archived', 'snoozed'] },
    category: { type: 'string' }, type: { type: 'string' }, severity: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 10 }, tagsMatch: { type: 'string', enum: ['any', 'all'] },
    from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' },
  },
};

/** Body of `POST /v1/notifications/counts`: named filters, one count each. */
export class CountsRequestDto {
  @ApiProperty({ type: 'object', additionalProperties: FILTER_SCHEMA as never, description: `1-${MAX_COUNT_FILTERS} named filters; names 1-64 characters` })
  @IsObject()
  @KeepAsSent()
  filters: Record<string, unknown>;
}

/** Body of `POST /v1/notifications/bulk`: exactly one of ids and filter. */
export class BulkChangeDto {
  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS)
  action: BulkAction;

  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: MAX_BULK_IDS, description: 'The caller\'s notification ids; others are ignored' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_IDS)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional(FILTER_SCHEMA as never)
  @IsOptional()
  @IsObject()
  @KeepAsSent()
  filter?: Record<string, unknown>;
}

/** Body of `POST /v1/notifications/{id}/snooze`. */
export class SnoozeDto {
  @ApiProperty({ format: 'date-time', description: 'In the future, at most 365 days ahead' })
  @IsISO8601({ strict: true })
  until: string;
}

/** Body of `POST /v1/notifications/{id}/interact`. */
export class InteractDto {
  @ApiProperty({ description: `One of the notification's action ids, or '${LINK_INTERACTION}' (its link was used)` })
  @IsString()
  @Length(1, 32)
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,31}$/)
  interaction: string;
}

/** Query of `GET /v1/notifications/entries`. */
export class EntriesQuery {
  @ApiProperty({ minimum: 0, maximum: MAX_SEQ, description: 'Entries above this position' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  after: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
