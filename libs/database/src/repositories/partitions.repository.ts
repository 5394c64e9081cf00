import type { SqlExecutor } from '../database.js';
import {
  DEFAULT_PARTITION, NOTIFICATIONS_TABLE, partitionName, partitionSuffix, RECEIPTS_DEFAULT_PARTITION, RECEIPTS_TABLE, receiptsPartitionOf, RETIRED_PREFIX,
  type TimeRange,
} from '../partition-periods.js';
import { COUNTERS, stateSql, type StateCounts } from './inbox-state.sql.js';

/** One range partition of `notifications`. */
export interface NotificationPartition extends TimeRange {
  name: string;
}

/** One batch of a retired partition: per user (after the previous batch's), how many of its rows counted in each state. */
export interface RetiredBatch {
  gone: Map<string, StateCounts>;
  rows: number;
  /** Users in the batch; fewer than asked for means the partition is settled. */
  users: number;
  /** The last user of the batch: where the next batch starts. */
  lastUser: string | undefined;
}

/** How long DDL waits for the table locks it needs before it gives up until the next run. */
const LOCK_TIMEOUT = "SET LOCAL lock_timeout = '2s'";
/** What the comment of a retired partition says once some of its users' counts are settled. */
const SETTLED_THROUGH = 'herald: unread counts settled through user ';

/**
 * The partitions of `notifications` (range on created_at, plus a DEFAULT
 * one so an insert never fails), and of `notification_receipts` beside
 * them (one per notifications partition, same bounds, same name suffix):
 * listing, creating ahead, and retiring whole partitions past retention.
 * The two parent tables are always locked notifications first, then
 * receipts: the order every read takes them in (a read of a notification
 * probes its receipt) and the order retention's purge deletes in. Retiring is two steps so no transaction both
 * holds the parent's ACCESS EXCLUSIVE lock and waits on user rows: `detach`
 * takes the partition out of the table (no query sees its rows from then
 * on, so no state in it can change), then `retiredBatch` counts its rows
 * per user and state for the counters, a batch at a time, and `drop` removes it.
 * A detached partition is renamed `notifications_retired_…`, so a run that
 * stopped half-way is finished by the next one.
 */
export class PartitionsRepository {
  /** The database's clock: the one created_at comes from, so the one partition bounds are judged by. */
  async clock(exec: SqlExecutor): Promise<Date> {
    const [row] = await exec.query<{ now: Date }>('SELECT now() AS now');
    return new Date(row.now);
  }

  /** Range partitions of `table` (notifications or the receipts) with their bounds, oldest first; the DEFAULT partition is not among them. */
  async list(exec: SqlExecutor, table = NOTIFICATIONS_TABLE): Promise<NotificationPartition[]> {
    const rows = await exec.query<{ name: string; from: Date; to: Date }>(
      `SELECT c.relname AS name, b[1]::timestamptz AS from, b[2]::timestamptz AS to
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)') AS b
        WHERE i.inhparent = $1::regclass AND b IS NOT NULL
        ORDER BY 2`,
      [table],
    );
    return rows.map((r) => ({ name: r.name, from: new Date(r.from), to: new Date(r.to) }));
  }

  /**
   * Creates and attaches the partition of `range`, and the receipts
   * partition beside it, inside the caller's transaction. Each parent is
   * locked SHARE UPDATE EXCLUSIVE (writes to the other partitions go on),
   * each DEFAULT partition ACCESS EXCLUSIVE. A read of a user's inbox scans
   * the DEFAULT (a user id cannot prune it), so reads wait for the move and
   * the ATTACH: a moment, as the DEFAULT holds nothing unless partitions
   * ran out.
   */
  async create(tx: SqlExecutor, range: TimeRange): Promise<string> {
    const name = partitionName(range);
    await tx.query(LOCK_TIMEOUT);
    await this.createPartition(tx, NOTIFICATIONS_TABLE, DEFAULT_PARTITION, name, range);
    await this.createPartition(tx, RECEIPTS_TABLE, RECEIPTS_DEFAULT_PARTITION, receiptsPartitionOf(name), range);
    return name;
  }

  /**
   * The first notifications partition with no receipts partition beside it:
   * one an api of the release before receipts had a table made during a
   * rolling upgrade. Its receipts meanwhile went to the receipts' DEFAULT.
   */
  async withoutReceipts(exec: SqlExecutor): Promise<NotificationPartition | undefined> {
    const beside = new Set((await this.list(exec, RECEIPTS_TABLE)).map((p) => p.name));
    return (await this.list(exec)).find((p) => !beside.has(receiptsPartitionOf(p.name)));
  }

  /** Creates the receipts partition beside notifications partition `partition`, inside the caller's transaction; answers its name. */
  async createReceipts(tx: SqlExecutor, partition: NotificationPartition): Promise<string> {
    const name = receiptsPartitionOf(partition.name);
    await tx.query(LOCK_TIMEOUT);
    await this.createPartition(tx, RECEIPTS_TABLE, RECEIPTS_DEFAULT_PARTITION, name, partition);
    return name;
  }

