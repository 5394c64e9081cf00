import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { TokenVerifier } from './token-verifier.js';
import { TopicAuthorizer } from './topic-access.js';

/** TokenVerifier and TopicAuthorizer for sockets; passport-jwt + the global guard for HTTP. */
@Global()
@Module({
  imports: [PassportModule],
  providers: [TokenVerifier, TopicAuthorizer, JwtStrategy, { provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [TokenVerifier, TopicAuthorizer],
})
export class AuthModule {}

/** TokenVerifier and TopicAuthorizer alone, for the gateway (no HTTP routes need a token there). */
@Global()
@Module({ providers: [TokenVerifier, TopicAuthorizer], exports: [TokenVerifier, TopicAuthorizer] })
export class TokenVerifierModule {}
