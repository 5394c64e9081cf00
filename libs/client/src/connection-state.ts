/** Where the client's link to Herald stands. */
export const ConnectionState = {
  /** First socket attempt, nothing received yet. */
  Connecting: 'connecting',
  /** A socket reached `welcome`; notifications arrive live. */
  Open: 'open',
  /** The socket dropped; waiting out a backoff delay or retrying. */
  Reconnecting: 'reconnecting',
  /** Three connects failed in a row: polling REST while retrying the socket. */
  Polling: 'polling',
  /** Stopped by `close()` or by a close code that forbids retrying. */
  Closed: 'closed',
} as const;

export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];
