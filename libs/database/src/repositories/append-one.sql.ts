import { OUTBOX_DELIVERED } from './outbox.sql.js';

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
