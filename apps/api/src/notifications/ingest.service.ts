import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { ErrorCode, ServerFrameType, type PublishedNotification } from '@herald/contracts';
import { Database } from '@herald/database';
import { Metrics } from '@herald/observability';
import { ApiException } from '../errors/api.exception.js';
import { UserFramePublisher } from '../publishing/user-frame.publisher.js';
import { claimKey, findKey, requestHash, storeResponse } from './idempotency-store.js';
import { insertNotifications } from './notification-writer.js';
import type { PublishNotificationDto } from './publish-notification.dto.js';

export interface IngestResult {
  body: { notifications: PublishedNotification[] };
  replayed: boolean;
}

/** POST /v1/notifications: one transaction, then publish after commit. */
@Injectable()
export class IngestService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(UserFramePublisher) private readonly publisher: UserFramePublisher,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async ingest(principal: string, input: PublishNotificationDto, idempotencyKey?: string): Promise<IngestResult> {
    const hash = idempotencyKey ? requestHash(input) : '';
    const created = await this.db.transaction(async (tx) => {
      if (idempotencyKey && !(await claimKey(tx, principal, idempotencyKey, hash, this.config.idempotencyTtlHours))) {
        return undefined;
      }
      const notifications = await insertNotifications(tx, input);
      const body = { notifications: notifications.map(({ id, userId, seq, createdAt }) => ({ id, userId, seq, createdAt })) };
      if (idempotencyKey) await storeResponse(tx, principal, idempotencyKey, body);
      return { notifications, body };
    });
    if (!created) return this.replay(principal, idempotencyKey as string, hash);

    this.metrics.notificationsCreated.inc(created.notifications.length);
    await this.publisher.publish(
      created.notifications.map((notification) => ({
        userId: notification.userId,
        frame: { type: ServerFrameType.Notification, notification },
      })),
    );
    return { body: created.body, replayed: false };
  }

  private async replay(principal: string, key: string, hash: string): Promise<IngestResult> {
    const stored = await findKey(this.db, principal, key);
    if (!stored || stored.requestHash !== hash || !stored.response) {
      throw new ApiException(409, ErrorCode.IdempotencyConflict, 'Idempotency-Key was already used with a different body');
    }
    return { body: stored.response as IngestResult['body'], replayed: true };
  }
}
