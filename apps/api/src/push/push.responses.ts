import { ApiProperty } from '@nestjs/swagger';

/** `GET /v1/push-subscriptions/vapid-public-key` answer. */
export class VapidPublicKey {
  @ApiProperty({
    pattern: '^[A-Za-z0-9_-]+$',
    description: "The server's VAPID public key (uncompressed P-256 point, base64url): pass it to `pushManager.subscribe` as `applicationServerKey`",
    example: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
  })
  publicKey: string;
}

/** `POST /v1/push-subscriptions` answer. */
export class PushSubscribed {
  @ApiProperty({ format: 'uuid', description: 'The subscription; subscribing the same endpoint again answers the same id' })
  id: string;
}
