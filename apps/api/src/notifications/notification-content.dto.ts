import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';
import { ACTION_STYLES, type ActionStyle } from '@herald/contracts';

/** One button of a notification (`actions`). */
export class NotificationActionDto {
  @ApiProperty({ pattern: '^[a-z0-9][a-z0-9_.-]{0,31}$', description: "Distinct within the notification; not 'link' (the interaction of the notification's own link)" })
  @IsString()
  @Matches(/^(?!link$)[a-z0-9][a-z0-9_.-]{0,31}$/, { message: "id must match ^[a-z0-9][a-z0-9_.-]{0,31}$ and not be 'link'" })
  id: string;

  @ApiProperty({ minLength: 1, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  label: string;

  @ApiPropertyOptional({ format: 'uri' })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ enum: ACTION_STYLES, default: 'primary' })
  @IsOptional()
  @IsIn(ACTION_STYLES)
  style?: ActionStyle;
}
