import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_PARTITION, partitionName, periodsOf, periodStart, nextPeriod, type TimeRange } from '../partition-periods.js';

/** Marks an index that was unique before partitioning: the down migration makes it unique again. */
export const WAS_UNIQUE = 'herald: was unique as ';

interface IndexDef {
  name: string;
  def: string;
  unique: boolean;
  primary: boolean;
  /** Backs a constraint (PRIMARY KEY, UNIQUE, EXCLUDE) rather than being a bare index. */
  constraint: boolean;
  columns: string[];
  comment: string | null;
}

/**
 * Range-partitions `notifications` by `created_at`, so retention drops whole
 * partitions instead of deleting rows, and each partition's indexes stay the
 * size of one period. Written against the table as it is when this runs,
 * not as the initial schema made it: the new table copies every column,
 * default and CHECK of the old one (LIKE), and every index is re-created
 * from the old table's own definition. What partitioning forbids is
 * adapted: the primary key gains `created_at`; a unique index without
 * `created_at` (uq (user_id, seq)) becomes a plain index, uniqueness being
 * kept by how seq is allocated (user_states.last_seq under the user's row
 * lock; see docs/scaling.md). Existing rows go to monthly partitions (the
 * api adds partitions of the configured period from then on), anything
 * outside them to the DEFAULT partition. Holds an ACCESS EXCLUSIVE lock for
 * the copy: on a big table, run `npm run migrate` in a quiet window.
 */
export class PartitionNotifications1765000000000 implements MigrationInterface {
  name = 'PartitionNotifications1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('LOCK TABLE notifications IN ACCESS EXCLUSIVE MODE');
    await refuseReferences(q);
    const indexes = await indexDefinitions(q, 'notifications');
    const foreignKeys = await foreignKeyDefinitions(q, 'notifications');
    await q.query(`CREATE TABLE notifications_partitioned (LIKE notifications ${COPIED}) PARTITION BY RANGE (created_at)`);
    const [bounds] = await q.query(`SELECT min(created_at) AS min FROM notifications`);
    for (const range of monthsFrom(bounds.min ? new Date(bounds.min) : new Date(), new Date())) {
      await q.query(
        `CREATE TABLE ${partitionName(range)} PARTITION OF notifications_partitioned FOR VALUES FROM ('${range.from.toISOString()}') TO ('${range.to.toISOString()}')`,
      );
    }
    await q.query(`CREATE TABLE ${DEFAULT_PARTITION} PARTITION OF notifications_partitioned DEFAULT`);
    await q.query('INSERT INTO notifications_partitioned SELECT * FROM notifications');
    await q.query('DROP TABLE notifications');
    await q.query('ALTER TABLE notifications_partitioned RENAME TO notifications');
    for (const index of indexes) {
      const keyed = index.columns.includes('created_at');
      if (index.primary) {
        const columns = keyed ? index.columns : [...index.columns, 'created_at'];
        await q.query(`ALTER TABLE notifications ADD CONSTRAINT ${index.name} PRIMARY KEY (${columns.join(', ')})`);
      } else if (index.unique && !keyed) {
        const name = index.name.replace(/^uq_/, 'ix_');
        await q.query(`CREATE INDEX ${name} ON notifications${usingClause(index.def)}`);
        await q.query(`COMMENT ON INDEX ${name} IS '${WAS_UNIQUE}${index.constraint ? 'constraint' : 'index'} ${index.name}'`);
      } else {
        await recreate(q, index);
      }
    }
    for (const fk of foreignKeys) await q.query(`ALTER TABLE notifications ADD CONSTRAINT ${fk.name} ${fk.def}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('LOCK TABLE notifications IN ACCESS EXCLUSIVE MODE');
    const indexes = await indexDefinitions(q, 'notifications');
    const foreignKeys = await foreignKeyDefinitions(q, 'notifications');
    await q.query(`CREATE TABLE notifications_plain (LIKE notifications ${COPIED})`);
    await q.query('INSERT INTO notifications_plain SELECT * FROM notifications');
    // Partitions detached for dropping but not dropped yet are out of retention: they go too.
    const retired = await q.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'notifications\\_retired\\_%'`);
    for (const { tablename } of retired) await q.query(`DROP TABLE ${tablename}`);
    await q.query('DROP TABLE notifications CASCADE');
    await q.query('ALTER TABLE notifications_plain RENAME TO notifications');
    for (const index of indexes) {
      if (index.primary) {
        const columns = index.columns.length > 1 ? index.columns.filter((c) => c !== 'created_at') : index.columns;
        await q.query(`ALTER TABLE notifications ADD CONSTRAINT ${index.name} PRIMARY KEY (${columns.join(', ')})`);
      } else if (index.comment?.startsWith(WAS_UNIQUE)) {
        const [kind, name] = index.comment.slice(WAS_UNIQUE.length).split(' ');
        if (kind === 'constraint') await q.query(`ALTER TABLE notifications ADD CONSTRAINT ${name} UNIQUE (${index.columns.join(', ')})`);
        else await q.query(`CREATE UNIQUE INDEX ${name} ON notifications${usingClause(index.def)}`);
      } else {
        await recreate(q, index);
      }
    }
    for (const fk of foreignKeys) await q.query(`ALTER TABLE notifications ADD CONSTRAINT ${fk.name} ${fk.def}`);
  }
}

/** Everything LIKE can copy but indexes (re-created by hand, as partitioning needs). */
const COPIED = 'INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS';

/** Months from the one holding `first` to the one after `now`'s, UTC. */
function monthsFrom(first: Date, now: Date): TimeRange[] {
  const from = periodStart(first < now ? first : now, 'month');
  return periodsOf({ from, to: nextPeriod(nextPeriod(periodStart(now, 'month'), 'month'), 'month') }, 'month');
}

/** A foreign key into notifications would need a unique key without created_at, which a partitioned table cannot have. */
async function refuseReferences(q: QueryRunner): Promise<void> {
  const refs = await q.query(`SELECT conname FROM pg_constraint WHERE contype = 'f' AND confrelid = 'notifications'::regclass`);
  if (refs.length) throw new Error(`notifications cannot be partitioned while foreign keys reference it: ${refs.map((r: { conname: string }) => r.conname).join(', ')}`);
}

async function indexDefinitions(q: QueryRunner, table: string): Promise<IndexDef[]> {
  const rows: { name: string; def: string; unique: boolean; primary: boolean; constraint: boolean; columns: string[]; comment: string | null }[] = await q.query(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisunique AS unique, i.indisprimary AS primary,
            EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) AS constraint,
            ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, o)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.o) AS columns,
            obj_description(i.indexrelid, 'pg_class') AS comment
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = $1::regclass ORDER BY c.relname`,
    [table],
  );
  return rows;
}

async function foreignKeyDefinitions(q: QueryRunner, table: string): Promise<{ name: string; def: string }[]> {
  return q.query(`SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass`, [table]);
}

/** ` USING btree (user_id, seq) WHERE …` of a definition: the part that does not name the table. */
function usingClause(def: string): string {
  return def.slice(def.indexOf(' USING '));
}

/** The same index, or the same UNIQUE/EXCLUDE constraint, on the new table. */
async function recreate(q: QueryRunner, index: IndexDef): Promise<void> {
  if (index.constraint && index.unique) {
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT ${index.name} UNIQUE (${index.columns.join(', ')})`);
  } else {
    await q.query(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${index.name} ON notifications${usingClause(index.def)}`);
  }
}
