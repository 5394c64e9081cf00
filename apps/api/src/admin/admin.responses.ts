import { ApiProperty } from '@nestjs/swagger';
import type * as contracts from '@herald/contracts';

/** `GatewayStats` of libs/contracts, documented (same name, so generated clients match the contract); `implements` keeps the two from drifting. */
export class GatewayStats implements contracts.GatewayStats {
  @ApiProperty({ description: 'The host name and a random suffix per process start, so a restarted pod is a new gateway', example: 'herald-gateway-7d9f-3f9c2a71' })
  id: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Open sockets on this gateway at its last report' })
  connections: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Distinct users with at least one socket on this gateway' })
  users: number;

  @ApiProperty({ format: 'date-time', description: 'When this gateway process started' })
  startedAt: string;
}

/** `GET /v1/stats` answer (`ClusterStats`). */
export class ClusterStats implements contracts.ClusterStats {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Open sockets over the gateways alive now' })
  connections: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: "Sum of each gateway's distinct users: a user with sockets on two gateways counts on both" })
  users: number;

  @ApiProperty({ type: [GatewayStats], description: 'Gateways that reported within the last interval (+ slack)' })
  gateways: GatewayStats[];
}

/** `GET /v1/users/{userId}/presence` answer (`UserPresence`). */
export class UserPresence implements contracts.UserPresence {
  @ApiProperty({ description: 'At least one socket on a live gateway' })
  online: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, description: "The user's sockets over the live gateways" })
  connections: number;
}
