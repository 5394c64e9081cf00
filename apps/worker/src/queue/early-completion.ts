import type { JobAttempt } from 'pg-boss';

/** How long a job done before the rest of its batch waits to be completed together with others done meanwhile. */
export const EARLY_COMPLETION_LINGER_MS = 50;

/**
 * The jobs of one batch that end before the batch does. pg-boss settles a
 * batch when its last job ends, so without this a slow neighbour (a push
 * service that hangs) keeps a finished job active, and a worker killed
 * meanwhile runs it, and sends its push, a second time. The ones done are
 * completed in one statement EARLY_COMPLETION_LINGER_MS after the first of
 * them, unless the batch ends first: then pg-boss completes them with it
 * and no statement is spent, which is the usual case.
 */
export class EarlyCompletion {
  private readonly done: JobAttempt[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly complete: (jobs: JobAttempt[]) => Promise<unknown>,
    private readonly lingerMs = EARLY_COMPLETION_LINGER_MS,
  ) {}

  add(job: JobAttempt): void {
    this.done.push({ id: job.id, retryCount: job.retryCount });
    this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
  }

  /**
   * The batch ended: pg-boss settles what is left here (its settle touches
   * only active jobs, so none is settled twice). Resolves once a completion
   * already under way has finished: the two statements lock their rows in
   * different orders, and run side by side they could deadlock, failing the
   * batch's settle and so retrying, and sending again, its completed jobs.
   */
  cancel(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.done.length = 0;
    return this.inFlight;
  }

  private flush(): void {
    this.timer = undefined;
    const jobs = this.done.splice(0);
    // A failed statement leaves the jobs active: the batch's own settle completes them.
    this.inFlight = Promise.all([this.inFlight, this.complete(jobs).catch(() => undefined)]).then(() => undefined);
  }
}
