// The inbox (issue 14): list and counts latency with a big table (the full
// profile: 100 users × 10,000 notifications = 1,000,000 rows, generated in
// SQL, not measured), and what a change event costs a POST: plain POSTs
// against POSTs that group into an entry (each one a `grouped` change with
// its own position and change-log row), and a state change (read) alone.
// One api process on its own database; requests over loopback HTTP.
import { contentionFlags, startContention } from '../lib/contention.mjs';
import { withDeployment } from '../lib/deploy.mjs';
import { newHistogram, recordMs, summarize } from '../lib/hist.mjs';
import { secretKey, userToken } from '../lib/tokens.mjs';
import { log } from '../lib/util.mjs';

const CATEGORIES = 5;
const TAGS = 13;

/** Every notification of `users` × `perUser`, in states spread the way an inbox looks, and the counters they make. */
async function generate(db, users, perUser) {
  await db.query(
    `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, body, severity, created_at,
                                read_at, seen_at, archived_at, snoozed_until, category, tags, publisher)
     SELECT gen_random_uuid(), 'iu' || lpad(u::text, 4, '0'), s, s, 'bench.t' || (s % 7), 'Title ' || s, 'Body of notification ' || s,
            (ARRAY['info','success','warning','error'])[1 + s % 4], now() - make_interval(secs => ($2 - s) * 30),
            CASE WHEN s % 2 = 0 THEN now() END, CASE WHEN s % 5 < 3 OR s % 2 = 0 THEN now() END,
            CASE WHEN s % 10 = 0 THEN now() END, CASE WHEN s % 50 = 1 THEN now() + interval '1 day' END,
            'cat' || (s % ${CATEGORIES}), ARRAY['t' || (s % 10), 't' || (10 + s % 3)]::varchar[], 'bench'
       FROM generate_series(1, $1) u, generate_series(1, $2) s`,
    [users, perUser],
  );
  await db.query(
    `INSERT INTO user_states (user_id, last_seq, unread_count, inbox_count, unseen_count, archived_count, snoozed_count)
     SELECT user_id, max(seq),
            count(*) FILTER (WHERE snoozed_until IS NULL AND archived_at IS NULL AND read_at IS NULL),
            count(*) FILTER (WHERE snoozed_until IS NULL AND archived_at IS NULL),
            count(*) FILTER (WHERE snoozed_until IS NULL AND archived_at IS NULL AND seen_at IS NULL),
            count(*) FILTER (WHERE snoozed_until IS NULL AND archived_at IS NOT NULL),
            count(*) FILTER (WHERE snoozed_until IS NOT NULL)
       FROM notifications GROUP BY user_id`,
  );
  // Nine in ten delivered, as the gateways would have recorded them (builds before round 10 had no receipts table).
  // created_at as receiptCreatedAt (libs/database/src/partition-periods.ts) keys it: the benchmark runs against any build.
  const [{ receipts }] = await db.query("SELECT to_regclass('notification_receipts') IS NOT NULL AS receipts");
  if (receipts) {
    await db.query(
      `INSERT INTO notification_receipts (notification_id, created_at, delivered_at)
       SELECT id, date_trunc('milliseconds', created_at), created_at + interval '20 milliseconds' FROM notifications WHERE seq % 10 <> 3`,
    );
    await db.query('VACUUM ANALYZE notification_receipts'); // else autovacuum would do it during the measured reads
  }
  await db.query('ANALYZE notifications');
  await db.query('ANALYZE user_states');
  // The generation's WAL is flushed now, not by a checkpoint during the measured reads.
  await db.query('CHECKPOINT');
}

/** Runs `task(i)` `count` times, `concurrency` at a time; answers the seconds it took. */
async function pool(count, concurrency, task) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await task(next++);
  }));
  return (performance.now() - t0) / 1000;
}

async function timed(h, fn) {
  const t0 = performance.now();
  const res = await fn();
  recordMs(h, performance.now() - t0);
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return res.json();
}

const request = (url, token, method = 'GET', body) =>
  fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body && JSON.stringify(body) });