  /**
   * The first receipts partition with no notifications partition beside it:
   * an api of the release before receipts had a table retired that
   * notifications partition during a rolling upgrade. No read reaches its
   * receipts any more.
   */
  async receiptsWithoutNotifications(exec: SqlExecutor): Promise<string | undefined> {
    const beside = new Set((await this.list(exec)).map((p) => partitionSuffix(p.name)));
    return (await this.list(exec, RECEIPTS_TABLE)).find((p) => !beside.has(partitionSuffix(p.name, RECEIPTS_TABLE)))?.name;
  }

  /** Drops receipts partition `name`, inside the caller's transaction; answers its name. */
  async dropReceipts(tx: SqlExecutor, name: string): Promise<string> {
    await tx.query(LOCK_TIMEOUT);
    await tx.query(`DROP TABLE ${quoteIdent(name)}`);
    return name;
  }

  /**
   * `table`'s partition `name` for `range`, with the rows its DEFAULT
   * partition holds in that range moved in first (ATTACH would refuse
   * otherwise). Before the move, the parent and the DEFAULT are locked as
   * ATTACH locks them, in its order: without that a row landing in the
   * range between the move and the ATTACH would fail the ATTACH, and a
   * weaker lock on the DEFAULT first, upgraded by the ATTACH, could
   * deadlock with a transaction that read the table and then writes to it
   * (the purge, the snooze waker).
   */
  private async createPartition(tx: SqlExecutor, table: string, defaultPartition: string, name: string, range: TimeRange): Promise<void> {
    const [from, to] = [range.from.toISOString(), range.to.toISOString()];
    await tx.query(`CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`);
    await tx.query(`LOCK TABLE ONLY ${table} IN SHARE UPDATE EXCLUSIVE MODE`);
    await tx.query(`LOCK TABLE ${defaultPartition} IN ACCESS EXCLUSIVE MODE`);
    await tx.query(
      `WITH moved AS (DELETE FROM ${defaultPartition} WHERE created_at >= $1 AND created_at < $2 RETURNING *) INSERT INTO ${name} SELECT * FROM moved`,
      [from, to],
    );
    await tx.query(`ALTER TABLE ${table} ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
  }

  /**
   * Takes `partition` out of the table and renames it retired, inside the
   * caller's transaction; answers the new name. The receipts partition of
   * its range goes at once, since no read can reach its rows from then on
   * (dropping it takes ACCESS EXCLUSIVE locks on the receipts table and its
   * DEFAULT, after notifications', for a moment).
   */
  async detach(tx: SqlExecutor, partition: string): Promise<string> {
    const retired = RETIRED_PREFIX + partitionSuffix(partition);
    await tx.query(LOCK_TIMEOUT);
    await tx.query(`ALTER TABLE ${NOTIFICATIONS_TABLE} DETACH PARTITION ${quoteIdent(partition)}`);
    await tx.query(`ALTER TABLE ${quoteIdent(partition)} RENAME TO ${retired}`);
    await tx.query(`DROP TABLE IF EXISTS ${quoteIdent(receiptsPartitionOf(partition))}`);
    return retired;
  }

  /** Retired partitions not dropped yet. */
  async retired(exec: SqlExecutor): Promise<string[]> {
    const rows = await exec.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND starts_with(c.relname, $1) ORDER BY 1`,
      [RETIRED_PREFIX],
    );
    return rows.map((r) => r.name);
  }

  /**
   * The next `limit` users of a retired partition (in the column's own order,
   * after those already settled) and how many of each one's rows in it
   * count in each of user_states' counters.
   */
  async retiredBatch(tx: SqlExecutor, table: string, limit: number): Promise<RetiredBatch> {
    const [note] = await tx.query<{ comment: string | null }>(`SELECT obj_description($1::regclass, 'pg_class') AS comment`, [quoteIdent(table)]);
    const after = note?.comment?.startsWith(SETTLED_THROUGH) ? note.comment.slice(SETTLED_THROUGH.length) : null;
    const rows = await tx.query<{ user_id: string; rows: number } & StateCounts>(
      `SELECT n.user_id, count(*)::int AS rows, ${COUNTERS.map(([st]) => `count(*) FILTER (WHERE ${stateSql(st, 'n')})::int AS ${st}`).join(', ')}
         FROM ${quoteIdent(table)} n WHERE ($1::varchar IS NULL OR n.user_id > $1)
        GROUP BY n.user_id ORDER BY n.user_id LIMIT $2`,
      [after, limit],
    );
    const gone = new Map(rows.map((r) => [r.user_id, Object.fromEntries(COUNTERS.map(([st]) => [st, r[st]])) as StateCounts]));
    return { gone, rows: rows.reduce((n, r) => n + r.rows, 0), users: rows.length, lastUser: rows.at(-1)?.user_id };
  }

  /** Records, in the same transaction as their counters, that users up to `lastUser` are settled. */
  async markSettled(tx: SqlExecutor, table: string, lastUser: string): Promise<void> {
    await tx.query(`COMMENT ON TABLE ${quoteIdent(table)} IS ${quoteLiteral(SETTLED_THROUGH + lastUser)}`);
  }

  async drop(tx: SqlExecutor, table: string): Promise<void> {
    await tx.query(`DROP TABLE ${quoteIdent(table)}`);
  }
}

/** Names come from the catalog, never from a request; quoted anyway. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
