import { NotFoundError } from '@herald/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id cannot name a notification: the same 404 as someone else's id. */
export function checkId(id: string): string {
  if (!UUID.test(id)) throw new NotFoundError();
  return id;
}
