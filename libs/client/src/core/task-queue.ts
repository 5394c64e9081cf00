/**
 * Runs the client's work one task at a time, in the order it was queued:
 * frame handlers, the REST fetches they start (gap fill, resync) and polling
 * rounds. A live frame that arrives while a gap is being fetched waits its
 * turn, so every feature sees its stream in order without locks of its own.
 */
export class TaskQueue {
  private tail: Promise<void> = Promise.resolve();
  /** False while the client is closed: queued tasks are skipped and late
   * results are dropped, not emitted. */
  active = false;

  constructor(private readonly report: (error: unknown) => void) {}

  /** Queues `task` behind everything before it; what it throws is reported. */
  enqueue(task: () => Promise<void> | void): Promise<void> {
    this.tail = this.tail
      .then(() => (this.active ? task() : undefined))
      .catch((error: unknown) => this.fail(error));
    return this.tail;
  }

  /** Reports `error`, unless the client was closed meanwhile. */
  fail(error: unknown): void {
    if (this.active) this.report(error);
  }
}
