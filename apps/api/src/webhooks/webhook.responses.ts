import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WEBHOOK_EVENTS, type WebhookEvent, type WebhookPayload } from '@herald/contracts';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '@herald/database';

/** An endpoint as answered: every column but the owner and the signing secret. */
export class WebhookEndpoint implements Omit<WebhookEndpointRow, 'owner' | 'secret'> {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uri', description: 'Where deliveries are POSTed (https, public address)', example: 'https://example.com/hooks/herald' })
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, description: 'The events delivered to it' })
  events: string[];

  @ApiProperty({ description: 'False once deliveries failed for the whole retry window; a replay turns it back on' })
  enabled: boolean;

  @ApiProperty({ type: 'string', nullable: true, description: 'Why it was disabled; null while enabled' })
  disabledReason: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** `POST /v1/webhooks` answer: the endpoint and, this once, its signing secret. */
export class CreatedWebhookEndpoint extends WebhookEndpoint {
  @ApiProperty({
    pattern: '^whsec_[A-Za-z0-9+/=]+$',
    description: 'The Standard Webhooks signing secret; shown only in this answer, keep it',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw/0ZgSLWjl1Q=',
  })
  secret: string;
}

/** `GET /v1/webhooks` answer. */
export class WebhookEndpointList {
  @ApiProperty({ type: [WebhookEndpoint], description: "The calling service's endpoints" })
  items: WebhookEndpoint[];
}

/** A delivery id, as the worker makes it: also the Standard Webhooks `webhook-id`. */
export const DELIVERY_ID_PATTERN = '^msg_[0-9a-f]{32}$';

/** Exhaustive over the row's union, so a new status cannot go undocumented. */
const DELIVERY_STATUS: Record<WebhookDeliveryRow['status'], true> = { pending: true, delivered: true, failed: true };

type WebhookPayloadData = WebhookPayload['data'];

/** `data` of a delivery's body (`WebhookPayload['data']`). */
export class WebhookEventData implements WebhookPayloadData {
  @ApiProperty({ format: 'uuid' })
  notificationId: string;

  @ApiProperty({ description: 'The recipient', example: 'user-42' })
  userId: string;

  @ApiPropertyOptional({ description: "The notification's type", example: 'quiz_result' })
  type?: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, description: "The notification's category; not on `notification.delivered`" })
  category?: string | null;
}

/** What a delivery POSTs (`WebhookPayload`), as stored. */
export class WebhookDeliveryPayload implements WebhookPayload {
  @ApiProperty({ enum: WEBHOOK_EVENTS })
  type: WebhookEvent;

  @ApiProperty({ format: 'date-time', description: 'When the event happened' })
  timestamp: string;

  @ApiProperty({ type: WebhookEventData })
  data: WebhookEventData;
}

/** One delivery of an event to an endpoint. */
export class WebhookDelivery implements WebhookDeliveryRow {
  @ApiProperty({ pattern: DELIVERY_ID_PATTERN, description: 'Also the `webhook-id` header of every attempt', example: 'msg_6f1d2c3b4a5948e7b6a5d4c3b2a19080' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  endpointId: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, description: 'The event this delivery carries' })
  event: string;

  // The row types it loosely (jsonb); the worker writes exactly this shape.
  @ApiProperty({ type: WebhookDeliveryPayload })
  payload: Record<string, unknown>;

  @ApiProperty({ enum: Object.keys(DELIVERY_STATUS), description: '`failed`: gave up after the retry window' })
  status: WebhookDeliveryRow['status'];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Attempts made so far' })
  attempts: number;

  @ApiProperty({ type: 'integer', nullable: true, description: "The endpoint's HTTP status on the last attempt; null before one, or when it gave none" })
  lastStatus: number | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Why the last attempt failed' })
  lastError: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When an attempt succeeded; null until then' })
  deliveredAt: string | null;
}

/** `GET /v1/webhooks/{id}/deliveries` answer. */
export class WebhookDeliveryList {
  @ApiProperty({ type: [WebhookDelivery], maxItems: 100, description: 'Newest first' })
  items: WebhookDelivery[];
}

/** `POST /v1/webhooks/{id}/deliveries/{deliveryId}/replay` answer. */
export class WebhookReplayAccepted {
  @ApiProperty({ pattern: DELIVERY_ID_PATTERN, description: 'The delivery, made again under the same webhook-id' })
  id: string;

  @ApiProperty({ enum: ['pending'], description: 'Queued for the worker' })
  status: 'pending';
}
