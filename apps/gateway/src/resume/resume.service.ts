import { Inject, Injectable } from '@nestjs/common';
import { ServerFrameType, type WelcomeFrame } from '@herald/contracts';
import { NotificationReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import type { ClientSession } from '../connection/client-session.js';
import type { Stream } from '../streams/stream-kind.js';
import { ResumeReads } from './resume-reads.js';

export interface ResumeRequest {
  /** Last seq the client holds (`?since=`), if it is resuming. */
  since?: number;
  /** How many of the newest notifications to put in the welcome (`?recent=`). */
  recent: number;
  heartbeatMs: number;
}

/**
 * Runs after the user's channel is subscribed, so anything committed later
 * also arrives live and is dropped as a duplicate by the session's cursor:
 * subscribe, then read, then release live frames above what was read.
 */
@Injectable()
export class ResumeService {
  private readonly reads: ResumeReads;

  constructor(
    @Inject(NotificationReader) private readonly reader: NotificationReader,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.reads = new ResumeReads(reader);
  }

  /** Welcomes the socket and, with `since`, replays its user's `stream` from there. */
  async start(session: ClientSession, stream: Stream, req: ResumeRequest): Promise<void> {
    const { state, rows } = await this.reads.read(session.userId, req.since);
    const welcome: WelcomeFrame = {
      type: ServerFrameType.Welcome,
      connectionId: session.connectionId,
      userId: session.userId,
      lastSeq: state.lastSeq,
      unreadCount: state.unreadCount,
      counts: state.counts,
      heartbeatMs: req.heartbeatMs,
      serverTime: new Date().toISOString(),
    };
    if (req.recent > 0) welcome.recent = await this.reader.list(session.userId, { limit: req.recent });
    session.send(welcome);

    if (req.since === undefined) {
      session.replay(stream, [], state.lastSeq);
      return;
    }
    // No rows when the client holds seqs this database never issued (restored or reset): start over.
    if (!rows) session.requireResync(stream, state.lastSeq);
    else if (session.replay(stream, rows, state.lastSeq)) {
      session.send({ type: ServerFrameType.Synced, seq: session.positionIn(stream) });
      this.metrics.resumes.labels('synced').inc();
      return;
    }
    this.metrics.resumes.labels('resync').inc();
  }
}
