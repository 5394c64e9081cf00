/** A failed attempt worth retrying (429, 5xx, a timeout); `kind` labels the failure metric. */
export class RetryableError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
    this.name = 'RetryableError';
  }
}
