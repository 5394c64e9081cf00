import { OUTBOX_DELIVERED } from './outbox.sql.js';

/**
 * InboxRepository.append's statement for a batch of POSTs: every value is an
 * array parameter, so the text is the same whatever the batch (prepared once
 * per connection). `$1`/`$2` each user once, in lock order, with its row
 * count; `$3`-`$6` each row's id, user, `back` and request number; `$7`-`$19`
 * each request's content (InboxRepository's CONTENT_PARAMS), `$20` its
 * publisher.
 */
export const APPEND_BATCH = `WITH st AS (
         INSERT INTO user_states AS s (user_id, last_seq, unread_count, inbox_count, unseen_count)
           SELECT u, n, n, n, n FROM unnest($1::varchar[], $2::bigint[]) WITH ORDINALITY AS t(u, n, o) ORDER BY o
         ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq, unread_count = s.unread_count + EXCLUDED.unread_count,
           inbox_count = s.inbox_count + EXCLUDED.inbox_count, unseen_count = s.unseen_count + EXCLUDED.unseen_count
         RETURNING user_id, last_seq
       ), ins AS (
       INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, body, severity, data, link, expires_at, created_at,
                                  category, tags, actions, avatar, actor, group_key, group_actors, publisher)
         SELECT i.id, i.u, st.last_seq - i.back, st.last_seq - i.back, q.ty, q.ti, q.b, q.sv, q.d::jsonb, q.l, q.e::timestamptz, now(),
                q.ca, ARRAY(SELECT jsonb_array_elements_text(q.tg::jsonb))::varchar[], q.ac::jsonb, q.av, q.at, q.gk,
                CASE WHEN q.at IS NULL THEN '{}' ELSE ARRAY[q.at] END, q.pb
           FROM unnest($3::uuid[], $4::varchar[], $5::bigint[], $6::int[]) AS i(id, u, back, r)
           JOIN st ON st.user_id = i.u
           JOIN unnest($7::varchar[], $8::varchar[], $9::text[], $10::varchar[], $11::text[], $12::text[], $13::text[],
                       $14::varchar[], $15::text[], $16::text[], $17::text[], $18::varchar[], $19::varchar[], $20::varchar[])
             WITH ORDINALITY AS q(ty, ti, b, sv, d, l, e, ca, tg, ac, av, at, gk, pb, r) ON q.r = i.r
       RETURNING id, user_id, seq, type, category, created_at
       ), ${OUTBOX_DELIVERED}
       SELECT id, seq, created_at FROM ins`;

/**
 * InboxRepository.append for a batch of one request to one recipient: the
 * common case (a single-recipient POST meets an idle group commit, so its
 * batch is itself) with scalar parameters instead of twenty arrays. The
 * batch statement's arrays cost on both sides for one row: pg writes each
 * as an array literal, Postgres parses them back (array_in) and unnests
 * them. Same rules, same columns and casts, same answer as the batch
 * statement with one row: the user's state row is upserted (its lock, +1 on
 * last_seq and the three counters) and the row takes the new last_seq.
 */
export const APPEND_ONE = `WITH st AS (
         INSERT INTO user_states AS s (user_id, last_seq, unread_count, inbox_count, unseen_count) VALUES ($1::varchar, 1, 1, 1, 1)
         ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + 1, unread_count = s.unread_count + 1,
           inbox_count = s.inbox_count + 1, unseen_count = s.unseen_count + 1
         RETURNING user_id, last_seq
       ), ins AS (
       INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, body, severity, data, link, expires_at, created_at,
                                  category, tags, actions, avatar, actor, group_key, group_actors, publisher)
         SELECT $2::uuid, st.user_id, st.last_seq, st.last_seq, $3::varchar, $4::varchar, $5::text, $6::varchar, $7::text::jsonb, $8::text,
                $9::text::timestamptz, now(), $10::varchar, ARRAY(SELECT jsonb_array_elements_text($11::text::jsonb))::varchar[], $12::text::jsonb,
                $13::text, $14::varchar, $15::varchar, CASE WHEN $14::varchar IS NULL THEN '{}' ELSE ARRAY[$14::varchar] END, $16::varchar
           FROM st
       RETURNING id, user_id, seq, type, category, created_at
       ), ${OUTBOX_DELIVERED}
       SELECT id, seq, created_at FROM ins`;
