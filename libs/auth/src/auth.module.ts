import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApiKeyVerifier } from './api-keys/api-key-verifier.js';
import { CredentialVerifier } from './credential-verifier.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { TokenVerifier } from './token-verifier.js';
import { TopicAuthorizer } from './topic-access.js';

/**
 * TokenVerifier and TopicAuthorizer for sockets; for HTTP, JWTs and API keys
 * through passport and the global guard. Needs the DatabaseModule (API keys
 * live there).
 */
@Global()
@Module({
  imports: [PassportModule],
  // The guard is its own provider as well, so the publish route (which runs without Nest's per-request layers) gets the instance Nest runs.
  providers: [TokenVerifier, TopicAuthorizer, ApiKeyVerifier, CredentialVerifier, JwtStrategy, JwtAuthGuard, { provide: APP_GUARD, useExisting: JwtAuthGuard }],
  exports: [TokenVerifier, TopicAuthorizer, ApiKeyVerifier, JwtAuthGuard],
})
export class AuthModule {}

/** TokenVerifier and TopicAuthorizer alone, for the gateway (no HTTP routes need a token there). */
@Global()
@Module({ providers: [TokenVerifier, TopicAuthorizer], exports: [TokenVerifier, TopicAuthorizer] })
export class TokenVerifierModule {}
