import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  /** The signature checked out with the endpoint's secret (Standard Webhooks verify). */
  verified: boolean;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
}

/**
 * A service's webhook endpoint inside the test: verifies every delivery's
 * signature with the secret Herald gave at registration, records it and
 * answers what `respond` says (200 by default). Loopback only.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secret = '';
  respond: (attempt: number, id: string) => number = () => 200;
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id']);
        this.received.push({ id, verified: this.verify(raw, req), body: JSON.parse(raw) });
        res.writeHead(this.respond(this.received.filter((r) => r.id === id).length, id)).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/hooks`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private verify(raw: string, req: IncomingMessage): boolean {
    try {
      new Webhook(this.secret).verify(raw, req.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  }
}
