import { Body, Controller, Delete, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { PushSubscriptionsRepository } from '@herald/database';
import { NotFoundError } from '@herald/errors';
import { checkEndpointResolves, checkEndpointUrl } from '@herald/outbound';
import { PushSubscriptionDto, PushUnsubscribeDto } from './push-subscription.dto.js';

/**
 * The caller's browsers for Web Push. The endpoint is checked like every
 * URL Herald calls on someone's behalf (https, public address), here so a
 * bad one is a 400 now rather than a refused push later.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/push-subscriptions')
export class PushSubscriptionsController {
  constructor(
    @Inject(PushSubscriptionsRepository) private readonly subscriptions: PushSubscriptionsRepository,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  /** The VAPID public key a page passes to `pushManager.subscribe` as `applicationServerKey`. */
  @Get('vapid-public-key')
  vapidPublicKey() {
    const vapid = this.config.worker.vapid;
    if (!vapid) throw new NotFoundError('web push');
    return { publicKey: vapid.publicKey };
  }

  @Post()
  @HttpCode(201)
  async subscribe(@CurrentPrincipal() p: Principal, @Body() body: PushSubscriptionDto) {
    if (!this.config.worker.vapid) throw new NotFoundError('web push');
    const policy = { allowPrivate: this.config.worker.allowPrivateEndpoints };
    await checkEndpointResolves(checkEndpointUrl(body.endpoint, policy, 'endpoint'), policy, 'endpoint');
    const id = await this.subscriptions.upsert({ userId: p.sub, endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth });
    return { id };
  }

  @Delete()
  @HttpCode(204)
  async unsubscribe(@CurrentPrincipal() p: Principal, @Body() body: PushUnsubscribeDto): Promise<void> {
    if (!(await this.subscriptions.removeForUser(p.sub, body.endpoint))) throw new NotFoundError('push subscription');
  }
}
