import pg from 'pg';
import type { SqlExecutor } from './database.js';
import { NotificationReader } from './repositories/notification-reader.js';
import { ReplicationRepository } from './repositories/replication.repository.js';

/** Injection token of the ReadReplica; its value is null without DATABASE_REPLICA_URL. */
export const READ_REPLICA = Symbol('READ_REPLICA');

const MAX_SAMPLES = 1000;

interface Sample {
  at: number;
  position: bigint;
}

/**
 * A streaming replica (DATABASE_REPLICA_URL) and how fresh it is. A probe
 * notes the primary's WAL insert position with the time it asked, then
 * asks the replica what it has replayed: the newest noted position the
 * replica has reached tells the time up to which every commit on the
 * primary is visible there (`freshAsOf`). `isFresh(ms)` is what readers
 * check; a replica that is down, erroring or not a standby is never fresh,
 * so its reads go to the primary.
 */
export class ReadReplica {
  readonly reader: NotificationReader;
  private readonly replication = new ReplicationRepository();
  private readonly executor: SqlExecutor;
  private samples: Sample[] = [];
  private freshAsOf = 0;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private lastProblem: string | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly primary: SqlExecutor,
    private readonly report: (message: string) => void = () => undefined,
  ) {
    this.executor = { query: (sql, params) => pool.query(sql, params).then((r) => r.rows) };
    this.reader = new NotificationReader(this.executor);
  }

  static connect(url: string, poolSize: number, primary: SqlExecutor, onProblem?: (message: string) => void): ReadReplica {
    const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
    // An idle client that loses its server must not crash the process: the next probe notices.
    pool.on('error', (err) => onProblem?.(`replica connection: ${err.message}`));
    return new ReadReplica(pool, primary, onProblem);
  }

  /** Probes every `intervalMs` until closed; the first probe is at once. */
  start(intervalMs: number): void {
    if (this.timer) return;
    void this.probe();
    this.timer = setInterval(() => void this.probe(), intervalMs);
    this.timer.unref();
  }

  /** True when every commit the primary acknowledged before `now - maxLagMs` is visible on the replica. */
  isFresh(maxLagMs: number, now = Date.now()): boolean {
    return this.freshAsOf >= now - maxLagMs;
  }

  async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      const at = Date.now();
      this.samples.push({ at, position: await this.replication.insertPosition(this.primary) });
      const replayed = await this.replication.replayPosition(this.executor);
      if (replayed === undefined) {
        this.freshAsOf = 0;
        this.onProblem('DATABASE_REPLICA_URL is not a standby (pg_last_wal_replay_lsn() is null): reads stay on the primary');
        return;
      }
      const reached = this.samples.filter((s) => s.position <= replayed);
      if (reached.length) this.freshAsOf = Math.max(this.freshAsOf, reached[reached.length - 1].at);
      // Samples the replica has passed are no longer needed, but the newest of them is kept as a floor;
      // a replica stuck for long keeps only the newest samples (it is not fresh by any of the older ones anyway).
      this.samples = this.samples.filter((s) => s.position > replayed || s === reached[reached.length - 1]).slice(-MAX_SAMPLES);
      this.lastProblem = undefined;
    } catch (err) {
      this.freshAsOf = 0;
      this.samples = [];
      this.onProblem(`replica probe failed: ${(err as Error).message}`);
    } finally {
      this.probing = false;
    }
  }

  /** Reports a problem once, not at every probe while it lasts. */
  private onProblem(message: string): void {
    if (message !== this.lastProblem) this.report(message);
    this.lastProblem = message;
  }

  /** Marks the replica stale at once (a read on it failed): reads go to the primary until the next probe says otherwise. */
  markStale(): void {
    this.freshAsOf = 0;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.pool.end();
  }
}
