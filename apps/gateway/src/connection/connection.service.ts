import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { AuthError, AuthFailure, TokenVerifier, type Principal } from '@herald/auth';
import { LimitName, RateLimits, TicketStore } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { CloseCode, ServerFrameType } from '@herald/contracts';
import { addressKey, AuditEvent, AuditLog, clientHeaders, ClientAddress, DrainState, Metrics, type AuditEntry } from '@herald/observability';
import { ChannelSubscriptions } from '../fanout/channel-subscriptions.js';
import { DeliveryReceipts } from '../receipts/delivery-receipts.service.js';
import { ResumeService } from '../resume/resume.service.js';
import { UserStream } from '../streams/user-stream.js';
import { TopicDeliveryMetrics } from '../topics/topic-delivery-metrics.js';
import { TopicSubscriptions } from '../topics/topic-subscriptions.service.js';
import { Admission } from './admission.js';
import { ClientSession, type SessionDeps } from './client-session.js';
import { closeFor, invalidRequest, REFUSAL, type CloseDecision } from './close-for.js';
import { InboundHandler } from './inbound-handler.js';
import { originAllowed, parseHandshake } from './handshake-request.js';
import { SessionRegistry } from './session-registry.js';
import { SessionCloser } from './session-closer.js';

interface Identity {
  userId: string;
  exp: number;
  kind: Principal['kind'];
  /** Topic grants of the token (its `topics` claim), for the socket's subscribes. */
  topics: readonly string[];
}

/** Who knocked, as the audit log records it. */
type Caller = Pick<AuditEntry, 'ip' | 'origin' | 'userAgent'>;

/**
 * The life of one socket: admit it (drain, the pod's cap, the address's
 * handshake budget), check origin and credentials (closing with a code
 * before anything is allocated), enforce the per-user limit, register,
 * subscribe, resume (then the `?topics=` subscriptions), then hand inbound
 * frames to InboundHandler. Every handshake, accepted or refused, is one
 * audit line.
 */
