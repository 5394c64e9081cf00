// SQL for a notification id in the order Herald's own ids take (UUIDv7,
// libs/database/src/notification-ids.ts): a random UUID whose first 48 bits
// are the time in milliseconds. For rows a bench generates in SQL rather than
// through the api, so their B-trees look like a deployment's. Only the order
// matters to Postgres; the version nibble stays 4's.

/** `time`: a timestamptz SQL expression, the row's creation time. */
export const orderedIdSql = (time) =>
  `encode(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send((extract(epoch FROM ${time}) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 'hex')::uuid`;
