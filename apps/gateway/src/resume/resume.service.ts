import { Inject, Injectable } from '@nestjs/common';
import { MAX_RESUME_ROWS, ServerFrameType, type WelcomeFrame } from '@herald/contracts';
import { NotificationReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import type { ClientSession } from '../connection/client-session.js';
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

  async start(session: ClientSession, req: ResumeRequest): Promise<void> {
    const { state, rows } = await this.reads.read(session.userId, req.since);
    const welcome: WelcomeFrame = {
      type: ServerFrameType.Welcome,
      connectionId: session.connectionId,
      userId: session.userId,
      lastSeq: state.lastSeq,
      unreadCount: state.unreadCount,
      heartbeatMs: req.heartbeatMs,
      serverTime: new Date().toISOString(),
    };
    if (req.recent > 0) welcome.recent = await this.reader.list(session.userId, { limit: req.recent });
    session.cursor = state.lastSeq;

    if (req.since === undefined) {
      session.send(welcome);
      return;
    }
    if (req.since > state.lastSeq) {
      // The client holds seqs this database never issued (restored or reset): start over.
      session.send(welcome);
      session.send({ type: ServerFrameType.ResyncRequired, lastSeq: state.lastSeq });
      this.metrics.resumes.labels('resync').inc();
      return;
    }
    session.send(welcome);
    if (!rows || rows.length > MAX_RESUME_ROWS) {
      session.send({ type: ServerFrameType.ResyncRequired, lastSeq: state.lastSeq });
      this.metrics.resumes.labels('resync').inc();
      return;
    }
    session.cursor = req.since;
    for (const row of rows) session.sendStored(row);
    session.cursor = Math.max(session.cursor, state.lastSeq);
    session.send({ type: ServerFrameType.Synced, seq: session.cursor });
    this.metrics.resumes.labels('synced').inc();
  }
}
