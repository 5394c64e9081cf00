import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal.js';

export const IS_PUBLIC = 'herald:public';
export const REQUIRED_SCOPES = 'herald:scopes';

/** Marks a route that needs no token (health, docs, demo page). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Scopes the token must carry, e.g. `notifications:publish`. */
export const RequireScopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** The verified principal of the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ user: Principal }>().user,
);
