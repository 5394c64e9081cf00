import { jest } from '@jest/globals';
import type { HeraldConfig } from '@herald/config';
import type { ChangeFrame, Notification } from '@herald/contracts';
import type { AppendRequest, IdempotencyKeysRepository, InboxAppender, KeyClaim, SqlExecutor } from '@herald/database';
import type { InAppGate } from '../preferences/in-app-gate.js';
import { BatchWriter, outcomeOf, type IngestRequest } from './batch-writer.js';
import type { PublishNotificationDto } from './publish-notification.dto.js';

const post = (principal: string, recipients: string[], key?: string): IngestRequest => ({
  principal,
  key,
  hash: key ? `hash-${key}` : '',
  input: { recipients, type: 't', title: `to ${recipients.join(',')}` } as PublishNotificationDto,
});

/** BatchWriter over fake repositories: keys in `taken` are held elsewhere; each appended row gets seq 1, 2, … */
function setup(taken: string[] = []) {
  const tx: SqlExecutor = { query: async () => [] };
  const keys = {
    claim: jest.fn(async (_tx: SqlExecutor, claims: KeyClaim[], _ttl: number) => claims.map((c) => !taken.includes(c.key))),
    storeResponses: jest.fn(async (_tx: SqlExecutor, _answers: { principal: string; key: string; response: unknown }[]) => undefined),
  };
  let seq = 0;
  const inbox = {
    append: jest.fn(async (_exec: SqlExecutor, requests: AppendRequest[], _window: number) =>
      requests.map((r) => ({
        created: r.recipients.map((userId) => ({ id: `id${++seq}`, userId, seq, createdAt: '2030-01-01T00:00:00.000Z' })),
        grouped: [],
        grouping: false,
      })),
    ),
  };
  // No one has turned in-app off: the gate passes every recipient through.
  const inApp = { recipients: async (_exec: SqlExecutor, requests: { recipients: string[] }[]) => requests.map((r) => r.recipients) };
  const config = { inbox: { groupWindowSeconds: 3600 } } as HeraldConfig;
  const sut = new BatchWriter(keys as unknown as IdempotencyKeysRepository, inbox as unknown as InboxAppender, inApp as unknown as InAppGate, config);
  return { sut, tx, keys, inbox };
}

describe('BatchWriter', () => {
  it('writes a batch without keys as one append and claims nothing', async () => {
    const { sut, tx, keys, inbox } = setup();

    const outcomes = await sut.write(tx, [post('svc', ['ann', 'bob', 'ann']), post('svc', ['cy'])], 24);

    expect(keys.claim).not.toHaveBeenCalled();
    expect(inbox.append).toHaveBeenCalledTimes(1);
    expect(inbox.append.mock.calls[0][1].map((r) => r.recipients)).toEqual([['ann', 'bob'], ['cy']]);
    expect(outcomes.map((o) => (o.kind === 'created' ? o.notifications.map((n) => [n.userId, n.seq]) : o.kind))).toEqual([
      [['ann', 1], ['bob', 2]],
      [['cy', 3]],
    ]);
  });

  it('gives a key to the first request naming it; later ones and keys held elsewhere replay', async () => {
    const { sut, tx, keys, inbox } = setup(['held']);

    const outcomes = await sut.write(tx, [post('svc', ['ann'], 'k1'), post('svc', ['bob'], 'k1'), post('svc', ['cy'], 'held'), post('other', ['dan'], 'k1')], 24);

    expect(keys.claim.mock.calls[0][1]).toEqual([
      { principal: 'svc', key: 'k1', requestHash: 'hash-k1' },
      { principal: 'svc', key: 'held', requestHash: 'hash-held' },
      { principal: 'other', key: 'k1', requestHash: 'hash-k1' },
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['created', 'key_taken', 'key_taken', 'created']);
    expect(inbox.append.mock.calls[0][1].map((r) => r.recipients)).toEqual([['ann'], ['dan']]);
  });

  it('stores the 201 body of each keyed request it created, and nothing for unkeyed ones', async () => {
    const { sut, tx, keys } = setup();

    await sut.write(tx, [post('svc', ['ann'], 'k1'), post('svc', ['bob'])], 24);

    expect(keys.storeResponses).toHaveBeenCalledWith(tx, [
      { principal: 'svc', key: 'k1', response: { notifications: [{ id: 'id1', userId: 'ann', seq: 1, createdAt: '2030-01-01T00:00:00.000Z' }] } },
    ]);
  });
});

describe('outcomeOf', () => {
  const at = '2030-01-01T00:00:00.000Z';
  const input = { type: 't', title: 'x' } as PublishNotificationDto;
  const row = (userId: string, seq: number) => ({ id: `n-${userId}`, userId, seq, createdAt: at });
  const grouped = (userId: string, seq: number) =>
    ({ userId, notification: { id: `g-${userId}`, createdAt: at } as Notification, frame: { seq } as ChangeFrame });

  it('answers a row per recipient, in recipient order', () => {
    const outcome = outcomeOf({ created: [row('ann', 1), row('bob', 4)], grouped: [], grouping: false }, ['ann', 'bob'], input);

    expect(outcome.kind === 'created' && outcome.answer).toEqual([
      { id: 'n-ann', userId: 'ann', seq: 1, createdAt: at },
      { id: 'n-bob', userId: 'bob', seq: 4, createdAt: at },
    ]);
  });

  it('puts entries grouped into among new ones in recipient order, marked grouped, and leaves out recipients without a row', () => {
    const result = { created: [row('cy', 2), row('ann', 7)], grouped: [grouped('bob', 9)], grouping: true };

    const outcome = outcomeOf(result, ['ann', 'bob', 'cy', 'dan'], input);

    expect(outcome.kind === 'created' && outcome.answer).toEqual([
      { id: 'n-ann', userId: 'ann', seq: 7, createdAt: at },
      { id: 'g-bob', userId: 'bob', seq: 9, createdAt: at, grouped: true },
      { id: 'n-cy', userId: 'cy', seq: 2, createdAt: at },
    ]);
  });
});
