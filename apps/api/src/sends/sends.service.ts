import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { PublishedNotification } from '@herald/contracts';
import { AudiencesRepository, Database, IdempotencyKeysRepository, OutboxEvent, OutboxRepository, SendsRepository, type SendRow } from '@herald/database';
import { NotFoundError, ValidationError } from '@herald/errors';
import { IdempotencyConflictError } from '../notifications/ingest.errors.js';
import { IngestService } from '../notifications/ingest.service.js';
import { toNewNotification } from '../notifications/batch-writer.js';
import type { PublishNotificationDto } from '../notifications/publish-notification.dto.js';
import { requestHash } from '../notifications/request-hash.js';

/** The 202 body of an accepted send; also what a replay of its key answers. */
export interface SendAccepted {
  send: { id: string; status: SendRow['status']; statusUrl: string };
}

export type PublishResult =
  | { status: 201; body: { notifications: PublishedNotification[] }; replayed: boolean }
  | { status: 202; body: SendAccepted; replayed: boolean };

/** A send's progress as `GET /v1/sends/{id}` answers it: `done` counts rows committed, exactly. */
export const sendView = (s: SendRow) => ({
  id: s.id, status: s.status, audience: s.audience, total: s.total, done: s.done, sendAt: s.sendAt, createdAt: s.createdAt, finishedAt: s.finishedAt,
});

/**
 * Publishes that name an audience or a sendAt. An audience of at most
 * HERALD_AUDIENCE_INLINE_MAX members fans out inside the request, through
 * ingest (201, as for recipients). A larger one, or any sendAt, becomes a
 * `sends` row and a `send.ready` outbox row in one transaction with the
 * Idempotency-Key's claim and answer (202 and a status URL): the worker
 * carries it out, and a replayed key answers the same send.
 */
@Injectable()
export class SendsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(AudiencesRepository) private readonly audiences: AudiencesRepository,
    @Inject(SendsRepository) private readonly sends: SendsRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(IdempotencyKeysRepository) private readonly keys: IdempotencyKeysRepository,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  async publish(principal: string, input: PublishNotificationDto, key?: string): Promise<PublishResult> {
    if (input.audience !== undefined && input.recipients !== undefined) throw ValidationError.field('audience', 'and recipients cannot both be set');
    if (input.audience === undefined && input.recipients === undefined) throw ValidationError.field('recipients', 'or audience is required');
    if (input.audience !== undefined && input.sendAt === undefined) {
      const inlineMax = this.config.worker.audienceInlineMax;
      const members = await this.audiences.page(this.db, input.audience, undefined, inlineMax + 1);
      if (members.length <= inlineMax) {
        if (members.length === 0) return { status: 201, body: { notifications: [] }, replayed: false };
        const { audience: _audience, ...rest } = input;
        const result = await this.ingest.ingest(principal, { ...rest, recipients: members }, key, input);
        return { status: 201, ...result };
      }
    }
    return this.accept(principal, input, key);
  }

  async status(principal: string, id: string) {
    const send = /^[0-9a-f-]{36}$/i.test(id) ? await this.sends.find(this.db, id, principal) : undefined;
    if (!send) throw new NotFoundError('send');
    return sendView(send);
  }

  private async accept(principal: string, input: PublishNotificationDto, key?: string): Promise<PublishResult> {
    const hash = key === undefined ? '' : requestHash(input);
    const { recipients, audience, sendAt, ...notification } = input;
    const accepted = await this.db.transaction(async (tx) => {
      if (key !== undefined) {
        const [owned] = await this.keys.claim(tx, [{ principal, key, requestHash: hash }], this.config.idempotencyTtlHours);
        if (!owned) return undefined;
      }
      const send = await this.sends.create(tx, { principal, audience, recipients: recipients && [...new Set(recipients)], notification: toNewNotification(notification), sendAt });
      await this.outbox.add(tx, [{ event: OutboxEvent.SendReady, payload: { sendId: send.id, sendAt: send.sendAt } }]);
      const body: SendAccepted = { send: { id: send.id, status: send.status, statusUrl: `/v1/sends/${send.id}` } };
      if (key !== undefined) await this.keys.storeResponses(tx, [{ principal, key, response: body }]);
      return body;
    });
    if (accepted) return { status: 202, body: accepted, replayed: false };
    const stored = await this.keys.find(principal, key as string);
    if (!stored || stored.requestHash !== hash || !stored.response) throw new IdempotencyConflictError();
    const body = stored.response as SendAccepted & { notifications?: PublishedNotification[] };
    return body.send ? { status: 202, body, replayed: true } : { status: 201, body: body as { notifications: PublishedNotification[] }, replayed: true };
  }
}
