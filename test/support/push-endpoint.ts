import { createECDH, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify } from 'jose';

/** A browser's side of a push subscription: its P-256 key pair and auth secret. */
export interface BrowserKeys {
  ecdh: ReturnType<typeof createECDH>;
  p256dh: string;
  auth: string;
}

export function browserKeys(): BrowserKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

/**
 * RFC 8291 (Web Push message encryption) over RFC 8188 aes128gcm, as a
 * browser decrypts: the header's salt and the sender's public key, ECDH
 * with the browser's private key, the auth secret, HKDF, one record.
 */
export function decryptPush(body: Buffer, keys: BrowserKeys): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20];
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const shared = keys.ecdh.computeSecret(senderPublic);
  const auth = Buffer.from(keys.auth, 'base64url');
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('last record must end with the 0x02 delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** Checks `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292): ES256 by that key, aud = the endpoint's origin, exp ahead. */
export async function verifyVapid(req: IncomingMessage, origin: string, expectedKey: string): Promise<{ sub: string }> {
  const match = /^vapid t=([^,]+),\s*k=(.+)$/.exec(req.headers.authorization ?? '');
  if (!match) throw new Error('no vapid authorization');
  if (match[2] !== expectedKey) throw new Error('vapid key is not the configured one');
  const raw = Buffer.from(match[2], 'base64url');
  const key = await importJWK({ kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, 'ES256');
  const { payload } = await jwtVerify(match[1], key, { audience: origin, algorithms: ['ES256'] });
  return { sub: String(payload.sub) };
}

export interface ReceivedPush {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/**
 * A push service inside the test: records every request and answers with
 * what `respond` says for its path (201 by default). Loopback only.
 */
export class PushEndpoint {
  readonly received: ReceivedPush[] = [];
  /** Requests answered with a 2xx that reached the sender: what a push service has accepted. */
  readonly accepted: ReceivedPush[] = [];
  respond: (path: string, attempt: number) => number | Promise<number> = () => 201;
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const path = req.url ?? '/';
        const push = { path, headers: req.headers, body: Buffer.concat(chunks) };
        this.received.push(push);
        const attempt = this.received.filter((r) => r.path === path).length;
        const status = await this.respond(path, attempt);
        if (req.socket.destroyed) return; // the sender is gone: nothing was accepted
        res.writeHead(status).end(() => {
          if (status < 300) this.accepted.push(push);
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  at(path: string): ReceivedPush[] {
    return this.received.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
