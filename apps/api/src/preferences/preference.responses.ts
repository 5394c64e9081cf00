import { ApiProperty } from '@nestjs/swagger';
import { CHANNELS, type Channel } from '@herald/contracts';
import type { PreferenceDefault, UserPreference } from '@herald/database';

/** A category's default on one channel, set by a service. */
export class PreferenceDefaultView implements PreferenceDefault {
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
export class UserPreferenceView implements UserPreference {
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
export class PreferencesView {
  @ApiProperty({ enum: CHANNELS, isArray: true, description: 'The channels there are, for a settings page to list' })
  channels: readonly Channel[];

  @ApiProperty({ type: [PreferenceDefaultView], description: 'Every category default, ordered by category and channel' })
  defaults: PreferenceDefaultView[];

  @ApiProperty({ type: [UserPreferenceView], description: "The caller's choices; where there is none, the default applies" })
  preferences: UserPreferenceView[];
}

/** `PUT /v1/preferences/defaults` answer. */
export class PreferenceDefaultsView {
  @ApiProperty({ type: [PreferenceDefaultView], description: 'Every category default after the change' })
  defaults: PreferenceDefaultView[];
}
