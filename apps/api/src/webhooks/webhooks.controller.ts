import { randomBytes } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireScopes, type Principal } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { Scope } from '@herald/contracts';
import { Database, OutboxEvent, OutboxRepository, WebhooksRepository, type WebhookEndpointRow } from '@herald/database';
import { NotFoundError } from '@herald/errors';
import { checkEndpointResolves, checkEndpointUrl } from '@herald/outbound';
import { CreateWebhookDto } from './create-webhook.dto.js';
import {
  CreatedWebhookEndpoint,
  DELIVERY_ID_PATTERN,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookReplayAccepted,
} from './webhook.responses.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An endpoint as answered: the signing secret only at creation. */
const view = ({ secret: _secret, owner: _owner, ...rest }: WebhookEndpointRow): WebhookEndpoint => rest;

const ENDPOINT_ID = { name: 'id', schema: { type: 'string', format: 'uuid' }, description: 'The endpoint' } as const;

/**
 * Webhook endpoints of the calling service: notification events signed
 * per Standard Webhooks, delivered by the worker, retried with backoff for
 * HERALD_WEBHOOK_RETRY_WINDOW_SECONDS, then the endpoint is disabled with
 * the reason. A service sees and changes only its own endpoints.
 */
@ApiTags('services')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(WebhooksRepository) private readonly webhooks: WebhooksRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScopes(Scope.Admin)
  @ApiOperation({ summary: 'Register an endpoint; the answer carries its signing secret (whsec_…), shown once' })
  @ApiCreatedResponse({ type: CreatedWebhookEndpoint, description: 'Registered and enabled' })
  async create(@CurrentPrincipal() p: Principal, @Body() body: CreateWebhookDto): Promise<CreatedWebhookEndpoint> {
    const policy = { allowPrivate: this.config.worker.allowPrivateEndpoints };
    await checkEndpointResolves(checkEndpointUrl(body.url, policy), policy);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const row = await this.webhooks.create({ owner: p.sub, url: body.url, events: [...new Set(body.events)], secret });
    return { ...view(row), secret };
  }

  @Get()
  @RequireScopes(Scope.Admin)
  @ApiOkResponse({ type: WebhookEndpointList, description: "The calling service's endpoints" })
  async list(@CurrentPrincipal() p: Principal): Promise<WebhookEndpointList> {
    return { items: (await this.webhooks.list(p.sub)).map(view) };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes(Scope.Admin)
  @ApiParam(ENDPOINT_ID)
  @ApiNoContentResponse({ description: 'The endpoint and its deliveries are gone' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.webhooks.remove(id, p.sub))) throw new NotFoundError('webhook');
  }

  @Get(':id/deliveries')
  @RequireScopes(Scope.Admin)
  @ApiOperation({ summary: 'The newest 100 deliveries to this endpoint, with their status and last error' })
  @ApiParam(ENDPOINT_ID)
  @ApiOkResponse({ type: WebhookDeliveryList, description: 'Newest first' })
  async deliveries(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<WebhookDeliveryList> {
    const endpoint = await this.own(p, id);
    return { items: await this.webhooks.deliveries(endpoint.id, 100) };
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @RequireScopes(Scope.Admin)
  @ApiOperation({ summary: 'Deliver one delivery again (same webhook-id) with a fresh retry window; re-enables a disabled endpoint' })
  @ApiParam(ENDPOINT_ID)
  @ApiParam({ name: 'deliveryId', schema: { type: 'string', pattern: DELIVERY_ID_PATTERN }, description: "A delivery's id (its webhook-id)" })
  @ApiAcceptedResponse({ type: WebhookReplayAccepted, description: 'Queued for the worker' })
  async replay(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<WebhookReplayAccepted> {
    const endpoint = await this.own(p, id);
    const delivery = await this.webhooks.delivery(deliveryId);
    if (!delivery || delivery.endpointId !== endpoint.id) throw new NotFoundError('delivery');
    await this.db.transaction(async (tx) => {
      await this.webhooks.replay(tx, delivery.id, endpoint.id);
      await this.outbox.add(tx, [{ event: OutboxEvent.WebhookReplay, payload: { deliveryId: delivery.id } }]);
    });
    return { id: delivery.id, status: 'pending' };
  }

  private async own(p: Principal, id: string): Promise<WebhookEndpointRow> {
    const endpoint = UUID.test(id) ? await this.webhooks.find(id, p.sub) : undefined;
    if (!endpoint) throw new NotFoundError('webhook');
    return endpoint;
  }
}
