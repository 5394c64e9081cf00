import { ApiProperty } from '@nestjs/swagger';

/** `POST /v1/ws-tickets` answer. */
export class TicketIssued {
  @ApiProperty({ pattern: '^[A-Za-z0-9_-]{32}$', description: 'Opaque and single use: pass it as `?ticket=` when opening the socket', example: 'q3XbY0m7Zr2cV9kLw5tA1nE8sD4fG6hJ' })
  ticket: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 60, description: 'Seconds the ticket stays usable: 60, or less when the token it was taken with expires sooner', example: 60 })
  expiresIn: number;
}
