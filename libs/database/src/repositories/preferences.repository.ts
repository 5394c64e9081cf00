import type { SqlExecutor } from '../database.js';

/** A category's default for one channel, set by services; `critical` means users cannot turn it off. */
export interface PreferenceDefault {
  category: string;
  channel: string;
  enabled: boolean;
  critical: boolean;
}

/** A user's choice for a category (type '*') or one type in it, on one channel. */
export interface UserPreference {
  category: string;
  type: string;
  channel: string;
  enabled: boolean;
}

/** One question: may `channel` carry a notification of this category and type to this user? */
export interface PreferenceCheck {
  userId: string;
  category: string;
  type: string;
}

/** The category preferences file a notification without one under. */
export const UNCATEGORISED = 'general';

/** A notification's category for preferences (the inbox's `category` when it has one). */
export function categoryOf(n: object): string {
  return (n as { category?: string | null }).category || UNCATEGORISED;
}

/**
 * preference_defaults and user_preferences, and the one rule that combines
 * them: a critical default always delivers; otherwise the user's row for
 * the type wins, then the user's row for the whole category ('*'), then
 * the category's default, then on.
 */
export class PreferencesRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Indexes of the `checks` whose channel is turned off (one statement for the whole batch). */
  async optedOut(exec: SqlExecutor, channel: string, checks: PreferenceCheck[]): Promise<Set<number>> {
    if (checks.length === 0) return new Set();
    const rows = await exec.query<{ o: string }>(
      `SELECT c.o FROM unnest($1::varchar[], $2::varchar[], $3::varchar[]) WITH ORDINALITY AS c(u, k, t, o)
         LEFT JOIN preference_defaults d ON d.category = c.k AND d.channel = $4
        WHERE NOT COALESCE(d.critical, false)
          AND NOT COALESCE(
            (SELECT p.enabled FROM user_preferences p
              WHERE p.user_id = c.u AND p.category = c.k AND p.channel = $4 AND p.type IN (c.t, '*')
              ORDER BY p.type = '*' LIMIT 1),
            d.enabled, true)`,
      [checks.map((c) => c.userId), checks.map((c) => c.category), checks.map((c) => c.type), channel],
    );
    return new Set(rows.map((r) => Number(r.o) - 1));
  }

  /** True when some user or default turns `channel` off somewhere: otherwise nobody needs checking. */
  async anyOptOut(exec: SqlExecutor, channel: string): Promise<boolean> {
    const [row] = await exec.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM user_preferences WHERE channel = $1 AND NOT enabled)
           OR EXISTS (SELECT 1 FROM preference_defaults WHERE channel = $1 AND NOT enabled) AS any`,
      [channel],
    );
    return row?.any === true;
  }

  async defaults(): Promise<PreferenceDefault[]> {
    return this.db.query<PreferenceDefault>('SELECT category, channel, enabled, critical FROM preference_defaults ORDER BY category, channel');
  }

  async setDefaults(rows: PreferenceDefault[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO preference_defaults (category, channel, enabled, critical)
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::boolean[], $4::boolean[])
       ON CONFLICT (category, channel) DO UPDATE SET enabled = EXCLUDED.enabled, critical = EXCLUDED.critical`,
      [rows.map((r) => r.category), rows.map((r) => r.channel), rows.map((r) => r.enabled), rows.map((r) => r.critical)],
    );
  }

  async forUser(userId: string): Promise<UserPreference[]> {
    return this.db.query<UserPreference>(
      'SELECT category, type, channel, enabled FROM user_preferences WHERE user_id = $1 ORDER BY category, type, channel',
      [userId],
    );
  }

  /** Upserts the user's rows; `enabled: null` removes one (back to the default). */
  async setForUser(userId: string, rows: (Omit<UserPreference, 'enabled'> & { enabled: boolean | null })[]): Promise<void> {
    const set = rows.filter((r) => r.enabled !== null);
    const cleared = rows.filter((r) => r.enabled === null);
    if (set.length) {
      await this.db.query(
        `INSERT INTO user_preferences (user_id, category, type, channel, enabled)
           SELECT $1, * FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::boolean[])
         ON CONFLICT (user_id, category, type, channel) DO UPDATE SET enabled = EXCLUDED.enabled`,
        [userId, set.map((r) => r.category), set.map((r) => r.type), set.map((r) => r.channel), set.map((r) => r.enabled)],
      );
    }
    if (cleared.length) {
      await this.db.query(
        `DELETE FROM user_preferences p USING unnest($2::varchar[], $3::varchar[], $4::varchar[]) AS c(k, t, ch)
          WHERE p.user_id = $1 AND p.category = c.k AND p.type = c.t AND p.channel = c.ch`,
        [userId, cleared.map((r) => r.category), cleared.map((r) => r.type), cleared.map((r) => r.channel)],
      );
    }
  }
}
