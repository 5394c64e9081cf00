import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Logger, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@herald/auth';
import { Bus } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { broadcastChannel, Scope } from '@herald/contracts';
import { UnavailableError } from '@herald/errors';
import { BroadcastAccepted } from './broadcast.responses.js';
import { toBroadcastFrame } from './broadcast-frame.js';
import { CreateBroadcastDto } from './create-broadcast.dto.js';

/**
 * Live announcements to every connected socket. At most once: nothing is
 * stored, so a socket that is offline, reconnecting or on a gateway whose
 * Redis connection is down at that moment never sees it, and resume does not
 * replay it. Anything that must reach everyone belongs in per-user
 * notifications instead.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/broadcasts')
export class BroadcastsController {
  private readonly logger = new Logger(BroadcastsController.name);

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireScopes(Scope.Admin)
  @ApiOperation({
    summary: 'Push a broadcast frame to every connected socket',
    description: 'At-most-once and not stored: only sockets connected now receive it; resume does not replay it.',
  })
  @ApiAcceptedResponse({ type: BroadcastAccepted, description: 'Published to the gateways; sockets connected now receive it' })
  async create(@Body() body: CreateBroadcastDto): Promise<BroadcastAccepted> {
    const frame = toBroadcastFrame(body, randomUUID(), new Date());
    try {
      // Unlike a notification publish, this publish is the whole effect: a failure is the caller's to retry.
      await this.bus.publish([{ channel: broadcastChannel(this.config.redis.prefix), payload: JSON.stringify(frame) }]);
    } catch (err) {
      this.logger.warn(`broadcast publish failed: ${(err as Error).message}`);
      throw new UnavailableError('bus unavailable, broadcast not sent', err);
    }
    return { id: frame.broadcast.id };
  }
}
