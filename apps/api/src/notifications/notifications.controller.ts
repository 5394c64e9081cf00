import { Body, Controller, Headers, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, RequireScopes, type Principal } from '@herald/auth';
import { Scope } from '@herald/contracts';
import { ValidationError } from '@herald/errors';
import { PublishRateLimitGuard } from '../rate-limit/publish-rate-limit.guard.js';
import { SendsService } from '../sends/sends.service.js';
import { IngestService } from './ingest.service.js';
import { PublishNotificationDto } from './publish-notification.dto.js';
import { PublishAnswer, SendAcceptedAnswer } from './publish.responses.js';

@ApiTags('services')
@ApiBearerAuth()
@Controller('v1/notifications')
export class NotificationsController {
  constructor(
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(SendsService) private readonly sends: SendsService,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScopes(Scope.Publish)
  @UseGuards(PublishRateLimitGuard)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays within 24 h return the first answer' })
  @ApiCreatedResponse({ type: PublishAnswer, description: "Stored in every recipient's inbox" })
  @ApiAcceptedResponse({ type: SendAcceptedAnswer, description: 'A send for the worker (sendAt, or an audience above the inline threshold); follow send.statusUrl' })
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PublishNotificationDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<PublishAnswer | SendAcceptedAnswer> {
    if (key !== undefined && (key.length < 1 || key.length > 255)) {
      throw ValidationError.field('Idempotency-Key', 'must be 1-255 characters');
    }
    // recipients, now: the hot path as it was. audience or sendAt: maybe a send for the worker (202).
    const result = body.audience === undefined && body.sendAt === undefined
      ? await this.ingest.ingest(principal.sub, body, key)
      : await this.sends.publish(principal.sub, body, key);
    if ('status' in result) res.status(result.status);
    if (result.replayed) res.header('Idempotent-Replayed', 'true');
    return result.body;
  }
}
