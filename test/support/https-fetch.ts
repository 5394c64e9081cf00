import { request } from 'node:https';
import type { FetchLike } from '@herald/client';

/**
 * A fetch for the SDK that trusts exactly `ca` (a test's self-signed cert):
 * Node's global fetch takes no CA per call, and turning verification off
 * would not show that the TLS setup is right.
 */
export function httpsFetch(ca: Buffer): FetchLike {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca, signal: init.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(text) });
        });
      });
      req.on('error', reject);
      req.end(init.body);
    });
}

/** POST/GET with a JSON body over https through `fetch`; the parsed answer. */
export async function httpsJson(
  fetch: FetchLike,
  url: string,
  method: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: res.status, body: text }; // nginx's own error pages are HTML
  }
}
