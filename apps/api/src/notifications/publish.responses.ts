import { ApiProperty } from '@nestjs/swagger';
import type { PublishedNotification } from '@herald/contracts';
import type { SendRow } from '@herald/database';
import type { SendAccepted } from '../sends/sends.service.js';

/** One recipient's entry in a `201` publish answer. */
export class PublishedNotificationAnswer implements PublishedNotification {
  @ApiProperty({ format: 'uuid', description: "The new notification's id, or the id of the entry it grouped into (`grouped`)" })
  id: string;

  @ApiProperty({ minLength: 1, maxLength: 128 })
  userId: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: "The position this POST took in the recipient's stream: the new entry's `seq`, or the `grouped` change's" })
  seq: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ required: false, description: 'True when it grouped into an existing entry (same `groupKey`, unread, inside the window)' })
  grouped?: boolean;
}

/** `201` answer of `POST /v1/notifications`: one entry per distinct recipient, in the order they first appear. */
export class PublishAnswer {
  @ApiProperty({ type: [PublishedNotificationAnswer], description: 'Recipients whose in-app preference is off get no row and are left out' })
  notifications: PublishedNotificationAnswer[];
}

/** Exhaustive over the row's union, so a new status cannot go undocumented. */
const SEND_STATUS: Record<SendRow['status'], true> = { queued: true, running: true, done: true, cancelled: true };

export class AcceptedSend {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: Object.keys(SEND_STATUS) })
  status: SendRow['status'];

  @ApiProperty({ example: '/v1/sends/0b5e4f1c-2a61-4d3e-9f4b-6c1d2e3f4a5b', description: 'Where its exact progress is: `GET /v1/sends/{id}`' })
  statusUrl: string;
}

/** `202` answer of `POST /v1/notifications`: a send the worker carries out (`sendAt`, or an audience above the inline threshold). */
export class SendAcceptedAnswer implements SendAccepted {
  @ApiProperty({ type: AcceptedSend })
  send: AcceptedSend;
}
