import { signToken } from '@herald/auth';
import { Scope, topicChannel } from '@herald/contracts';
import { http, type HttpResult } from './http-client.js';
import type { TestSystem } from './test-system.js';
import { TestSocket } from './test-socket.js';

/** A service token that may publish topic events. */
export const topicPublisher = (sys: Pick<TestSystem, 'serviceToken'>) => sys.serviceToken({ scope: Scope.TopicsPublish });

/** A user token granting `topics` (names and `ns:*` patterns). */
export const topicUser = (sys: Pick<TestSystem, 'userToken'>, sub: string, topics: string[]) => sys.userToken(sub, { claims: { topics } });

/** A subscription token for one user and one topic, as an application's backend would issue it. */
export const subscriptionToken = (secret: string, sub: string, topic: string, expiresIn = 300) => signToken(secret, { sub, expiresIn, claims: { topic } });

/** POST /v1/topics/{topic}/events through api `apiIndex`. */
export function publishTopic(sys: TestSystem, topic: string, fields: Record<string, unknown> = {}, apiIndex = 0, headers: Record<string, string> = {}): Promise<HttpResult> {
  return http(sys.apis[apiIndex].url, 'POST', `/v1/topics/${encodeURIComponent(topic)}/events`, {
    token: topicPublisher(sys),
    body: { type: 'test', ...fields },
    headers,
  });
}

/** POST /v1/topic-events (the batch form). */
export function publishTopics(sys: TestSystem, events: { topic: string; type?: string; data?: Record<string, unknown> }[], apiIndex = 0): Promise<HttpResult> {
  return http(sys.apis[apiIndex].url, 'POST', '/v1/topic-events', {
    token: topicPublisher(sys),
    body: { events: events.map((e) => ({ type: 'test', ...e })) },
  });
}

/** A socket of `sub` granted `grants`, on gateway `gateway`, with extra query (`topics=…`). */
export function topicSocket(sys: TestSystem, gateway: number, sub: string, grants: string[], query = ''): Promise<TestSocket> {
  return TestSocket.connect(`${sys.gateways[gateway].wsUrl}?token=${topicUser(sys, sub, grants)}${query ? `&${query}` : ''}`);
}

/** The topic events a socket received, as `topic#seq`. */
export const received = (socket: TestSocket, topic?: string): string[] =>
  socket.ofType('topic.event').map((f) => f.event).filter((e) => topic === undefined || e.topic === topic).map((e) => `${e.topic}#${e.seq}`);

/** Waits until the socket has `count` events (of `topic`, if given). */
export const waitForEvents = (socket: TestSocket, count: number, topic?: string, timeoutMs = 10_000) =>
  socket.waitFor(() => received(socket, topic).length >= count, timeoutMs);

/** How many gateways subscribe to the topic's channel (PUBSUB NUMSUB). */
export async function topicSubscribers(sys: TestSystem, topic: string): Promise<number> {
  const [, count] = (await sys.redis.pubsub('NUMSUB', topicChannel(topic, sys.prefix))) as [string, number];
  return Number(count);
}

export const seqs = (from: number, to: number, topic: string) => Array.from({ length: to - from + 1 }, (_, i) => `${topic}#${from + i}`);
