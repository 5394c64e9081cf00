import type { WebSocket } from 'ws';
import { CloseCode, type ServerFrame } from '@herald/contracts';
import type { Stream, StreamKind } from '../streams/stream-kind.js';

/**
 * Each replayed or gap-filled entry's JSON, made once however many sessions
 * send it: a topic's followers replay the same rows after a gateway's
 * sockets come back together (see TopicReads), and share a gap fill's.
 */
const serialized = new WeakMap<ServerFrame, string>();
function rawOf(entry: ServerFrame): string {
  let raw = serialized.get(entry);
  if (raw === undefined) serialized.set(entry, (raw = JSON.stringify(entry)));
  return raw;
}

/** What a session needs from the outside world, injected so it is testable alone. */
export interface SessionDeps {
  /** The kind of the stream every socket follows, its own user's: its cursor is a field, not a map entry. */
  ownStream: StreamKind;
  /** Counts one written frame. */
  onSent(frame: ServerFrame): void;
  /** Closes the socket with a code (and counts it). */
  close(session: ClientSession, code: number, reason: string): void;
  sendBufferBytes: number;
}

/**
 * One socket's delivery state, and the only owner of its cursors: for each
 * stream it follows, the highest position it has been sent. Live copies at
 * or below a cursor are dropped; a jump above cursor + 1 is filled from
 * Postgres first, or answered with the stream's resync frame when more than
 * the stream's maxGap is missing. Frames go out through one serial queue, so
 * a gap fill holds back every later frame; the common case, the next
 * position arriving while nothing is queued, is sent at once.
 *
 * The own user stream's cursor is a plain field; cursors of other streams
 * (topics) live in a map made when the first is followed, so a socket that
 * follows only its own stream costs no more than before streams existed.
 * A stream other than its own is followed from follow() to unfollow():
 * frames of a stream it does not follow (any more) are dropped.
 */
export class ClientSession {
  /** Answered the last heartbeat ping (or has not been pinged yet). */
  alive = true;
  /** When the last heartbeat ping went out (ms since the epoch). */
  pingedAt = 0;
  /** Seconds since the epoch at which the token expires. */
  expiresAt = 0;
  private ownCursor = 0;
  private cursors: Map<Stream, number> | undefined;
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

  /** Highest seq sent on the socket's own user stream. */
  get cursor(): number {
    return this.ownCursor;
  }

  markClosed(): void {
    this.closed = true;
  }

  /** Highest position sent on `stream` (0 before anything was). */
  positionIn(stream: Stream): number {
    return stream.kind === this.deps.ownStream ? this.ownCursor : (this.cursors?.get(stream) ?? 0);
  }

  /** Starts following `stream` (a topic), at no position yet: startAt, replay or requireResync places it. False when already followed. */
  follow(stream: Stream): boolean {
    if (this.cursors?.has(stream)) return false;
    (this.cursors ??= new Map()).set(stream, 0);
    return true;
  }

  /** Stops following `stream`: its cursor goes, and its frames still on their way are dropped. False when it was not followed. */
  unfollow(stream: Stream): boolean {
    return this.cursors?.delete(stream) ?? false;
  }

  /** Its own stream, or one it follows now. */
  follows(stream: Stream): boolean {
    return stream.kind === this.deps.ownStream || (this.cursors?.has(stream) ?? false);
  }

  /** The streams it follows besides its own, to release when it closes. */
  followed(): Stream[] {
    return this.cursors ? [...this.cursors.keys()] : [];
  }