export async function runInbox(ctx, cfg) {
  return withDeployment(ctx, 'herald', { gateways: 0 }, async ({ system, db }) => {
    const api = system.api.url;
    const key = secretKey(ctx.secret);
    const t0 = Date.now();
    await generate(db, cfg.users, cfg.perUser);
    const [{ rows }] = await db.query('SELECT count(*)::int AS rows FROM notifications');
    log(`  inbox: ${rows.toLocaleString('en')} notifications generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const user = (i) => `iu${String(i % cfg.users).padStart(4, '0')}`;
    const tokens = Array.from({ length: cfg.users }, (_, i) => userToken(key, user(i)));
    const listFilters = ['', 'state=unread', `category=cat${2}`, 'tags=t3', 'state=archived', 'tags=t1,t11&tagsMatch=all', 'state=unseen&category=cat1'];
    const stopContention = startContention();

    // Lists: each request one of the filters, a page of 20, newest first.
    const list = newHistogram();
    await pool(cfg.queries, cfg.concurrency, (i) => timed(list, () => request(`${api}/v1/notifications?limit=20&${listFilters[i % listFilters.length]}`, tokens[i % cfg.users])));
    // Counts: the five default tabs (counters), then the same with a category and a tag tab (counted from rows).
    const tabs = { all: {}, unread: { state: 'unread' }, unseen: { state: 'unseen' }, archived: { state: 'archived' }, snoozed: { state: 'snoozed' } };
    const counters = newHistogram();
    await pool(cfg.queries, cfg.concurrency, (i) => timed(counters, () => request(`${api}/v1/notifications/counts`, tokens[i % cfg.users], 'POST', { filters: tabs })));
    const rowCounts = newHistogram();
    await pool(cfg.queries, cfg.concurrency, (i) =>
      timed(rowCounts, () => request(`${api}/v1/notifications/counts`, tokens[i % cfg.users], 'POST', {
        filters: { ...tabs, category: { category: `cat${i % CATEGORIES}` }, tag: { state: 'unread', tags: [`t${i % TAGS}`] } },
      })));

    // What a change event costs a POST: new entries, then POSTs that group into them (one change entry each), then reads.
    const posts = cfg.posts;
    const postUsers = Math.max(1, Math.floor(posts / 10));
    const plain = newHistogram();
    const ids = [];
    const plainS = await pool(posts, cfg.concurrency, async (i) => {
      const body = await timed(plain, () => request(`${api}/v1/notifications`, ctx.serviceToken, 'POST', { recipients: [`pu${i % postUsers}`], type: 'bench.post', title: 'Plain' }));
      ids.push([i % postUsers, body.notifications[0].id]);
    });
    const grouped = newHistogram();
    let groupedCount = 0;
    const groupedS = await pool(posts, cfg.concurrency, async (i) => {
      const body = await timed(grouped, () => request(`${api}/v1/notifications`, ctx.serviceToken, 'POST', {
        recipients: [`gu${i % postUsers}`], type: 'bench.post', title: `Actor ${i} commented`, actor: `actor${i}`, groupKey: `post:${i % 3}`,
      }));
      if (body.notifications[0].grouped) groupedCount++;
    });
    const reads = newHistogram();
    const readS = await pool(ids.length, cfg.concurrency, (i) =>
      timed(reads, () => request(`${api}/v1/notifications/${ids[i][1]}/read`, userToken(key, `pu${ids[i][0]}`), 'POST')));
    const contention = await stopContention();
    const flags = contentionFlags(contention);

    const result = {
      rows, users: cfg.users, list: summarize(list), counters: summarize(counters), rowCounts: summarize(rowCounts),
      plain: { ...summarize(plain), perSecond: posts / plainS }, grouped: { ...summarize(grouped), perSecond: posts / groupedS, groupedCount },
      reads: { ...summarize(reads), perSecond: ids.length / readS }, contention,
    };
    const at = `${rows.toLocaleString('en')} rows`;
    const add = (k, label, value, unit, runs = [value]) => ctx.figures.add({ key: `inbox.${k}`, scenario: 'inbox', label, value, unit, flags, runs });
    add('list_p99_ms', `list a page of 20 with a filter, p99 (${at})`, result.list.p99, 'ms');
    add('counts_p99_ms', `counts of the 5 default tabs (counters), p99 (${at})`, result.counters.p99, 'ms');
    add('counts_rows_p99_ms', `counts of 5 tabs + a category and a tag tab (rows), p99 (${at})`, result.rowCounts.p99, 'ms');
    add('post_p99_ms.plain', `POST, new entry, p99 (concurrency ${cfg.concurrency})`, result.plain.p99, 'ms');
    add('post_p99_ms.grouped', `POST with a groupKey (${groupedCount} of ${posts} grouped: a change entry each), p99`, result.grouped.p99, 'ms');
    add('post_per_s.plain', 'POSTs/s, new entry', result.plain.perSecond, 'req/s');
    add('post_per_s.grouped', 'POSTs/s with a groupKey (grouping into an entry)', result.grouped.perSecond, 'req/s');
    add('change_p99_ms.read', 'a state change (read): row, counters, change entry, publish, p99', result.reads.p99, 'ms');
    log(`  inbox: list p99 ${result.list.p99} ms, counts p99 ${result.counters.p99} ms (rows ${result.rowCounts.p99} ms); POST p99 plain ${result.plain.p99} ms vs grouped ${result.grouped.p99} ms; read p99 ${result.reads.p99} ms`);
    return result;
  });
}
