import { AuthError, type Principal } from '@herald/auth';
import { ErrorCode } from '@herald/contracts';
import type { HeraldError } from '@herald/errors';
import { AuditEvent, clientHeaders, type AuditLog, type ClientAddress, type RequestLike } from '@herald/observability';

/** The codes the auth guard answers with; each such answer is one audit line. */
const AUTH_CODES: ReadonlySet<string> = new Set([ErrorCode.Unauthorized, ErrorCode.TokenExpired, ErrorCode.Forbidden]);

/** What the audit line reads of a request (a Fastify request has it all). */
export type AuditedRequest = RequestLike & { method?: string; url?: string; originalUrl?: string; user?: Principal };

/**
 * Writes the audit line of an HTTP answer that refused a credential (401,
 * 403): who (the token's `sub` once it was verified, so only on a 403),
 * from where, and why. Nothing of the credential itself, nor the query.
 */
export class AuthFailureAudit {
  constructor(
    private readonly audit: AuditLog,
    private readonly address: ClientAddress,
  ) {}

  record(req: AuditedRequest, error: HeraldError, status: number): void {
    if (!AUTH_CODES.has(error.code)) return;
    const user = req.user;
    this.audit.record({
      event: AuditEvent.HttpRefused,
      ip: this.address.of(req),
      ...clientHeaders(req.headers),
      ...(user ? { user: user.sub, principal: user.kind } : {}),
      reason: reasonOf(error, user),
      code: status,
      method: req.method,
      path: (req.originalUrl ?? req.url)?.split('?')[0], // the query is left out: it may hold anything
    });
  }
}

/** The AuthError's failure (missing_token, invalid_token, token_expired); for a 403, what the principal lacked. */
function reasonOf(error: HeraldError, user: Principal | undefined): string {
  if (error instanceof AuthError) return error.failure;
  if (error.code === ErrorCode.Forbidden) return user?.kind === 'service' ? 'service_token_on_user_route' : 'missing_scope';
  return error.code;
}
