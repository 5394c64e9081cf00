import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateIf,
} from 'class-validator';
import { AUDIENCE_KEY, SEVERITIES, type Severity } from '@herald/contracts';
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
}
