import type { SqlExecutor } from '../database.js';

/**
 * audience_members: named groups of users. Members are listed in user_id
 * byte order (the column is COLLATE "C"), which the cursor follows along the
 * primary key: a page is an index range, not a sort of the audience.
 */
export class AudiencesRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Adds members (existing ones stay); answers how many were new. */
  async add(audience: string, userIds: string[]): Promise<number> {
    const rows = await this.db.query(
      `INSERT INTO audience_members (audience, user_id) SELECT $1, u FROM unnest($2::varchar[]) AS t(u)
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [audience, userIds],
    );
    return rows.length;
  }

  /** Removes members; answers how many were there. */
  async remove(audience: string, userIds: string[]): Promise<number> {
    const rows = await this.db.query(
      'DELETE FROM audience_members WHERE audience = $1 AND user_id = ANY($2::varchar[]) RETURNING user_id',
      [audience, userIds],
    );
    return rows.length;
  }

  /** Up to `limit` members after `after` (exclusive; undefined: from the start), in cursor order. */
  async page(exec: SqlExecutor, audience: string, after: string | undefined, limit: number): Promise<string[]> {
    const rows = await exec.query<{ user_id: string }>(
      `SELECT user_id FROM audience_members WHERE audience = $1 AND user_id > $2 ORDER BY user_id LIMIT $3`,
      [audience, after ?? '', limit],
    );
    return rows.map((r) => r.user_id);
  }

  async count(exec: SqlExecutor, audience: string): Promise<number> {
    const [row] = await exec.query<{ n: string }>('SELECT count(*) AS n FROM audience_members WHERE audience = $1', [audience]);
    return Number(row?.n ?? 0);
  }
}
