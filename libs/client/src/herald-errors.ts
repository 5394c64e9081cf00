/** A REST call failed: `status` is the HTTP status (0 when no answer came). */
export class HeraldApiError extends Error {
  override readonly name = 'HeraldApiError';

  constructor(
    readonly status: number,
    /** The API's machine-readable `code`, or `network_error`. */
    readonly code: string,
    message: string,
    readonly details?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

/** The server closed the socket with a code that forbids reconnecting. */
export class HeraldCloseError extends Error {
  override readonly name = 'HeraldCloseError';

  constructor(
    /** WebSocket close code, e.g. 4001 (see `CloseCode`). */
    readonly code: number,
    readonly reason: string,
  ) {
    super(`socket closed with ${code}${reason ? `: ${reason}` : ''}`);
  }
}

/** The server answered a client frame with an `error` frame. */
export class HeraldFrameError extends Error {
  override readonly name = 'HeraldFrameError';

  constructor(
    readonly code: string,
    message: string,
    /** The topic a refused subscribe named (`topic_forbidden`, `invalid_topic`…). */
    readonly topic?: string,
  ) {
    super(message);
  }
}

/** Whatever was thrown, as an Error, so `error` listeners always get one. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** No answer at all (offline, DNS, timeout): expected while reconnecting, not reported. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof HeraldApiError && error.status === 0;
}