@Injectable()
export class ConnectionService {
  private readonly logger = new Logger(ConnectionService.name);
  private readonly sessions = new WeakMap<WebSocket, ClientSession>();
  private readonly deps: SessionDeps;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(TicketStore) private readonly tickets: TicketStore,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
    @Inject(ChannelSubscriptions) private readonly subscriptions: ChannelSubscriptions,
    @Inject(ResumeService) private readonly resume: ResumeService,
    @Inject(InboundHandler) private readonly inbound: InboundHandler,
    @Inject(SessionCloser) private readonly closer: SessionCloser,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(DrainState) private readonly drain: DrainState,
    @Inject(Admission) private readonly admission: Admission,
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(ClientAddress) private readonly address: ClientAddress,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(UserStream) users: UserStream,
    @Inject(TopicSubscriptions) private readonly topics: TopicSubscriptions,
    @Inject(TopicDeliveryMetrics) topicMetrics: TopicDeliveryMetrics,
    @Inject(DeliveryReceipts) receipts: DeliveryReceipts,
  ) {
    const sent = new Map<string, ReturnType<Metrics['framesSent']['labels']>>();
    this.deps = {
      ownStream: users,
      onSent: (frame) => {
        if (frame.type === ServerFrameType.TopicEvent) return topicMetrics.written(frame); // booked per message, not per write
        let counter = sent.get(frame.type);
        if (!counter) sent.set(frame.type, (counter = metrics.framesSent.labels(frame.type)));
        counter.inc();
        if (frame.type === ServerFrameType.Notification) {
          metrics.deliveryLatency.observe((Date.now() - Date.parse(frame.notification.createdAt)) / 1000);
          receipts.written(frame);
        }
      },
      close: (session, code, reason) => closer.close(session, code, reason),
      sendBufferBytes: config.gateway.sendBufferBytes,
    };
  }

  async open(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const caller: Caller = { ip: this.address.of(req), ...clientHeaders(req.headers) };
    if (this.drain.isDraining) return this.refuse(ws, caller, REFUSAL.Draining);
    if (!this.admission.admit(ws)) return this.refuse(ws, caller, REFUSAL.Full);
    const budget = await this.limits.get(LimitName.IpHandshakes).consume(addressKey(caller.ip));
    if (!budget.allowed) return this.refuse(ws, caller, REFUSAL.RateLimited);
    const handshake = parseHandshake(req);
    if (!originAllowed(handshake.origin, this.config.gateway.allowedOrigins)) return this.refuse(ws, caller, REFUSAL.Origin);
    if (handshake.invalid) return this.refuse(ws, caller, invalidRequest(handshake.invalid));

    let identity: Identity;
    try {
      identity = await this.identify(handshake.ticket, handshake.token);
    } catch (err) {
      const decision = closeFor(err);
      if (decision.code === CloseCode.InternalError) this.logger.error(`handshake failed: ${(err as Error).message}`);
      else if (err instanceof AuthError && err.detail) this.logger.debug(`refused socket credentials: ${err.detail}`);
      return this.refuse(ws, caller, decision);
    }
    if (ws.readyState !== ws.OPEN) return;
    if (identity.kind === 'service') return this.refuse(ws, caller, REFUSAL.ServiceToken, identity);
    if (this.registry.countFor(identity.userId) >= this.config.gateway.maxConnectionsPerUser) {
      return this.refuse(ws, caller, REFUSAL.TooMany, identity);
    }
    this.audit.record({ event: AuditEvent.SocketAccepted, ...caller, user: identity.userId, principal: identity.kind });

    const session = new ClientSession(ws, randomUUID(), identity.userId, this.deps);
    this.sessions.set(ws, session);
    const home = this.registry.add(session);
    this.metrics.connections.set(this.registry.connectionCount);
    this.metrics.users.set(this.registry.userCount);
    this.closer.watchExpiry(session, identity.exp);
    this.topics.setGrants(session, identity.topics);
    ws.on('message', (data, isBinary) => this.inbound.handle(session, data as Buffer, isBinary));
    ws.on('pong', () => {
      session.alive = true;
    });
    // The socket's closures above keep this function's captured variables
    // alive as long as the socket: capture the two numbers, not the request
    // (its credentials and headers would stay in memory for the socket's life).
    const { since, recent, topics } = handshake;
    session.enqueue(async () => {
      await this.subscriptions.acquire(home);
      await this.resume.start(session, home, { since, recent, heartbeatMs: this.config.gateway.heartbeatMs });
      if (topics) await this.topics.subscribe(session, topics);
    });
  }

  /** Socket closed (by either side): forget it and release its user's channel if it was the last here. */
  close(ws: WebSocket): void {
    this.admission.release(ws);
    const session = this.sessions.get(ws);
    if (!session) return;
    this.sessions.delete(ws);
    session.markClosed();
    this.closer.forget(session);
    this.topics.releaseAll(session);
    const emptied = this.registry.remove(session);
    if (emptied) this.subscriptions.release(emptied);
    this.metrics.connections.set(this.registry.connectionCount);
    this.metrics.users.set(this.registry.userCount);
  }

  private async identify(ticket: string | undefined, token: string | undefined): Promise<Identity> {
    if (ticket) {
      const grant = await this.tickets.consume(ticket);
      if (!grant || grant.tokenExp * 1000 <= Date.now()) throw new AuthError(AuthFailure.Ticket);
      // Only user tokens get tickets (the tickets route refuses services).
      return { userId: grant.userId, exp: grant.tokenExp, kind: 'user', topics: grant.topics ?? [] };
    }
    const principal: Principal = await this.verifier.verify(token);
    return { userId: principal.sub, exp: principal.exp, kind: principal.kind, topics: principal.topics };
  }

  /**
   * Counts, audits and closes a refused socket. A client that never answers
   * the close frame is cut 2 s later (NotificationsGateway sets ws's close
   * timeout), so refusals cannot pile up open connections.
   */
  private refuse(ws: WebSocket, caller: Caller, decision: CloseDecision, identity?: Identity): void {
    this.metrics.authFailures.labels(decision.metric).inc();
    this.audit.record({
      event: AuditEvent.SocketRefused,
      ...caller,
      ...(identity ? { user: identity.userId, principal: identity.kind } : {}),
      reason: decision.metric,
      code: decision.code,
    });
    if (ws.readyState === ws.OPEN) ws.close(decision.code, decision.reason);
  }
}