  /** How many streams it follows besides its own. */
  get followedCount(): number {
    return this.cursors?.size ?? 0;
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

  /**
   * A live frame from the bus, from the channel of `stream` (none for a
   * broadcast); `raw` is its JSON, serialised once per pod.
   */
  deliver(stream: Stream | undefined, frame: ServerFrame, raw: string): void {
    if (this.closed || (stream !== undefined && !this.follows(stream))) return;
    const seq = stream?.kind.positionOf(frame);
    if (stream === undefined || seq === undefined) {
      if (this.pending === 0) this.sendRaw(frame, raw);
      else this.enqueue(() => (stream === undefined || this.follows(stream) ? this.sendRaw(frame, raw) : undefined));
      return;
    }
    if (this.pending === 0 && seq === this.positionIn(stream) + 1) return this.sendEntry(stream, seq, frame, raw);
    this.enqueue(() => this.deliverInOrder(stream, seq, frame, raw));
  }

  send(frame: ServerFrame): void {
    this.sendRaw(frame, JSON.stringify(frame));
  }

  /**
   * Catches the socket up from history: `entries` are everything of
   * `stream` above some position up to `through`, oldest first, as read
   * from Postgres. Sends those above the cursor and moves the cursor to
   * `through`. When more than the stream's maxGap are above the cursor, or
   * (where holes mean loss) one between the cursor and `through` is
   * missing, sends none and asks for a resync instead; returns false then.
   */
  replay(stream: Stream, entries: readonly ServerFrame[], through: number): boolean {
    const newer = this.above(stream, entries);
    if (this.tooFar(stream, newer.length) || this.lost(stream, newer, through)) {
      this.requireResync(stream, through);
      return false;
    }
    for (const [seq, entry] of newer) this.sendEntry(stream, seq, entry, rawOf(entry));
    if (through > this.positionIn(stream)) this.setPosition(stream, through);
    return true;
  }

  /** Goes on live from `position` on a stream it follows: entries above it are sent, none below. */
  startAt(stream: Stream, position: number): void {
    this.setPosition(stream, position);
  }

  /** Tells the socket it must re-read `stream` up to `lastSeq` itself, and goes on live from there. */
  requireResync(stream: Stream, lastSeq: number): void {
    if (!this.follows(stream)) return;
    this.send(stream.kind.resyncFrame(stream.key, lastSeq));
    if (lastSeq > this.positionIn(stream)) this.setPosition(stream, lastSeq);
  }

  private async deliverInOrder(stream: Stream, seq: number, frame: ServerFrame, raw: string): Promise<void> {
    if (!this.follows(stream)) return; // unsubscribed while this frame waited
    const cursor = this.positionIn(stream);
    if (seq <= cursor) return; // already sent by a replay or a gap fill
    if (seq > cursor + 1) {
      if (this.tooFar(stream, seq - cursor - 1)) return this.requireResync(stream, seq);
      const filled = this.above(stream, await stream.kind.readGap(stream.key, cursor, seq));
      if (this.lost(stream, filled, seq - 1)) return this.requireResync(stream, seq);
      for (const [position, entry] of filled) this.sendEntry(stream, position, entry, rawOf(entry));
    }
    this.sendEntry(stream, seq, frame, raw);
  }

  /** The one rule for "too much missed to replay". */
  private tooFar(stream: Stream, missing: number): boolean {
    return missing > stream.kind.maxGap(stream.key);
  }

  /** The one rule for "history no longer holds what was missed": a hole between the cursor and `through`, where holes mean loss. */
  private lost(stream: Stream, newer: readonly [number, ServerFrame][], through: number): boolean {
    if (!stream.kind.holesMeanLoss) return false;
    let expected = this.positionIn(stream) + 1;
    for (const [seq] of newer) {
      if (seq !== expected) return true;
      expected++;
    }
    return expected <= through;
  }

  /** The entries above the cursor, with their positions, in order. */
  private above(stream: Stream, entries: readonly ServerFrame[]): [number, ServerFrame][] {
    const cursor = this.positionIn(stream);
    const newer: [number, ServerFrame][] = [];
    for (const entry of entries) {
      const seq = stream.kind.positionOf(entry);
      if (seq !== undefined && seq > cursor) newer.push([seq, entry]);
    }
    return newer;
  }

  private sendEntry(stream: Stream, seq: number, frame: ServerFrame, raw: string): void {
    this.setPosition(stream, seq);
    this.sendRaw(frame, raw);
  }

  /** Moves a cursor; a stream not followed (any more) keeps none. */
  private setPosition(stream: Stream, seq: number): void {
    if (stream.kind === this.deps.ownStream) this.ownCursor = seq;
    else if (this.cursors?.has(stream)) this.cursors.set(stream, seq);
  }

  private sendRaw(frame: ServerFrame, raw: string): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.deps.sendBufferBytes) {
      this.deps.close(this, CloseCode.SlowConsumer, 'slow consumer');
      return;
    }
    this.ws.send(raw);
    this.deps.onSent(frame);
  }
}
