import type { WebSocket } from 'ws';
import { CloseCode, notificationFrame, ServerFrameType, type Notification, type ServerFrame } from '@herald/contracts';

/** What a session needs from the outside world, injected so it is testable alone. */
export interface SessionDeps {
  /** Rows with from < seq < to, oldest first (gap fill). */
  readRange(userId: string, from: number, to: number): Promise<Notification[]>;
  /** Counts one written frame of the given type. */
  onSent(type: string, notification?: Notification): void;
  /** Closes the socket with a code (and counts it). */
  close(session: ClientSession, code: number, reason: string): void;
  sendBufferBytes: number;
  maxGap: number;
}

/**
 * One socket's delivery state. `cursor` is the highest seq this socket has
 * been sent; frames go out through a serial queue so that a gap fill (which
 * reads Postgres) holds back every later frame until it is done. The common
 * case, the next seq arriving while nothing is queued, is sent at once.
 */
export class ClientSession {
  cursor = 0;
  /** Answered the last heartbeat ping (or has not been pinged yet). */
  alive = true;
  /** When the last heartbeat ping went out (ms since the epoch). */
  pingedAt = 0;
  /** Seconds since the epoch at which the token expires. */
  expiresAt = 0;
  private pending = 0;
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly ws: WebSocket,
    readonly connectionId: string,
    readonly userId: string,
    private readonly deps: SessionDeps,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  markClosed(): void {
    this.closed = true;
  }

  /** Runs `task` after everything queued before it; errors close the socket with 1011. */
  enqueue(task: () => Promise<void> | void): void {
    this.pending++;
    this.tail = this.tail
      .then(() => (this.closed ? undefined : task()))
      .catch(() => this.deps.close(this, CloseCode.InternalError, 'internal error'))
      .finally(() => {
        this.pending--;
      });
  }

  /** A live frame from the bus; `raw` is its JSON, serialised once per pod. */
  deliver(frame: ServerFrame, raw: string): void {
    if (this.closed) return;
    if (frame.type === ServerFrameType.Notification) {
      const seq = frame.notification.seq;
      if (this.pending === 0 && seq === this.cursor + 1) {
        this.sendNotification(frame.notification, raw);
        return;
      }
      this.enqueue(() => this.deliverInOrder(frame.notification, raw));
      return;
    }
    if (this.pending === 0) this.sendRaw(frame.type, raw);
    else this.enqueue(() => this.sendRaw(frame.type, raw));
  }

  send(frame: ServerFrame): void {
    this.sendRaw(frame.type, JSON.stringify(frame));
  }

  /** Sends a notification read from Postgres (resume, gap fill) and advances the cursor. */
  sendStored(notification: Notification): void {
    this.sendNotification(notification, JSON.stringify(notificationFrame(notification)));
  }

  private async deliverInOrder(n: Notification, raw: string): Promise<void> {
    if (n.seq <= this.cursor) return; // already sent by resume or a gap fill
    if (n.seq > this.cursor + 1) {
      if (n.seq - this.cursor - 1 > this.deps.maxGap) {
        this.send({ type: ServerFrameType.ResyncRequired, lastSeq: n.seq });
        this.cursor = n.seq;
        return;
      }
      const missing = await this.deps.readRange(this.userId, this.cursor, n.seq);
      for (const m of missing) if (m.seq > this.cursor) this.sendStored(m);
    }
    this.sendNotification(n, raw);
  }

  private sendNotification(n: Notification, raw: string): void {
    this.cursor = n.seq;
    this.sendRaw(ServerFrameType.Notification, raw, n);
  }

  private sendRaw(type: string, raw: string, notification?: Notification): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.deps.sendBufferBytes) {
      this.deps.close(this, CloseCode.SlowConsumer, 'slow consumer');
      return;
    }
    this.ws.send(raw);
    this.deps.onSent(type, notification);
  }
}
