import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JwksServer {
  url: string;
  rsaPrivate: KeyObject;
  rsaPublicPem: string;
  ecPrivate: KeyObject;
  /** The public JWK of the RS256 key, as the set serves it. */
  rsaJwk: Record<string, unknown>;
  /** Requests served so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/** A local identity provider's key set: one RS256 and one ES256 key. */
export async function startJwksServer(): Promise<JwksServer> {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys = [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    rsaPrivate: rsa.privateKey,
    rsaPublicPem: rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    ecPrivate: ec.privateKey,
    rsaJwk: keys[0],
    get requests() {
      return requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
