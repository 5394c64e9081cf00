import { Body, Controller, Delete, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { PushSubscriptionsRepository } from '@herald/database';
import { NotFoundError } from '@herald/errors';
import { checkEndpointResolves, checkEndpointUrl } from '@herald/outbound';
import { PushSubscriptionDto, PushUnsubscribeDto } from './push-subscription.dto.js';
import { PushSubscribed, VapidPublicKey } from './push.responses.js';

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
  @ApiOkResponse({ type: VapidPublicKey, description: 'Web Push is on; without VAPID keys the answer is 404' })
  vapidPublicKey(): VapidPublicKey {
    const vapid = this.config.worker.vapid;
    if (!vapid) throw new NotFoundError('web push');
    return { publicKey: vapid.publicKey };
  }

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: PushSubscribed, description: 'The browser is subscribed (or its keys were updated)' })
  async subscribe(@CurrentPrincipal() p: Principal, @Body() body: PushSubscriptionDto): Promise<PushSubscribed> {
    if (!this.config.worker.vapid) throw new NotFoundError('web push');
    const policy = { allowPrivate: this.config.worker.allowPrivateEndpoints };
    await checkEndpointResolves(checkEndpointUrl(body.endpoint, policy, 'endpoint'), policy, 'endpoint');
    const id = await this.subscriptions.upsert({ userId: p.sub, endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth });
    return { id };
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The subscription is gone' })
  async unsubscribe(@CurrentPrincipal() p: Principal, @Body() body: PushUnsubscribeDto): Promise<void> {
    if (!(await this.subscriptions.removeForUser(p.sub, body.endpoint))) throw new NotFoundError('push subscription');
  }
}
