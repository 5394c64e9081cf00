import pg from 'pg';
import { outboxStateEvents } from '@herald/database';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The outbox clause the inbox's change statement takes for webhook state
 * events, run in a statement of the same shape against real Postgres.
 */
describe('outbox clause for state events', () => {
  let db: TestDatabase;
  let client: pg.Client;
  const change = (kind: string) =>
    client.query(
      `WITH changed AS (SELECT gen_random_uuid() AS id, 'invoice.due'::varchar AS type, 'billing'::varchar AS category),
       ${outboxStateEvents('changed', '$1', '$2')}
       SELECT 1`,
      ['u-1', kind],
    );
  const events = async () => (await client.query<{ event: string; user_id: string; payload: unknown }>('SELECT event, user_id, payload FROM outbox ORDER BY id')).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });
  beforeEach(() => client.query('DELETE FROM outbox; DELETE FROM webhook_endpoints'));

  it('writes nothing while no endpoint listens', async () => {
    await change('read');

    expect(await events()).toEqual([]);
  });

  it('writes notification.<kind> for a listened kind only, with type and category', async () => {
    await client.query(`INSERT INTO webhook_endpoints (id, owner, url, events, secret) VALUES (gen_random_uuid(), 's', 'https://x.example', '{notification.read}', 'whsec_x')`);

    await change('read');
    await change('seen');
    await change('unread');

    expect(await events()).toEqual([{ event: 'notification.read', user_id: 'u-1', payload: { type: 'invoice.due', category: 'billing' } }]);
  });
});
