import { signToken } from './sign-token.js';
import { TokenVerifier } from './token-verifier.js';
import { resolveTopic, TopicAuthorizer } from './topic-access.js';
import { AuthError } from './auth.error.js';
import { TopicForbiddenError, TopicNameError } from './topic-errors.js';
import type { HeraldConfig } from '@herald/config';

const secret = 's'.repeat(32);
const topics = { historySize: 1000, historyTtlSeconds: 86400, namespaces: { inventory: { patterns: true }, telemetry: { live: true } }, maxPerSocket: 100, subscribesPerSecond: 10 };
const config = { jwt: { secret }, topics } as unknown as HeraldConfig;

describe('resolveTopic', () => {
  it('takes names and the patterns their namespace allows, with its options', () => {
    expect(resolveTopic('jobs', topics)).toMatchObject({ name: 'jobs', pattern: false, namespace: 'jobs', options: { historySize: 1000, live: false } });
    expect(resolveTopic('inventory:*', topics)).toMatchObject({ pattern: true, namespace: 'inventory' });
    expect(resolveTopic('telemetry:cpu.0', topics)).toMatchObject({ namespace: 'telemetry', options: { live: true } });
  });

  it('refuses malformed names and patterns a namespace does not allow', () => {
    for (const bad of ['', 'Jobs', '-x', 'a'.repeat(129), 'jobs*', 'jobs:a:*', '*', 42, null]) expect(() => resolveTopic(bad, topics)).toThrow(TopicNameError);
    expect(() => resolveTopic('jobs:*', topics)).toThrow(/does not allow pattern/);
  });
});

describe('TopicAuthorizer', () => {
  const sut = new TopicAuthorizer(new TokenVerifier(config));
  const topic = (name: string) => resolveTopic(name, topics);
  const subToken = (sub: string, t: string, expiresIn = 300) => signToken(secret, { sub, expiresIn, claims: { topic: t } });

  it("allows what the user's own token grants: a name, or a namespace by its pattern", async () => {
    const ann = { sub: 'ann', topics: ['jobs', 'inventory:*'] };

    await expect(sut.authorize(ann, topic('jobs'))).resolves.toBeUndefined();
    await expect(sut.authorize(ann, topic('inventory:vm-1'))).resolves.toBeUndefined();
    await expect(sut.authorize(ann, topic('inventory:*'))).resolves.toBeUndefined();
    await expect(sut.authorize(ann, topic('inventory'))).resolves.toBeUndefined();
    await expect(sut.authorize(ann, topic('jobs:1'))).rejects.toThrow(TopicForbiddenError);
  });

  it('allows a subscription token issued for this user and this very topic, and nothing else', async () => {
    const bob = { sub: 'bob', topics: [] };

    await expect(sut.authorize(bob, topic('jobs:7'), subToken('bob', 'jobs:7'))).resolves.toBeUndefined();
    await expect(sut.authorize(bob, topic('jobs:8'), subToken('bob', 'jobs:7'))).rejects.toThrow(/another topic/);
    await expect(sut.authorize(bob, topic('jobs:7'), subToken('ann', 'jobs:7'))).rejects.toThrow(/another user/);
    await expect(sut.authorize(bob, topic('jobs:7'), subToken('bob', 'jobs:7', 7200))).rejects.toThrow(AuthError);
    await expect(sut.authorize(bob, topic('jobs:7'), subToken('bob', 'jobs:7', -60))).rejects.toMatchObject({ failure: 'token_expired' });
    await expect(sut.authorize(bob, topic('jobs:7'), signToken(secret, { sub: 'bob' }))).rejects.toThrow(AuthError);
  });

  it('refuses a subscription token as an access token', async () => {
    await expect(new TokenVerifier(config).verify(subToken('bob', 'jobs:7'))).rejects.toMatchObject({ detail: expect.stringMatching(/subscription token/) });
  });
});
