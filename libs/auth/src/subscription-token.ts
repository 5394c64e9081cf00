import type { JwtPayload } from 'jsonwebtoken';
import { AuthError, AuthFailure } from './auth.error.js';
import { checkClaims, type ClaimsPolicy } from './principal.js';
import { TopicForbiddenError } from './topic-errors.js';

/** The longest a subscription token may still have to live when it is presented: it is meant to be short-lived. */
export const MAX_SUBSCRIPTION_TOKEN_SECONDS = 3600;

/** What a verified subscription token grants: one user one topic, until `exp`. */
export interface SubscriptionGrant {
  sub: string;
  topic: string;
  exp: number;
}

/**
 * A subscription token is a JWT signed with the same keys as any other,
 * issued by the application's backend for one user and one topic (or `ns:*`
 * pattern): `{ sub, topic, exp }`. It passes the checks every token gets,
 * then must name the user who presents it and the topic asked for, and
 * expire within MAX_SUBSCRIPTION_TOKEN_SECONDS. A token that fails its own
 * checks is an AuthError; a sound token for another user or topic is a
 * TopicForbiddenError.
 */
export function subscriptionFromPayload(
  payload: JwtPayload | string,
  policy: ClaimsPolicy,
  wanted: { userId: string; topic: string },
): SubscriptionGrant {
  const { sub, exp, claims } = checkClaims(payload, policy);
  if (typeof claims.topic !== 'string') throw new AuthError(AuthFailure.Invalid, 'not a subscription token: no topic claim');
  if (exp - policy.nowSec > MAX_SUBSCRIPTION_TOKEN_SECONDS + policy.clockToleranceSec) {
    throw new AuthError(AuthFailure.Invalid, `subscription token expires more than ${MAX_SUBSCRIPTION_TOKEN_SECONDS} s from now`);
  }
  if (sub !== wanted.userId) throw new TopicForbiddenError('the subscription token is for another user');
  if (claims.topic !== wanted.topic) throw new TopicForbiddenError('the subscription token is for another topic');
  return { sub, topic: claims.topic, exp };
}
