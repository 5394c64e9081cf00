import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { JwtPayload } from 'jsonwebtoken';
import { principalFromPayload, type Principal } from './principal.js';
import { TokenVerifier } from './token-verifier.js';

/** passport-jwt for HTTP, fed by the TokenVerifier's keys and options. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(verifier: TokenVerifier) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_req: unknown, rawJwt: string, done: (err: unknown, key?: string | Buffer) => void) => {
        const header = decodeHeader(rawJwt);
        // passport-jwt hands the key to jsonwebtoken as is, which takes KeyObjects;
        // its types only list string | Buffer.
        verifier.keys.keyFor(header).then((key) => done(null, key as unknown as Buffer), (err: unknown) => done(err));
      },
      algorithms: verifier.options.algorithms,
      issuer: verifier.options.issuer as string | undefined,
      audience: verifier.options.audience as string | undefined,
      jsonWebTokenOptions: { clockTolerance: verifier.options.clockTolerance },
      ignoreExpiration: false,
    });
  }

  validate(payload: JwtPayload): Principal {
    return principalFromPayload(payload);
  }
}

function decodeHeader(rawJwt: string): { alg?: string; kid?: string } {
  try {
    return JSON.parse(Buffer.from(rawJwt.split('.')[0], 'base64url').toString('utf8')) as { alg?: string; kid?: string };
  } catch {
    return {};
  }
}
