import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUrl, Length, Matches, MaxLength,
  ValidateIf, ValidateNested,
} from 'class-validator';
import { AUDIENCE_KEY, MAX_ACTIONS, MAX_TAGS, SEVERITIES, type Severity } from '@herald/contracts';
import { KeepAsSent } from '../errors/keep-as-sent.js';
import { NotificationActionDto } from './notification-content.dto.js';
import {
  ACTOR_LENGTH, CATEGORY_PATTERN, GROUP_KEY_PATTERN, GROUP_KEY_SOURCE, MAX_BODY_LENGTH, MAX_DATA_BYTES, MAX_RECIPIENTS, RECIPIENT_LENGTH, TAG_PATTERN, TITLE_LENGTH, TYPE_PATTERN,
} from './publish-notification.limits.js';
import { IsFutureDate, MaxJsonBytes } from './validators.js';

/** Body of `POST /v1/notifications`. */
export class PublishNotificationDto {
  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: MAX_RECIPIENTS, description: 'User ids, 1-128 characters each. Exactly one of recipients and audience.' })
  @ValidateIf((o: PublishNotificationDto) => o.audience === undefined || o.recipients !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RECIPIENTS)
  @IsString({ each: true })
  @Length(RECIPIENT_LENGTH.min, RECIPIENT_LENGTH.max, { each: true })
  recipients: string[];

  @ApiPropertyOptional({ pattern: AUDIENCE_KEY.source, description: 'Every member of this audience; instead of recipients' })
  @IsOptional()
  @IsString()
  @Matches(AUDIENCE_KEY, { message: `audience must match ${AUDIENCE_KEY.source}` })
  audience?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Deliver at this time instead of now (202 with a send to follow)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsFutureDate()
  sendAt?: string;

  @ApiProperty({ pattern: TYPE_PATTERN.source, example: 'quiz_result' })
  @IsString()
  @Matches(TYPE_PATTERN, { message: `type must match ${TYPE_PATTERN.source}` })
  type: string;

  @ApiProperty({ minLength: TITLE_LENGTH.min, maxLength: TITLE_LENGTH.max })
  @IsString()
  @Length(TITLE_LENGTH.min, TITLE_LENGTH.max)
  title: string;

  @ApiPropertyOptional({ maxLength: MAX_BODY_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_BODY_LENGTH)
  body?: string;

  @ApiPropertyOptional({ enum: SEVERITIES, default: 'info' })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'At most 8 KiB serialized, nested at most 32 levels; no keys __proto__, constructor or prototype',
  })
  @IsOptional()
  @IsObject()
  @MaxJsonBytes(MAX_DATA_BYTES)
  @KeepAsSent()
  data?: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uri' })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  @MaxLength(2048)
  link?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsFutureDate()
  expiresAt?: string;

  @ApiPropertyOptional({ pattern: CATEGORY_PATTERN.source, description: "The inbox tab it belongs to; preferences file it under 'general' without one" })
  @IsOptional()
  @IsString()
  @Matches(CATEGORY_PATTERN, { message: `category must match ${CATEGORY_PATTERN.source}` })
  category?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, description: `Distinct, each ${TAG_PATTERN.source}` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @ArrayUnique()
  @Matches(TAG_PATTERN, { each: true, message: `each tag must match ${TAG_PATTERN.source}` })
  tags?: string[];

  @ApiPropertyOptional({ type: [NotificationActionDto], maxItems: MAX_ACTIONS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ACTIONS)
  @ArrayUnique((a: NotificationActionDto) => a?.id, { message: 'actions must have distinct ids' })
  @ValidateNested({ each: true })
  @Type(() => NotificationActionDto)
  actions?: NotificationActionDto[];

  @ApiPropertyOptional({ format: 'uri', maxLength: 2048 })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  @MaxLength(2048)
  avatar?: string;

  @ApiPropertyOptional({ minLength: ACTOR_LENGTH.min, maxLength: ACTOR_LENGTH.max, description: 'Who caused it, as shown ("Ana"); grouped entries keep the last 5' })
  @IsOptional()
  @IsString()
  @Length(ACTOR_LENGTH.min, ACTOR_LENGTH.max)
  actor?: string;

  @ApiPropertyOptional({ pattern: GROUP_KEY_SOURCE, example: 'comment:post-42', description: 'Groups into the recipient\'s unread entry with the same key (HERALD_INBOX_GROUP_WINDOW_SECONDS)' })
  @IsOptional()
  @IsString()
  @Matches(GROUP_KEY_PATTERN, { message: `groupKey must match ${GROUP_KEY_SOURCE}` })
  groupKey?: string;
}

