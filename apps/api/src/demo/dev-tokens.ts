import { Inject, Injectable } from '@nestjs/common';
import { signToken } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { Scope } from '@herald/contracts';
import { JOBS_TOPIC } from './demo-jobs-panel.js';

/** The user the demo page signs in with no `?token=` (the one `npm start` prints a token for). */
export const DEMO_USER = 'alice';
/** The subject of the demo page's publish token. */
export const DEMO_SERVICE = 'demo-page';
/** Lifetimes, short because the page asks again when one is about to expire. */
export const DEMO_USER_TOKEN_SECONDS = 3600;
export const DEMO_SERVICE_TOKEN_SECONDS = 600;

export interface DevToken {
  token: string;
  sub: string;
  expiresIn: number;
}

/**
 * Tokens for the demo page outside production: the demo user's own (granted
 * the topic `jobs`), and a publish-scoped one for the page's forms. Needs the
 * HS256 secret (generated in dev mode); with only a JWKS there is nothing
 * to sign with, and the page asks for `?token=` as in production.
 */
@Injectable()
export class DevTokens {
  constructor(@Inject(HERALD_CONFIG) private readonly config: HeraldConfig) {}

  /**
   * Only with Herald's own generated secret, outside production: with an
   * operator's secret these routes would let anyone mint valid tokens.
   */
  get enabled(): boolean {
    return this.config.env !== 'production' && this.config.jwt.secretGenerated && Boolean(this.config.jwt.secret);
  }

  /** The demo user, granted the jobs panel's topic. */
  user(): DevToken {
    return this.sign(DEMO_USER, DEMO_USER_TOKEN_SECONDS, undefined, { topics: [JOBS_TOPIC] });
  }

  /** Publishes notifications and topic events (the page's two forms). */
  service(): DevToken {
    return this.sign(DEMO_SERVICE, DEMO_SERVICE_TOKEN_SECONDS, `${Scope.Publish} ${Scope.TopicsPublish}`);
  }

  private sign(sub: string, expiresIn: number, scope?: string, claims?: Record<string, unknown>): DevToken {
    const { secret, issuer, audience } = this.config.jwt;
    if (!this.enabled || !secret) throw new Error('dev tokens are disabled');
    return { token: signToken(secret, { sub, scope, expiresIn, issuer, audience, claims }), sub, expiresIn };
  }
}
