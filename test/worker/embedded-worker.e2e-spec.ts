import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import webpush from 'web-push';
import { signToken } from '@herald/auth';
import { loadConfig } from '@herald/config';
import { Scope } from '@herald/contracts';
import { createEmbeddedApp } from '../../apps/embedded/src/create-embedded-app.js';
import { newSecret } from '../../scripts/harness/tokens.mjs';
import { waitUntil } from '../../scripts/harness/wait.mjs';
import { http } from '../support/http-client.js';
import { expectOnlyEnhancersTheLeanPublishRuns } from '../support/publish-route-enhancers.js';
import { browserKeys, decryptPush, PushEndpoint } from '../support/push-endpoint.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** The worker inside `npm start`'s one process: its queue (pg-boss) on the same in-memory PGlite. */
describe('embedded mode: the worker on PGlite', () => {
  let app: INestApplication;
  let url: string;
  const secret = newSecret();
  const endpoint = new PushEndpoint();
  const receiver = new WebhookReceiver();
  const vapid = webpush.generateVAPIDKeys();

  beforeAll(async () => {
    await Promise.all([endpoint.start(), receiver.start()]);
    const config = loadConfig({
      defaultPort: 0,
      env: {
        NODE_ENV: 'test', HERALD_JWT_SECRET: secret, LOG_LEVEL: 'silent', HERALD_ALLOW_PRIVATE_ENDPOINTS: 'true',
        HERALD_VAPID_PUBLIC_KEY: vapid.publicKey, HERALD_VAPID_PRIVATE_KEY: vapid.privateKey, HERALD_OUTBOX_POLL_MS: '50', HERALD_PUSH_DELAY_MS: '0',
      },
    });
    app = await createEmbeddedApp(config, { inMemory: true });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    // A fresh PGlite takes Herald's migrations and pg-boss's schema: ~15 s alone, over a minute on a loaded machine.
  }, 150_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([endpoint.close(), receiver.close()]);
  });

  it('has only the global enhancers the lean publish handler runs, with the gateway and worker modules in the same app', () => {
    expectOnlyEnhancersTheLeanPublishRuns(app);
  });

  it('pushes and calls webhooks from the one process', async () => {
    const service = signToken(secret, { sub: 'svc', scope: `${Scope.Publish} ${Scope.Admin}` });
    const keys = browserKeys();
    await http(url, 'POST', '/v1/push-subscriptions', { token: signToken(secret, { sub: 'emb-1' }), body: { endpoint: endpoint.url('/e/1'), keys: { p256dh: keys.p256dh, auth: keys.auth } } });
    const hook = await http(url, 'POST', '/v1/webhooks', { token: service, body: { url: receiver.url, events: ['notification.delivered'] } });
    receiver.secret = hook.body.secret;

    const res = await http(url, 'POST', '/v1/notifications', { token: service, body: { recipients: ['emb-1'], type: 'hello', title: 'From one process' } });

    await waitUntil(() => endpoint.accepted.length === 1 && receiver.received.length === 1, { timeoutMs: 20_000, what: 'a push and a webhook' });
    expect(JSON.parse(decryptPush(endpoint.accepted[0].body, keys)).id).toBe(res.body.notifications[0].id);
    expect(receiver.received[0]).toMatchObject({ verified: true, body: { type: 'notification.delivered' } });
  });
});
