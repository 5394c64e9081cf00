import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUrl, Length, Matches, MaxLength,
  ValidateIf, ValidateNested,
} from 'class-validator';
import { AUDIENCE_KEY, MAX_ACTIONS, MAX_TAGS, SEVERITIES, type Severity } from '@herald/contracts';
import { NotificationActionDto } from './notification-content.dto.js';
import { IsFutureDate, MaxJsonBytes } from './validators.js';

/** Body of `POST /v1/notifications`. */
export class PublishNotificationDto {
  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: 1000, description: 'User ids, 1-128 characters each. Exactly one of recipients and audience.' })
  @ValidateIf((o: PublishNotificationDto) => o.audience === undefined || o.recipients !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
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

  @ApiProperty({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', example: 'quiz_result' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,63}$/, { message: 'type must match ^[a-z0-9][a-z0-9_.-]{0,63}$' })
  type: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
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
  @MaxJsonBytes(8 * 1024)
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

  @ApiPropertyOptional({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', description: "The inbox tab it belongs to; preferences file it under 'general' without one" })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,63}$/, { message: 'category must match ^[a-z0-9][a-z0-9_.-]{0,63}$' })
  category?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, description: 'Distinct, each ^[a-z0-9][a-z0-9_.:-]{0,63}$' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @ArrayUnique()
  @Matches(/^[a-z0-9][a-z0-9_.:-]{0,63}$/, { each: true, message: 'each tag must match ^[a-z0-9][a-z0-9_.:-]{0,63}$' })
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

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'Who caused it, as shown ("Ana"); grouped entries keep the last 5' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  actor?: string;

  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$', example: 'comment:post-42', description: 'Groups into the recipient\'s unread entry with the same key (HERALD_INBOX_GROUP_WINDOW_SECONDS)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/, { message: 'groupKey must match ^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$' })
  groupKey?: string;
}

