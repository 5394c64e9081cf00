import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@herald/auth';
import { PresenceStore } from '@herald/bus';
import { Scope } from '@herald/contracts';
import { UnavailableError, ValidationError } from '@herald/errors';
import { ClusterStats, UserPresence } from './admin.responses.js';

/**
 * Who is connected, from the gateways' own reports in Redis: the api never
 * asks a gateway directly, and a gateway that stopped reporting is not
 * counted one interval (+ slack) after its last report.
 */
@ApiTags('admin')
@ApiBearerAuth()
@RequireScopes(Scope.Admin)
@Controller('v1')
export class AdminController {
  constructor(@Inject(PresenceStore) private readonly store: PresenceStore) {}

  @Get('stats')
  @ApiOperation({
    summary: 'Connections and users across all live gateways',
    description: '`users` sums each gateway\'s distinct users: a user with sockets on two gateways counts on both.',
  })
  @ApiOkResponse({ type: ClusterStats, description: 'Totals over the gateways alive now' })
  stats(): Promise<ClusterStats> {
    return unavailableOnFailure(() => this.store.stats());
  }

  @Get('users/:userId/presence')
  @ApiOperation({ summary: "A user's sockets on live gateways" })
  @ApiParam({ name: 'userId', schema: { type: 'string', minLength: 1, maxLength: 128 }, description: 'The `sub` of the user\'s tokens' })
  @ApiOkResponse({ type: UserPresence, description: 'Whether the user is connected now, and with how many sockets' })
  presence(@Param('userId') userId: string): Promise<UserPresence> {
    if (userId.length < 1 || userId.length > 128) {
      throw ValidationError.field('userId', 'must be 1-128 characters');
    }
    return unavailableOnFailure(() => this.store.presence(userId));
  }
}

/** The store is Redis: when it cannot answer, say 503 so callers retry, not 500. */
async function unavailableOnFailure<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw new UnavailableError('presence store unavailable, retry later', err);
  }
}
