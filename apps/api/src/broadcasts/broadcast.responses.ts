import { ApiProperty } from '@nestjs/swagger';
import type * as contracts from '@herald/contracts';

/** `POST /v1/broadcasts` answer (`BroadcastAccepted`). */
export class BroadcastAccepted implements contracts.BroadcastAccepted {
  @ApiProperty({ format: 'uuid', description: 'The id every connected socket sees in the broadcast frame' })
  id: string;
}
