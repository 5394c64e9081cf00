import { ApiProperty } from '@nestjs/swagger';
import type { BroadcastAccepted } from '@herald/contracts';

/** `POST /v1/broadcasts` answer (`BroadcastAccepted`). */
export class BroadcastAcceptedResponse implements BroadcastAccepted {
  @ApiProperty({ format: 'uuid', description: 'The id every connected socket sees in the broadcast frame' })
  id: string;
}
