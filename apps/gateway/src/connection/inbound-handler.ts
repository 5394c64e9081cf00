import { Inject, Injectable } from '@nestjs/common';
import { AuthError, TokenVerifier } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { ClientFrameType, CloseCode, FrameErrorCode, ServerFrameType } from '@herald/contracts';
import type { ClientSession } from './client-session.js';
import { FrameRateLimiter, parseInbound } from './inbound-frames.js';
import { SessionCloser } from './session-closer.js';
import { TopicSubscriptions } from '../topics/topic-subscriptions.service.js';

/**
 * Client → server frames: `ping`, `auth`, and `subscribe` / `unsubscribe`
 * (handed to TopicSubscriptions). Oversize frames never get here
 * (ws closes them with 1009 at maxPayload); floods close with 4008; anything
 * else malformed gets an `error` frame and the socket stays open.
 */
@Injectable()
export class InboundHandler {
  private readonly limiters = new WeakMap<ClientSession, FrameRateLimiter>();

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(SessionCloser) private readonly closer: SessionCloser,
    @Inject(TopicSubscriptions) private readonly topics: TopicSubscriptions,
  ) {}

  handle(session: ClientSession, data: Buffer, isBinary: boolean): void {
    let limiter = this.limiters.get(session);
    if (!limiter) this.limiters.set(session, (limiter = new FrameRateLimiter(this.config.gateway.maxFramesPerSecond)));
    if (!limiter.allow(Date.now())) {
      this.closer.close(session, CloseCode.RateLimited, 'too many frames');
      return;
    }
    const parsed = parseInbound(data, isBinary);
    if (!parsed.ok) {
      session.enqueue(() => session.send({ type: ServerFrameType.Error, code: parsed.code, message: parsed.message }));
      return;
    }
    if (parsed.frame.type === ClientFrameType.Ping) {
      session.enqueue(() => session.send({ type: ServerFrameType.Pong, ts: Date.now() }));
      return;
    }
    if (parsed.frame.type !== ClientFrameType.Auth) return this.topics.handle(session, parsed.frame);
    const token = parsed.frame.token;
    session.enqueue(() => this.refresh(session, token));
  }

  /** A fresh token for the same user extends the socket past the old `exp`. */
  private async refresh(session: ClientSession, token: string): Promise<void> {
    try {
      const principal = await this.verifier.verify(token);
      if (principal.kind === 'service') {
        // As on the handshake: a service's `sub` is no user, even one spelled like this socket's.
        session.send({ type: ServerFrameType.Error, code: FrameErrorCode.InvalidToken, message: 'a service token cannot act as a user' });
        return;
      }
      if (principal.sub !== session.userId) {
        session.send({ type: ServerFrameType.Error, code: FrameErrorCode.WrongUser, message: 'token is for another user' });
        return;
      }
      this.closer.watchExpiry(session, principal.exp);
      this.topics.setGrants(session, principal.topics);
    } catch (err) {
      session.send({ type: ServerFrameType.Error, code: FrameErrorCode.InvalidToken, message: err instanceof AuthError ? err.message : 'invalid credentials' });
    }
  }
}
