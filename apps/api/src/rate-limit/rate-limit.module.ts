import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IpRateLimitGuard } from './ip-rate-limit.guard.js';

/**
 * The per-address HTTP budget as a global guard. Global guards run in the
 * order their modules are imported: the api and embedded apps import this
 * module before AuthModule, so a flood is refused before any token is
 * verified. The per-user budgets are route guards (@RateLimit), after auth.
 */
@Module({
  providers: [{ provide: APP_GUARD, useClass: IpRateLimitGuard }],
})
export class RateLimitModule {}
