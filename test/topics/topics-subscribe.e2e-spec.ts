import { jest } from '@jest/globals';
import { waitUntil, sleep } from '../../scripts/harness/wait.mjs';
import { TopicEventPublisher } from '../../apps/api/src/topics/topic-event.publisher.js';
import { http } from '../support/http-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { TestSocket } from '../support/test-socket.js';
import {
  publishTopic, publishTopics, received, seqs, subscriptionToken, topicSocket, topicSubscribers, waitForEvents,
} from '../support/topics.js';

/** Live seq jumps the gateways have filled from Postgres, all of them together. */
async function gapFills(sys: TestSystem): Promise<number> {
  let total = 0;
  for (const gateway of sys.gateways) {
    const { body } = await http(gateway.metricsUrl, 'GET', '/metrics');
    total += Number(/^herald_gateway_gap_fills_total (\d+)/m.exec(body)?.[1] ?? 0);
  }
  return total;
}

/** Subscribe, unsubscribe and `?topics=` over two apis and two gateways, on real Postgres and Redis. */
describe('topics: subscribing (2 apis, 2 gateways)', () => {
  let sys: TestSystem;
  const sockets: TestSocket[] = [];
  const open = async (gateway: number, sub: string, grants: string[], query = '') => {
    const socket = await topicSocket(sys, gateway, sub, grants, query);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    sys = await startTestSystem({ apis: 2, gateways: 2, env: { HERALD_MAX_TOPICS_PER_SOCKET: '3', HERALD_MAX_SUBSCRIBES_PER_SECOND: '4' } });
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await sys.close();
  });

  it('delivers every event of a topic once and in order to its subscribers on both gateways, from both apis', async () => {
    const onA = await open(0, 'ann', ['jobs']);
    const onB = await open(1, 'bob', ['jobs']);
    for (const s of [onA, onB]) s.send({ type: 'subscribe', topics: ['jobs'] });
    const [subscribedA] = await Promise.all([onA.waitFor((f) => f.type === 'subscribed'), onB.waitFor((f) => f.type === 'subscribed')]);

    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => publishTopic(sys, 'jobs', { type: 'job.progress', data: { i } }, i % 2)));

    expect(subscribedA).toEqual({ type: 'subscribed', topic: 'jobs', lastSeq: 0 });
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(results.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const socket of [onA, onB]) await waitForEvents(socket, 30);
    await sleep(200);
    expect(received(onA)).toEqual(seqs(1, 30, 'jobs'));
    expect(received(onB)).toEqual(seqs(1, 30, 'jobs'));
    expect(onA.ofType('topic.event')[0].event).toMatchObject({ topic: 'jobs', type: 'job.progress', createdAt: expect.any(String) });
  });

  it('delivers every event once and in seq order when a batch publishes after later ones: the gateways fill the jump', async () => {
    const onA = await open(0, 'ann', ['race']);
    const onB = await open(1, 'bob', ['race']);
    for (const s of [onA, onB]) s.send({ type: 'subscribe', topics: ['race'] });
    await Promise.all([onA, onB].map((s) => s.waitFor((f) => f.type === 'subscribed')));
    const fillsBefore = await gapFills(sys);
    // The first batch's publish is held on api 0 (as when it completes after
    // batches that committed behind it): the group commit frees its slot at
    // commit, so the later requests commit and publish seqs 2… before seq 1.
    const publisher = sys.apis[0].app.get(TopicEventPublisher);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const publish = publisher.publish.bind(publisher);
    const spy = jest.spyOn(publisher, 'publish').mockImplementationOnce(async (events) => (await held, publish(events)));
    try {
      let firstAnswered = false;
      const first = publishTopic(sys, 'race', { data: { i: 0 } }).then((r) => ((firstAnswered = true), r));
      await waitUntil(() => spy.mock.calls.length === 1, { timeoutMs: 5000, intervalMs: 5, what: 'the first batch committed' });
      const later = await Promise.all(Array.from({ length: 40 }, (_, i) => publishTopic(sys, 'race', { data: { i: i + 1 } }, i % 2)));
      for (const socket of [onA, onB]) await waitForEvents(socket, 41);
      expect(firstAnswered).toBe(false); // a request answers only once its own frames went to Redis
      release();
      const answered = await first;
      await sleep(200); // room for the late copy of seq 1 to show up twice

      expect([answered.status, answered.body]).toEqual([201, { topic: 'race', seq: 1 }]);
      expect(later.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
      expect(received(onA)).toEqual(seqs(1, 41, 'race'));
      expect(received(onB)).toEqual(seqs(1, 41, 'race'));
      expect(await gapFills(sys)).toBeGreaterThan(fillsBefore);
    } finally {
      release();
      spy.mockRestore();
    }
  });

  it('subscribes each gateway to a topic channel once, and unsubscribes it after its last follower leaves', async () => {
    const first = await open(0, 'ann', ['ref'], 'topics=ref');
    const second = await open(0, 'bob', ['ref'], 'topics=ref');
    await Promise.all([first, second].map((s) => s.waitFor((f) => f.type === 'subscribed')));
    expect(await topicSubscribers(sys, 'ref')).toBe(1);

    first.send({ type: 'unsubscribe', topics: ['ref'] });
    await first.waitFor((f) => f.type === 'unsubscribed');
    await publishTopic(sys, 'ref');
    await waitForEvents(second, 1);
    expect(await topicSubscribers(sys, 'ref')).toBe(1);
    await second.close();
    await waitUntil(async () => (await topicSubscribers(sys, 'ref')) === 0, { timeoutMs: 5000, what: 'the channel released' });
    expect(received(first)).toEqual([]);
  });

  it('takes ?topics= on the handshake after the welcome, replaying from name@since', async () => {
    for (let i = 0; i < 4; i++) await publishTopic(sys, 'hand', { data: { i } });

    const socket = await open(1, 'cy', ['hand', 'hand2'], 'topics=hand@2,hand2');
    await waitForEvents(socket, 2, 'hand');

    expect(socket.frames.map((f) => f.type).slice(0, 4)).toEqual(['welcome', 'subscribed', 'topic.event', 'topic.event']);
    expect(socket.ofType('subscribed')).toEqual([
      { type: 'subscribed', topic: 'hand', lastSeq: 4 },
      { type: 'subscribed', topic: 'hand2', lastSeq: 0 },
    ]);
    expect(received(socket)).toEqual(seqs(3, 4, 'hand'));
  });

  it('refuses a topic the token does not grant with an error frame, keeps the socket and the other topics', async () => {
    const socket = await open(0, 'dan', ['mine']);

    socket.send({ type: 'subscribe', topics: ['mine', 'theirs', 'Not A Name', { name: 'jobs:*' }] });
    await socket.waitFor((f) => f.type === 'error' && f.topic === 'jobs:*');
    await publishTopics(sys, [{ topic: 'theirs' }, { topic: 'mine' }]);
    await waitForEvents(socket, 1);

    expect(socket.ofType('error').map(({ code, topic }) => [topic, code])).toEqual([
      ['theirs', 'topic_forbidden'],
      ['Not A Name', 'invalid_topic'],
      ['jobs:*', 'invalid_topic'], // its namespace does not allow patterns
    ]);
    expect(received(socket)).toEqual(['mine#1']);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
  });

  it('accepts a subscription token for that user and topic only', async () => {
    const socket = await open(1, 'eve', []);
    const token = (sub: string, topic: string, expiresIn?: number) => subscriptionToken(sys.secret, sub, topic, expiresIn);

    socket.send({
      type: 'subscribe',
      topics: [
        { name: 'vip:1', token: token('eve', 'vip:1') },
        { name: 'vip:2', token: token('eve', 'vip:1') },
        { name: 'vip:3', token: token('mallory', 'vip:3') },
        { name: 'vip:4', token: token('eve', 'vip:4', -30) },
      ],
    });
    await socket.waitFor((f) => f.type === 'error' && f.topic === 'vip:4');

    expect(socket.ofType('subscribed').map((f) => f.topic)).toEqual(['vip:1']);
    expect(socket.ofType('error').map(({ code, topic }) => [topic, code])).toEqual([
      ['vip:2', 'topic_forbidden'],
      ['vip:3', 'topic_forbidden'],
      ['vip:4', 'invalid_token'],
    ]);
  });

  it('limits the topics per socket and the subscribe frames per second, each with its own code', async () => {
    const socket = await open(0, 'fay', ['lim', 'lim2', 'lim3', 'lim4']);

    socket.send({ type: 'subscribe', topics: ['lim', 'lim2', 'lim3', 'lim4'] });
    await socket.waitFor((f) => f.type === 'error' && f.topic === 'lim4');
    for (let i = 0; i < 4; i++) socket.send({ type: 'unsubscribe', topics: ['nothing'] });
    await socket.waitFor((f) => f.code === 'rate_limited');

    expect(socket.ofType('subscribed').map((f) => f.topic)).toEqual(['lim', 'lim2', 'lim3']);
    expect(socket.ofType('error').map(({ code, topic }) => [topic, code])).toEqual([
      ['lim4', 'too_many_topics'],
      ['nothing', 'rate_limited'],
    ]);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
  });

  it('closes a handshake with a malformed ?topics= with 1008', async () => {
    const socket = await TestSocket.open(`${sys.gateways[0].wsUrl}?token=${sys.userToken('gus')}&topics=jobs@x`);

    expect((await socket.closed).code).toBe(1008);
  });
});
