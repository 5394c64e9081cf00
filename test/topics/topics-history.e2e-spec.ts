import pg from 'pg';
import { RetentionService } from '../../apps/api/src/retention/retention.service.js';
import { http } from '../support/http-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import type { TestSocket } from '../support/test-socket.js';
import {
  publishTopic, publishTopics, received, seqs, subscriptionToken, topicSocket, topicUser, waitForEvents,
} from '../support/topics.js';

const NAMESPACES = { short: { historySize: 5 }, inv: { patterns: true }, tele: { live: true } };

/** History, resume, resync, REST catch-up, idempotency, live-only namespaces and patterns. */
describe('topics: history and resume', () => {
  let sys: TestSystem;
  let db: pg.Client;
  const sockets: TestSocket[] = [];
  const open = async (gateway: number, sub: string, grants: string[], query = '') => {
    const socket = await topicSocket(sys, gateway, sub, grants, query);
    sockets.push(socket);
    return socket;
  };
  const catchUp = (topic: string, query: string, token: string, headers: Record<string, string> = {}) =>
    http(sys.apis[1].url, 'GET', `/v1/topics/${encodeURIComponent(topic)}/events?${query}`, { token, headers });

  beforeAll(async () => {
    sys = await startTestSystem({ apis: 2, gateways: 2, env: { HERALD_RETENTION_INTERVAL_MS: '0', HERALD_TOPIC_NAMESPACES: JSON.stringify(NAMESPACES) } });
    db = new pg.Client({ connectionString: sys.db.url });
    await db.connect();
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await db?.end();
    await sys.close();
  });

  it('replays from since within the history bound, and past it (or ahead of it) says resync with the last seq', async () => {
    for (let i = 0; i < 8; i++) expect((await publishTopic(sys, 'short:a', { data: { i } })).status).toBe(201);
    const run = await sys.apis[0].app.get(RetentionService).runOnce();

    const within = await open(0, 'ann', ['short:*'], 'topics=short:a@4');
    const beyond = await open(1, 'bob', ['short:*'], 'topics=short:a@2');
    const ahead = await open(1, 'cy', ['short:*'], 'topics=short:a@99');
    await waitForEvents(within, 4);
    await Promise.all([beyond, ahead].map((s) => s.waitFor((f) => f.type === 'topic.resync_required')));
    await publishTopic(sys, 'short:a');
    await Promise.all([within, beyond, ahead].map((s) => s.waitFor((f) => f.type === 'topic.event' && f.event.seq === 9)));

    expect(run.topicEvents).toBe(3); // 8 published, 5 kept
    expect(received(within)).toEqual(seqs(5, 9, 'short:a'));
    for (const s of [beyond, ahead]) {
      expect(s.ofType('topic.resync_required')).toEqual([{ type: 'topic.resync_required', topic: 'short:a', lastSeq: 8 }]);
      expect(received(s)).toEqual(['short:a#9']);
    }
  });

  it('pages the history over REST for a user the topic is granted to, by claim or by subscription token', async () => {
    const granted = topicUser(sys, 'ann', ['short:*']);
    const stranger = sys.userToken('dan');

    const first = await catchUp('short:a', 'after=0&limit=3', granted);
    const next = await catchUp('short:a', `after=${first.body.nextCursor}&limit=3`, granted);
    const byToken = await catchUp('short:a', 'after=8', stranger, { 'herald-topic-token': subscriptionToken(sys.secret, 'dan', 'short:a') });
    const refused = await catchUp('short:a', 'after=0', stranger);
    const wrongToken = await catchUp('short:a', 'after=0', stranger, { 'herald-topic-token': subscriptionToken(sys.secret, 'ann', 'short:a') });
    const malformed = await catchUp('Short', 'after=0', granted);

    expect(first.body).toMatchObject({ nextCursor: '6', lastSeq: 9 });
    expect(first.body.items.map((e: { seq: number }) => e.seq)).toEqual([4, 5, 6]); // 1-3 are trimmed: the client sees the hole
    expect(next.body).toMatchObject({ nextCursor: '9', lastSeq: 9 });
    expect(next.body.items.map((e: { seq: number }) => e.seq)).toEqual([7, 8, 9]);
    expect(byToken.body.items.map((e: { seq: number }) => e.seq)).toEqual([9]);
    expect([refused.status, refused.body.code, wrongToken.status, malformed.status, malformed.body.code]).toEqual([403, 'forbidden', 403, 400, 'validation_failed']);
  });

  it('publishes a batch to several topics in one call, and replays an Idempotency-Key instead of publishing twice', async () => {
    const headers = { 'idempotency-key': 'job-42-done' };
    const batch = await publishTopics(sys, [{ topic: 'b:1' }, { topic: 'b:2' }, { topic: 'b:1', type: 'other' }]);
    const once = await publishTopic(sys, 'b:1', { type: 'done' }, 0, headers);
    const again = await publishTopic(sys, 'b:1', { type: 'done' }, 1, headers);
    const conflict = await publishTopic(sys, 'b:1', { type: 'changed' }, 0, headers);

    expect([batch.status, batch.body]).toEqual([201, { events: [{ topic: 'b:1', seq: 1 }, { topic: 'b:2', seq: 1 }, { topic: 'b:1', seq: 2 }] }]);
    expect([once.status, once.body]).toEqual([201, { topic: 'b:1', seq: 3 }]);
    expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([201, { topic: 'b:1', seq: 3 }, 'true']);
    expect([conflict.status, conflict.body.code]).toEqual([409, 'idempotency_conflict']);
    const { rows } = await db.query("SELECT count(*)::int AS n FROM topic_events WHERE topic = 'b:1'");
    expect(rows[0].n).toBe(3);
  });

  it('refuses what a publisher may not send: a pattern, a bad name, a token without topics:publish', async () => {
    const pattern = await publishTopic(sys, 'inv:*');
    const badName = await publishTopic(sys, 'UPPER');
    const tooBig = await publishTopic(sys, 'jobs', { data: { blob: 'x'.repeat(9000) } });
    const wrongScope = await http(sys.apis[0].url, 'POST', '/v1/topics/jobs/events', { token: sys.serviceToken(), body: { type: 't' } });
    const user = await http(sys.apis[0].url, 'POST', '/v1/topics/jobs/events', { token: sys.userToken('ann'), body: { type: 't' } });

    expect([pattern.status, badName.status, tooBig.status]).toEqual([400, 400, 400]);
    expect(pattern.body.details).toEqual([{ field: 'topic', message: 'must be a topic, not a pattern' }]);
    expect([wrongScope.status, user.status]).toEqual([403, 403]);
  });

  it('delivers a live-only namespace at most once: no row, no seq, nothing to catch up on', async () => {
    const socket = await open(0, 'ann', ['tele:*'], 'topics=tele:cpu');
    await socket.waitFor((f) => f.type === 'subscribed');

    const res = await publishTopic(sys, 'tele:cpu', { data: { load: 0.5 } });
    await waitForEvents(socket, 1);
    const rest = await catchUp('tele:cpu', 'after=0', topicUser(sys, 'ann', ['tele:*']));

    expect([res.status, res.body]).toEqual([201, { topic: 'tele:cpu', seq: null }]);
    expect(socket.ofType('subscribed')).toEqual([{ type: 'subscribed', topic: 'tele:cpu', lastSeq: null }]);
    expect(socket.ofType('topic.event')[0].event).toMatchObject({ topic: 'tele:cpu', seq: null, data: { load: 0.5 } });
    expect(rest.body).toEqual({ items: [], nextCursor: null, lastSeq: 0 });
    const { rows } = await db.query("SELECT count(*)::int AS n FROM topic_events WHERE namespace = 'tele'");
    expect(rows[0].n).toBe(0);
  });

  it('follows a whole namespace with ns:* by its own seq, and resumes it from nsSeq', async () => {
    const live = await open(0, 'ann', ['inv:*'], 'topics=inv:*');
    await live.waitFor((f) => f.type === 'subscribed');
    await publishTopics(sys, [{ topic: 'inv:a' }, { topic: 'inv:b' }]);
    await publishTopic(sys, 'inv:a', {}, 1);
    await waitForEvents(live, 3);

    const resumed = await open(1, 'bob', ['inv:*'], 'topics=inv:*@1');
    await waitForEvents(resumed, 2);
    const rest = await catchUp('inv:*', 'after=0', topicUser(sys, 'bob', ['inv:*']));

    const positions = (s: TestSocket) => s.ofType('topic.event').map(({ event }) => [event.topic, event.seq, event.nsSeq]);
    expect(live.ofType('subscribed')).toEqual([{ type: 'subscribed', topic: 'inv:*', lastSeq: 0 }]);
    expect(positions(live)).toEqual([['inv:a', 1, 1], ['inv:b', 1, 2], ['inv:a', 2, 3]]);
    expect(positions(resumed)).toEqual([['inv:b', 1, 2], ['inv:a', 2, 3]]);
    expect(rest.body.items.map((e: { nsSeq: number }) => e.nsSeq)).toEqual([1, 2, 3]);
  });
});
