// What ingest did to the tables besides reading them, per inserted row:
// updates of user_states that were HOT (the new row version fits the page,
// no index entry) against those that moved to another page and added one to
// every index, and the autovacuum and autoanalyze runs meanwhile. A table
// whose pages are full (freshly generated, or never updated before) can
// only take non-HOT updates until vacuum frees room.

const STATS = `
  SELECT relname, n_tup_upd::bigint AS upd, n_tup_hot_upd::bigint AS hot, autovacuum_count::int AS vacuums, autoanalyze_count::int AS analyzes
    FROM pg_stat_user_tables`;

export async function tableActivity(db) {
  const rows = await db.query(STATS);
  return new Map(rows.map((r) => [r.relname, { upd: Number(r.upd), hot: Number(r.hot), vacuums: r.vacuums, analyzes: r.analyzes }]));
}

/** The change from `before` to `after`: user_states' HOT share, and the tables autovacuum visited (runs each). */
export function tableActivityDelta(before, after) {
  const delta = (name) => {
    const a = after.get(name);
    const b = before.get(name) ?? { upd: 0, hot: 0, vacuums: 0, analyzes: 0 };
    return a && { upd: a.upd - b.upd, hot: a.hot - b.hot, vacuums: a.vacuums - b.vacuums, analyzes: a.analyzes - b.analyzes };
  };
  const states = delta('user_states');
  const autovacuum = {};
  for (const name of after.keys()) {
    const d = delta(name);
    if (d.vacuums || d.analyzes) autovacuum[name] = { vacuums: d.vacuums, analyzes: d.analyzes };
  }
  return {
    userStatesUpdates: states?.upd ?? 0,
    userStatesHotPct: states?.upd ? Math.round((states.hot / states.upd) * 1000) / 10 : null,
    autovacuum,
  };
}
