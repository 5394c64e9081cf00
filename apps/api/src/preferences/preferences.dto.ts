import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { CHANNELS, type Channel } from '@herald/contracts';

/** A category or type name, as notifications carry them. */
const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

export class UserPreferenceDto {
  @ApiProperty({ pattern: NAME.source, description: "A notification category ('general' for notifications without one)" })
  @IsString()
  @Matches(NAME, { message: `category must match ${NAME.source}` })
  category: string;

  @ApiPropertyOptional({ description: "One notification type in the category; default '*', the whole category", default: '*' })
  @IsOptional()
  @IsString()
  @Matches(/^(\*|[a-z0-9][a-z0-9_.-]{0,63})$/, { message: "type must be '*' or a notification type" })
  type?: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel: Channel;

  @ApiProperty({ nullable: true, description: 'null removes the choice: the category default applies again' })
  @ValidateIf((o: UserPreferenceDto) => o.enabled !== null)
  @IsBoolean()
  enabled: boolean | null;
}

/** Body of `PUT /v1/preferences`: the choices to change; others stay. */
export class PutPreferencesDto {
  @ApiProperty({ type: [UserPreferenceDto], maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => UserPreferenceDto)
  preferences: UserPreferenceDto[];
}

export class PreferenceDefaultDto {
  @ApiProperty({ pattern: NAME.source })
  @IsString()
  @Matches(NAME, { message: `category must match ${NAME.source}` })
  category: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel: Channel;

  @ApiProperty()
  @IsBoolean()
  enabled: boolean;

  @ApiPropertyOptional({ default: false, description: 'Users cannot turn this channel off for this category' })
  @IsOptional()
  @IsBoolean()
  critical?: boolean;
}

/** Body of `PUT /v1/preferences/defaults` (service scope). */
export class PutPreferenceDefaultsDto {
  @ApiProperty({ type: [PreferenceDefaultDto], maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PreferenceDefaultDto)
  defaults: PreferenceDefaultDto[];
}
