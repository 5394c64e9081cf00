import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import type { LimitName } from '@herald/bus';
import { RATE_LIMIT, UserRateLimitGuard } from './user-rate-limit.guard.js';

/** The per-user budgets a route may spend. */
export type UserLimit = typeof LimitName.Tickets | typeof LimitName.Inbox;

/**
 * Each call of the route (or of every route of the controller) spends one
 * point of the caller's `name` budget, keyed by the token's `sub`; a spent
 * budget answers 429 `rate_limited` with Retry-After.
 */
export const RateLimit = (name: UserLimit) => applyDecorators(SetMetadata(RATE_LIMIT, name), UseGuards(UserRateLimitGuard));
