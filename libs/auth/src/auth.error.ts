export type AuthErrorCode = 'missing_token' | 'invalid_token' | 'token_expired';

/** A credential was missing, invalid or expired. Mapped to 401 or 4001/4002. */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}
