import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'pg-boss';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { AudiencesRepository, Database, InboxAppender, SendsRepository, type SendRow, type SqlExecutor } from '@herald/database';
import { Metrics } from '@herald/observability';
import { outcomeOf, type GroupedChange } from '../../../api/src/notifications/batch-writer.js';
import { UserFramePublisher } from '../../../api/src/publishing/user-frame.publisher.js';
import type { PublishNotificationDto } from '../../../api/src/notifications/publish-notification.dto.js';
import { Queue, type SendJob } from '../queue/queues.js';

/** Members written per transaction: one append statement each, rows and cursor committed together. */
export const SEND_CHUNK = 5000;
/** A send of a million members is 200 chunks; this bounds one job's loop. */
const MAX_CHUNKS = 10_000;

/**
 * Carries out a send: a deferred one (recipients, at sendAt) or an
 * audience fan-out. Each chunk is one transaction that locks the send,
 * reads the next members after the cursor, appends their rows through
 * InboxAppender (ingest's path: seqs stay gapless per user, the outbox rows
 * for push and webhooks come with it, and a groupKey groups as a POST's
 * does) and moves the cursor. A crash or retry resumes after the last committed
 * chunk, so no member gets a row twice; frames are published per chunk
 * after its commit.
 */
@Injectable()
export class SendJobHandler {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SendsRepository) private readonly sends: SendsRepository,
    @Inject(AudiencesRepository) private readonly audiences: AudiencesRepository,
    @Inject(InboxAppender) private readonly appender: InboxAppender,
    @Inject(UserFramePublisher) private readonly publisher: UserFramePublisher,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  async handle(job: Job<SendJob>): Promise<void> {
    for (let i = 0; i < MAX_CHUNKS; i++) {
      const chunk = await this.db.transaction((tx) => this.nextChunk(tx, job.data.sendId));
      if (!chunk) return;
      if (chunk.rows.length) {
        this.metrics.notificationsCreated.inc(chunk.rows.length);
        await this.publisher.publishNotifications([chunk.rows]);
      }
      if (chunk.grouped.length) await this.publisher.publish(chunk.grouped);
      if (chunk.finished) {
        this.metrics.jobLatency.observe({ queue: Queue.Send }, (Date.now() - Date.parse(chunk.send.sendAt)) / 1000);
        return;
      }
    }
  }

  private async nextChunk(tx: SqlExecutor, id: string) {
    const send = await this.sends.lock(tx, id);
    if (!send || send.status === 'done' || send.status === 'cancelled') return undefined;
    if (send.status === 'queued') {
      const total = send.audience ? await this.audiences.count(tx, send.audience) : (send.recipients?.length ?? 0);
      await this.sends.start(tx, id, total);
    }
    const recipients = send.audience
      ? await this.audiences.page(tx, send.audience, send.cursor ?? undefined, SEND_CHUNK)
      : [...new Set(send.recipients ?? [])];
    const finished = !send.audience || recipients.length < SEND_CHUNK;
    const [written] = recipients.length
      ? await this.appender.append(tx, [{ notification: send.notification, recipients, publisher: send.principal }], this.config.inbox.groupWindowSeconds)
      : [];
    const input = send.notification as Omit<PublishNotificationDto, 'recipients'>;
    const outcome = written ? outcomeOf(written, recipients, input) : undefined;
    const rows = outcome?.kind === 'created' ? outcome.notifications : [];
    const grouped: GroupedChange[] = outcome?.kind === 'created' ? outcome.grouped : [];
    await this.sends.advance(tx, id, rows.length + grouped.length, send.audience ? (recipients.at(-1) ?? send.cursor) : null, finished);
    return { send: send as SendRow, finished, rows, grouped };
  }
}
