import { namespaceOf, topicEventFrame, type TopicEvent, type TopicEventFrame } from '@herald/contracts';
import type { StreamState, TopicReader } from '@herald/database';

/** Which order a read is in: a topic by its seq, or a namespace by its nsSeq. */
export type StreamOrder = 'topic' | 'namespace';

export interface TopicRead {
  state: StreamState;
  /** Events above `since` (at most the limit) as frames, when `since` was given and history still reaches it; shared by every socket that asked the same. */
  rows?: TopicEventFrame[];
}

type Pending = { order: StreamOrder; key: string; since?: number; waiters: { resolve: (r: TopicRead) => void; reject: (e: unknown) => void }[] };

/** Distinct streams in one batch. */
const MAX_BATCH = 500;

/**
 * The reads of a subscribe (the stream's state, then the events above
 * `since`) for every socket that subscribes in the same event-loop turn, as
 * ResumeReads does for the user stream: when a gateway dies, thousands of
 * sockets resubscribe to the same topic at once, and they get one state
 * query and one row query, not one pair each. Identical requests share one
 * answer; a second `since` for a stream already in the batch is read alone.
 */
export class TopicReads {
  private pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(
    private readonly reader: Pick<TopicReader, 'topicStates' | 'namespaceStates' | 'afterForTopics' | 'afterForNamespaces' | 'after' | 'afterInNamespace'>,
    /** Most events to read above a stream's `since`: its history bound, plus one to tell "too far" from "just enough". */
    private readonly limitOf: (order: StreamOrder, key: string) => number,
  ) {}

  read(order: StreamOrder, key: string, since?: number): Promise<TopicRead> {
    const id = `${order}\u0000${key}\u0000${since ?? ''}`;
    return new Promise<TopicRead>((resolve, reject) => {
      const same = this.pending.get(id);
      if (same) return void same.waiters.push({ resolve, reject });
      this.pending.set(id, { order, key, since, waiters: [{ resolve, reject }] });
      if (this.pending.size >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    for (const order of ['topic', 'namespace'] as const) {
      const mine = batch.filter((p) => p.order === order);
      if (mine.length) this.readBatch(order, mine).catch((err: unknown) => mine.forEach((p) => p.waiters.forEach((w) => w.reject(err))));
    }
  }

  private async readBatch(order: StreamOrder, batch: Pending[]): Promise<void> {
    const keys = [...new Set(batch.map((p) => p.key))];
    // The state before the rows, as for a resume: an event committed between the two shows up in the rows.
    const states = await (order === 'topic' ? this.reader.topicStates(keys) : this.reader.namespaceStates(keys));
    const wanted = batch.filter((p) => p.since !== undefined && reaches(states.get(p.key) as StreamState, p.since));
    const together = new Map<string, Pending>();
    const alone: Pending[] = [];
    for (const p of wanted) {
      if (together.has(p.key)) alone.push(p);
      else together.set(p.key, p);
    }
    const rows = new Map<Pending, TopicEvent[]>([...together.values(), ...alone].map((p) => [p, []]));
    if (together.size) {
      const positions = new Map([...together].map(([key, p]) => [key, p.since as number]));
      const limit = Math.max(...[...together.keys()].map((key) => this.limitOf(order, key)));
      const read = order === 'topic' ? this.reader.afterForTopics(positions, limit) : this.reader.afterForNamespaces(positions, limit);
      for (const event of await read) rows.get(together.get(order === 'topic' ? event.topic : namespaceOf(event.topic)) as Pending)?.push(event);
    }
    await Promise.all(
      alone.map(async (p) => {
        const limit = this.limitOf(order, p.key);
        rows.set(p, await (order === 'topic' ? this.reader.after(p.key, p.since as number, limit) : this.reader.afterInNamespace(p.key, p.since as number, limit)));
      }),
    );
    for (const p of batch) {
      const events = rows.get(p);
      const answer: TopicRead = { state: states.get(p.key) as StreamState, rows: events?.map(topicEventFrame) };
      p.waiters.forEach((w) => w.resolve(answer));
    }
  }
}

/** History still holds everything above `since`, and `since` is a position this stream issued. */
function reaches(state: StreamState, since: number): boolean {
  return since >= state.trimmedSeq && since <= state.lastSeq;
}
