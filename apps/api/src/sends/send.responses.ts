import { ApiProperty } from '@nestjs/swagger';
import type { SendRow } from '@herald/database';
import type { sendView } from './sends.service.js';

/** Exhaustive over the row's union, so a new status cannot go undocumented. */
const SEND_STATUS: Record<SendRow['status'], true> = { queued: true, running: true, done: true, cancelled: true };

/** `GET /v1/sends/{id}` answer: `sendView` of a send's row. */
export class SendStatus implements ReturnType<typeof sendView> {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: Object.keys(SEND_STATUS), description: '`queued` until sendAt and a worker picks it up; `done` once every recipient has the notification' })
  status: SendRow['status'];

  @ApiProperty({ type: 'string', nullable: true, description: 'The audience it goes to; null for a send to listed recipients' })
  audience: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, description: "Recipients: the audience's members when the send started; null until then for an audience" })
  total: number | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Recipients whose notification is committed, exactly' })
  done: number;

  @ApiProperty({ format: 'date-time', description: 'When it is due (the time it was accepted, without sendAt)' })
  sendAt: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When it became `done` or `cancelled`' })
  finishedAt: string | null;
}
