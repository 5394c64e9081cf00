import { request } from 'node:http';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface HttpOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  rawBody?: string;
  /**
   * A loopback address to send from (e.g. `127.0.0.7`): each is a client
   * address of its own to Herald's per-address budgets and audit log.
   * @default the system's choice (127.0.0.1)
   */
  from?: string;
}

/** fetch with JSON in and out, for talking to a real api over loopback. */
export async function http<T = any>(base: string, method: string, path: string, options: HttpOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  } else if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = options.from ? await sendFrom(options.from, base + path, method, headers, body) : await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** node:http, which (unlike fetch) can bind the client end to a given local address. */
function sendFrom(localAddress: string, url: string, method: string, headers: Record<string, string>, body?: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') out.set(name, value);
        const status = res.statusCode ?? 0;
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: out }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
