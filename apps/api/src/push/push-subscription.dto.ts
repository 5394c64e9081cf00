import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';

const BASE64URL = /^[A-Za-z0-9_-]+=*$/;

export class PushKeysDto {
  @ApiProperty({ description: "The browser's P-256 public key, base64url (65 bytes)" })
  @IsString()
  @Length(80, 100)
  @Matches(BASE64URL, { message: 'p256dh must be base64url' })
  p256dh: string;

  @ApiProperty({ description: 'The 16-byte auth secret, base64url' })
  @IsString()
  @Length(16, 32)
  @Matches(BASE64URL, { message: 'auth must be base64url' })
  auth: string;
}

/** Body of `POST /v1/push-subscriptions`: a browser PushSubscription's JSON (`subscription.toJSON()`). */
export class PushSubscriptionDto {
  @ApiProperty({ format: 'uri', description: 'The push service URL (https; public addresses only)' })
  @IsString()
  @MaxLength(2048)
  endpoint: string;

  @ApiProperty({ type: PushKeysDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PushKeysDto)
  keys: PushKeysDto;
}

/** Body of `DELETE /v1/push-subscriptions`. */
export class PushUnsubscribeDto {
  @ApiProperty({ format: 'uri' })
  @IsString()
  @MaxLength(2048)
  endpoint: string;
}
