import { PickType } from '@nestjs/swagger';
import { PublishNotificationDto } from '../notifications/publish-notification.dto.js';

/**
 * Body of `POST /v1/broadcasts`: a notification's content fields,
 * with the same validation, and no recipients (everyone connected gets it).
 */
export class CreateBroadcastDto extends PickType(PublishNotificationDto, ['type', 'title', 'body', 'severity', 'data'] as const) {}
