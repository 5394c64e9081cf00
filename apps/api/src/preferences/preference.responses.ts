import { ApiProperty } from '@nestjs/swagger';
import { CHANNELS, type Channel } from '@herald/contracts';
import type * as rows from '@herald/database';

/** A category's default on one channel, set by a service. */
export class PreferenceDefault implements rows.PreferenceDefault {
  @ApiProperty({ description: "A notification category ('general' for notifications without one)", example: 'marketing' })
  category: string;

  @ApiProperty({ enum: CHANNELS })
  channel: string;

  @ApiProperty({ description: 'Whether the channel carries the category for users who made no choice' })
  enabled: boolean;

  @ApiProperty({ description: 'Users cannot turn this channel off for this category' })
  critical: boolean;
}

/** One of the user's own choices. */
export class UserPreference implements rows.UserPreference {
  @ApiProperty({ example: 'marketing' })
  category: string;

  @ApiProperty({ description: "One notification type in the category, or '*' for the whole category", example: '*' })
  type: string;

  @ApiProperty({ enum: CHANNELS })
  channel: string;

  @ApiProperty({ description: 'Whether the channel carries these notifications to the user' })
  enabled: boolean;
}

/** `GET` and `PUT /v1/preferences` answer. */
export class Preferences {
  @ApiProperty({ enum: CHANNELS, isArray: true, description: 'The channels there are, for a settings page to list' })
  channels: readonly Channel[];

  @ApiProperty({ type: [PreferenceDefault], description: 'Every category default, ordered by category and channel' })
  defaults: PreferenceDefault[];

  @ApiProperty({ type: [UserPreference], description: "The caller's choices; where there is none, the default applies" })
  preferences: UserPreference[];
}

/** `PUT /v1/preferences/defaults` answer. */
export class PreferenceDefaults {
  @ApiProperty({ type: [PreferenceDefault], description: 'Every category default after the change' })
  defaults: PreferenceDefault[];
}
