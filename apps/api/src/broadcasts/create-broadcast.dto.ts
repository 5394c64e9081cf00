import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { SEVERITIES, type Severity } from '@herald/contracts';
import { MaxJsonBytes } from '../notifications/validators.js';

/** Body of `POST /v1/broadcasts` (SPEC §3): a notification's fields, without recipients. */
export class CreateBroadcastDto {
  @ApiProperty({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', example: 'maintenance' })
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

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'At most 8 KiB serialized' })
  @IsOptional()
  @IsObject()
  @MaxJsonBytes(8 * 1024)
  data?: Record<string, unknown>;
}
