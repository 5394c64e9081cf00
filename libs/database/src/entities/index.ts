import { IdempotencyKeyEntity } from './idempotency-key.entity.js';
import { NotificationEntity } from './notification.entity.js';
import { UserStateEntity } from './user-state.entity.js';

export { IdempotencyKeyEntity, NotificationEntity, UserStateEntity };
export const ENTITIES = [NotificationEntity, UserStateEntity, IdempotencyKeyEntity];
