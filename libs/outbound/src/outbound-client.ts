import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkEndpointUrl, type EndpointPolicy } from './endpoint-policy.js';
import { guardedLookup } from './guarded-lookup.js';

export interface OutboundRequest {
  url: string;
  method?: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
  /** Whole request, connect to last byte. @default 10000 */
  timeoutMs?: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingMessage['headers'];
  /** The first 4 KiB of the answer: enough for an error's reason, never a memory sink. */
  body: string;
}

const MAX_BODY = 4096;

/**
 * Every request Herald makes on a user's or a service's behalf (push
 * services, webhook endpoints) goes through here: the URL is checked
 * (https, no credentials, no private literal) and every connection's
 * resolved addresses are checked again by the agents' lookup. Keep-alive
 * agents: a push service or a busy endpoint is called again and again.
 */
export class OutboundClient {
  private readonly https: HttpsAgent;
  private readonly http: HttpAgent;

  constructor(private readonly policy: EndpointPolicy) {
    const lookup = policy.allowPrivate ? undefined : (guardedLookup as unknown as LookupFunction);
    this.https = new HttpsAgent({ keepAlive: true, maxSockets: 64, lookup });
    this.http = new HttpAgent({ keepAlive: true, maxSockets: 64, lookup });
  }

  async request(req: OutboundRequest): Promise<OutboundResponse> {
    const url = checkEndpointUrl(req.url, this.policy);
    const isHttps = url.protocol === 'https:';
    const send = isHttps ? httpsRequest : httpRequest;
    return new Promise<OutboundResponse>((resolve, reject) => {
      const r = send(
        url,
        { method: req.method ?? 'POST', headers: req.headers, agent: isHttps ? this.https : this.http, timeout: req.timeoutMs ?? 10_000 },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < MAX_BODY) chunks.push(c);
            size += c.length;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8') }));
          res.on('error', reject);
        },
      );
      r.on('timeout', () => r.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      r.on('error', reject);
      r.end(req.body);
    });
  }

  close(): void {
    this.https.destroy();
    this.http.destroy();
  }
}
