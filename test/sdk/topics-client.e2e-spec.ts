import { WebSocket, type ClientOptions } from 'ws';
import { HeraldClient, type TopicEvent, type WebSocketConstructor } from '@herald/client';
import { signToken } from '@herald/auth';
import { Scope } from '@herald/contracts';
import { HeraldProcess } from '../../scripts/harness/herald-process.mjs';
import { freePort } from '../../scripts/harness/network.mjs';
import { REDIS_URL } from '../../scripts/harness/services.mjs';
import { sleep, waitUntil } from '../../scripts/harness/wait.mjs';
import { http } from '../support/http-client.js';
import { startProcessSystem, type ProcessSystem } from '../support/process-system.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * The SDK in Node following a topic through two api processes and two
 * gateway processes, one of which is SIGKILLed: a stand-in load balancer
 * sends every new socket to a gateway that is up, and the SDK, which opens
 * its sockets with tickets (the topic grants travel in the ticket),
 * resubscribes there from the topic's last seq.
 */
describe('HeraldClient.subscribe across a gateway crash (processes)', () => {
  let sys: ProcessSystem;
  let secondApi: HeraldProcess;
  let apis: string[];

  beforeAll(async () => {
    sys = await startProcessSystem({ gateways: 2 });
    secondApi = new HeraldProcess('api', {
      port: await freePort(),
      metricsPort: await freePort(),
      cwd: process.cwd(),
      env: { NODE_ENV: 'test', DATABASE_URL: sys.db.url, DATABASE_POOL_SIZE: '5', REDIS_URL, HERALD_REDIS_PREFIX: sys.prefix, HERALD_JWT_SECRET: sys.secret, LOG_LEVEL: 'warn' },
    });
    await secondApi.start();
    apis = [sys.api.url, secondApi.url];
  }, 90_000);
  afterAll(async () => {
    await secondApi?.stop('SIGTERM');
    await sys?.close();
  });

  it('gets every event of the topic once, in order, before, during and after the crash', async () => {
    const [a, b] = sys.gateways;
    /** Every socket goes to the first gateway that is up, as a load balancer would send it. */
    const Balanced = class extends WebSocket {
      constructor(url: string, protocols?: string | string[], options?: ClientOptions) {
        const target = a.running ? a : b;
        super(url.replace(/^ws:\/\/[^/]+/, `ws://127.0.0.1:${target.port}`), protocols, options);
      }
    } as unknown as WebSocketConstructor;
    const client = new HeraldClient({
      url: sys.api.url,
      wsUrl: a.wsUrl,
      getToken: () => sys.userToken('crash-topics', { claims: { topics: ['jobs:*'] } }),
      socketAuth: 'ticket',
      WebSocket: Balanced,
      backoffCapMs: 1000,
    });
    const got: TopicEvent[] = [];
    const states: string[] = [];
    client.on('state', (s) => states.push(s));
    client.subscribe('jobs:build', (event) => void got.push(event));
    client.connect();
    await waitUntil(() => client.topicPosition('jobs:build') !== null, { timeoutMs: 10_000, what: 'subscribed' });

    const publisher = signToken(sys.secret, { sub: 'ci', scope: Scope.TopicsPublish });
    let sent = 0;
    let publishing = true;
    const statuses = new Set<number>();
    const publishing$ = (async () => {
      // Bounded: at most 400 events, and only while the test says so.
      for (let i = 0; publishing && i < 400; i++) {
        const res = await http(apis[i % 2], 'POST', '/v1/topics/jobs:build/events', { token: publisher, body: { type: 'step', data: { i } } });
        statuses.add(res.status);
        if (res.status === 201) sent++;
        await sleep(15);
      }
    })();

    await waitUntil(() => got.length >= 5, { timeoutMs: 10_000, what: 'events before the crash' });
    await a.stop('SIGKILL');
    const atCrash = sent;
    await waitUntil(() => states.at(-1) === 'open' && states.includes('reconnecting'), { timeoutMs: 20_000, what: 'reconnected to the other gateway' });
    await waitUntil(() => got.length >= atCrash + 5, { timeoutMs: 20_000, what: 'events after the crash' });
    publishing = false;
    await publishing$;
    await waitUntil(() => got.length >= sent, { timeoutMs: 15_000, what: `all ${sent} events` });
    await sleep(200); // room for a duplicate to show up
    client.close();

    expect([...statuses]).toEqual([201]);
    expect(got.map((e) => e.seq)).toEqual(range(sent));
    expect(got.map((e) => e.data?.i)).toEqual(range(sent).map((i) => i - 1));
  }, 90_000);
});
