import { sleep, waitUntil } from '../../scripts/harness/wait.mjs';
import { http } from '../support/http-client.js';
import { TestRedisServer } from '../support/redis-server.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import type { TestSocket } from '../support/test-socket.js';
import { publishTopic, topicSocket } from '../support/topics.js';

const readyStatus = async (url: string) => (await http(url, 'GET', '/readyz')).status;
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('topics: Redis restart', () => {
  let redis: TestRedisServer;
  let sys: TestSystem;

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    sys = await startTestSystem({ apis: 1, gateways: 2, env: { REDIS_URL: redis.url, HERALD_TOPIC_NAMESPACES: '{"r":{"patterns":true}}' } });
  });
  afterAll(async () => {
    await sys.close();
    await redis.kill();
  });

  it('re-syncs every followed topic and pattern from Postgres: each event once, in order, nothing lost', async () => {
    const onTopic: TestSocket[] = [];
    const onPattern: TestSocket[] = [];
    for (let i = 0; i < 10; i++) {
      onTopic.push(await topicSocket(sys, i % 2, `t-${i}`, ['r:*'], 'topics=r:1'));
      onPattern.push(await topicSocket(sys, i % 2, `p-${i}`, ['r:*'], 'topics=r:*'));
    }
    await Promise.all([...onTopic, ...onPattern].map((s) => s.waitFor((f) => f.type === 'subscribed')));
    let toTopic = 0;
    let toNamespace = 0;
    let publishing = true;
    const publisher = (async () => {
      // Bounded: at most 300 rounds, and only while the test says so.
      for (let i = 0; publishing && i < 300; i++) {
        const topic = i % 3 === 0 ? 'r:2' : 'r:1';
        if ((await publishTopic(sys, topic, { data: { i } })).status === 201) {
          toNamespace++;
          if (topic === 'r:1') toTopic++;
        }
        await sleep(10);
      }
    })();

    await sleep(300);
    await redis.kill();
    await waitUntil(async () => (await readyStatus(sys.gateways[0].url)) === 503, { timeoutMs: 5000, intervalMs: 50, what: 'gateway not ready' });
    const before = toNamespace;
    await sleep(700); // events keep committing while nothing can be published
    publishing = false;
    await publisher;
    expect(toNamespace - before).toBeGreaterThan(5);
    // Nothing is published after Redis returns: what committed meanwhile can only come through the re-sync.
    await redis.start();
    await waitUntil(async () => (await readyStatus(sys.gateways[0].url)) === 200 && (await readyStatus(sys.gateways[1].url)) === 200, {
      timeoutMs: 15_000, intervalMs: 50, what: 'gateways ready again',
    });

    const events = (s: TestSocket) => s.ofType('topic.event').map((f) => f.event);
    for (const s of onTopic) await s.waitFor(() => events(s).length >= toTopic, 10_000);
    for (const s of onPattern) await s.waitFor(() => events(s).length >= toNamespace, 10_000);
    await sleep(300); // room for a duplicate to show up
    for (const s of onTopic) expect(events(s).map((e) => e.seq)).toEqual(range(toTopic));
    for (const s of onPattern) expect(events(s).map((e) => e.nsSeq)).toEqual(range(toNamespace));
    const metrics = await http(sys.gateways[0].metricsUrl, 'GET', '/metrics');
    expect(metrics.body).toMatch(/herald_gateway_resumes_total\{outcome="resync_after_outage"\} [1-9]/);
    expect(metrics.body).toMatch(/herald_gateway_topic_subscriptions\{namespace="r"\} 10/);
    await Promise.all([...onTopic, ...onPattern].map((s) => s.close()));
  }, 60_000);
});
