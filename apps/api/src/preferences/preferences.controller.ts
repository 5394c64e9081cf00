import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireScopes, type Principal } from '@herald/auth';
import { CHANNELS, Scope } from '@herald/contracts';
import { PreferencesRepository } from '@herald/database';
import { ValidationError } from '@herald/errors';
import { InAppGate } from './in-app-gate.js';
import { PreferenceDefaults, Preferences } from './preference.responses.js';
import { PutPreferenceDefaultsDto, PutPreferencesDto } from './preferences.dto.js';

/**
 * Preferences by category and type × channel. Users change their own;
 * services set each category's defaults and may make a channel critical,
 * which users cannot turn off. In-app is enforced at publish (no row),
 * web push and webhooks by the worker.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/preferences')
export class PreferencesController {
  constructor(
    @Inject(PreferencesRepository) private readonly preferences: PreferencesRepository,
    @Inject(InAppGate) private readonly gate: InAppGate,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's choices, the categories' defaults and the channels there are" })
  @ApiOkResponse({ type: Preferences })
  async get(@CurrentPrincipal() p: Principal): Promise<Preferences> {
    const [preferences, defaults] = await Promise.all([this.preferences.forUser(p.sub), this.preferences.defaults()]);
    return { channels: CHANNELS, defaults, preferences };
  }

  @Put()
  @ApiOperation({ summary: "Change some of the caller's choices; the answer is the whole state, as GET gives it" })
  @ApiOkResponse({ type: Preferences })
  async put(@CurrentPrincipal() p: Principal, @Body() body: PutPreferencesDto): Promise<Preferences> {
    const critical = new Set((await this.preferences.defaults()).filter((d) => d.critical).map((d) => `${d.category}\u0000${d.channel}`));
    body.preferences.forEach((row, i) => {
      if (row.enabled === false && critical.has(`${row.category}\u0000${row.channel}`)) {
        throw ValidationError.field(`preferences.${i}.enabled`, `cannot turn off ${row.channel} for ${row.category}: it is critical`);
      }
    });
    await this.preferences.setForUser(p.sub, body.preferences.map((r) => ({ ...r, type: r.type ?? '*' })));
    this.gate.invalidate();
    return this.get(p);
  }

  @Put('defaults')
  @RequireScopes(Scope.Admin)
  @ApiOperation({ summary: "Set categories' defaults per channel, and which are critical" })
  @ApiOkResponse({ type: PreferenceDefaults })
  async putDefaults(@Body() body: PutPreferenceDefaultsDto): Promise<PreferenceDefaults> {
    await this.preferences.setDefaults(body.defaults.map((d) => ({ ...d, critical: d.critical ?? false })));
    this.gate.invalidate();
    return { defaults: await this.preferences.defaults() };
  }
}
