import { Inject, Injectable } from '@nestjs/common';
import { looksLikeApiKey } from './api-keys/api-key-format.js';
import { ApiKeyVerifier } from './api-keys/api-key-verifier.js';
import type { Principal } from './principal.js';
import { TokenVerifier } from './token-verifier.js';

/**
 * The one entry that turns an HTTP Bearer credential into a Principal: an
 * API key (it starts with `hrld_`) goes to ApiKeyVerifier, anything else
 * to TokenVerifier as a JWT. Every rejection is an AuthError. The socket
 * calls TokenVerifier directly: it takes JWTs and tickets only, so a key
 * there is just a malformed token.
 */
@Injectable()
export class CredentialVerifier {
  constructor(
    @Inject(TokenVerifier) private readonly tokens: TokenVerifier,
    @Inject(ApiKeyVerifier) private readonly keys: ApiKeyVerifier,
  ) {}

  verify(credential: string | undefined | null): Promise<Principal> {
    if (credential && looksLikeApiKey(credential)) return this.keys.verify(credential);
    return this.tokens.verify(credential);
  }
}
