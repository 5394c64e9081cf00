import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../database.js';
import { isoTimestamp } from '../notification-row.js';

export interface WebhookEndpointRow {
  id: string;
  owner: string;
  url: string;
  events: string[];
  secret: string;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
}

export interface WebhookDeliveryRow {
  id: string;
  endpointId: string;
  event: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

type EndpointSql = { id: string; owner: string; url: string; events: string[]; secret: string; enabled: boolean; disabled_reason: string | null; created_at: Date };
type DeliverySql = {
  id: string; endpoint_id: string; event: string; payload: Record<string, unknown>; status: WebhookDeliveryRow['status'];
  attempts: number; last_status: number | null; last_error: string | null; created_at: Date; delivered_at: Date | null;
};

const endpoint = (r: EndpointSql): WebhookEndpointRow => ({
  id: r.id, owner: r.owner, url: r.url, events: r.events, secret: r.secret, enabled: r.enabled,
  disabledReason: r.disabled_reason, createdAt: isoTimestamp(r.created_at) as string,
});
const delivery = (r: DeliverySql): WebhookDeliveryRow => ({
  id: r.id, endpointId: r.endpoint_id, event: r.event, payload: r.payload, status: r.status, attempts: r.attempts,
  lastStatus: r.last_status, lastError: r.last_error, createdAt: isoTimestamp(r.created_at) as string, deliveredAt: isoTimestamp(r.delivered_at),
});

/** webhook_endpoints (owned by the service that registered them) and webhook_deliveries. */
export class WebhooksRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(e: { owner: string; url: string; events: string[]; secret: string }): Promise<WebhookEndpointRow> {
    const [row] = await this.db.query<EndpointSql>(
      'INSERT INTO webhook_endpoints (id, owner, url, events, secret) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [randomUUID(), e.owner, e.url, e.events, e.secret],
    );
    return endpoint(row);
  }

  async list(owner: string): Promise<WebhookEndpointRow[]> {
    const rows = await this.db.query<EndpointSql>('SELECT * FROM webhook_endpoints WHERE owner = $1 ORDER BY created_at, id', [owner]);
    return rows.map(endpoint);
  }

  async find(id: string, owner?: string): Promise<WebhookEndpointRow | undefined> {
    const [row] = await this.db.query<EndpointSql>(
      `SELECT * FROM webhook_endpoints WHERE id = $1 ${owner === undefined ? '' : 'AND owner = $2'}`,
      owner === undefined ? [id] : [id, owner],
    );
    return row && endpoint(row);
  }

  async remove(id: string, owner: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM webhook_endpoints WHERE id = $1 AND owner = $2 RETURNING id', [id, owner])).length > 0;
  }

  /** Enabled endpoints listening for any of `events`. */
  async listening(exec: SqlExecutor, events: string[]): Promise<WebhookEndpointRow[]> {
    const rows = await exec.query<EndpointSql>('SELECT * FROM webhook_endpoints WHERE enabled AND events && $1::text[]', [events]);
    return rows.map(endpoint);
  }

  async disable(id: string, reason: string): Promise<void> {
    await this.db.query('UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now() WHERE id = $1', [id, reason]);
  }

  /** Records deliveries to make, inside the caller's transaction (the outbox drain's). */
  async addDeliveries(tx: SqlExecutor, rows: { id: string; endpointId: string; event: string; payload: unknown }[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event, payload)
         SELECT * FROM unnest($1::varchar[], $2::uuid[], $3::varchar[], $4::jsonb[]) ON CONFLICT (id) DO NOTHING`,
      [rows.map((r) => r.id), rows.map((r) => r.endpointId), rows.map((r) => r.event), rows.map((r) => JSON.stringify(r.payload))],
    );
  }

  async delivery(id: string): Promise<WebhookDeliveryRow | undefined> {
    const [row] = await this.db.query<DeliverySql>('SELECT * FROM webhook_deliveries WHERE id = $1', [id]);
    return row && delivery(row);
  }

  async deliveries(endpointId: string, limit: number): Promise<WebhookDeliveryRow[]> {
    const rows = await this.db.query<DeliverySql>(
      'SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id LIMIT $2',
      [endpointId, limit],
    );
    return rows.map(delivery);
  }

  /** One attempt's outcome: delivered (2xx), or pending/failed with what went wrong. */
  async recordAttempt(id: string, outcome: { status: WebhookDeliveryRow['status']; httpStatus?: number; error?: string }): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2::varchar, last_status = $3, last_error = $4,
         delivered_at = CASE WHEN $2::varchar = 'delivered' THEN now() ELSE delivered_at END
       WHERE id = $1`,
      [id, outcome.status, outcome.httpStatus ?? null, outcome.error ?? null],
    );
  }

  /**
   * A replay starts the delivery over, inside the caller's transaction:
   * pending again (attempts kept), and its endpoint enabled again, since
   * asking for a replay says the endpoint is fixed.
   */
  async replay(tx: SqlExecutor, deliveryId: string, endpointId: string): Promise<void> {
    await tx.query(`UPDATE webhook_deliveries SET status = 'pending' WHERE id = $1`, [deliveryId]);
    await tx.query('UPDATE webhook_endpoints SET enabled = true, disabled_reason = NULL, disabled_at = NULL WHERE id = $1', [endpointId]);
  }
}
