import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@herald/auth';
import { PresenceStore } from '@herald/bus';
import { Scope, type ClusterStats, type UserPresence } from '@herald/contracts';
import { UnavailableError, ValidationError } from '@herald/errors';

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
  stats(): Promise<ClusterStats> {
    return unavailableOnFailure(() => this.store.stats());
  }

  @Get('users/:userId/presence')
  @ApiOperation({ summary: "A user's sockets on live gateways" })
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
