import { Logger } from '@nestjs/common';

/** Where the lines go; Nest's Logger (pino in the apps) unless a test passes its own. */
export type ErrorLogger = Pick<Logger, 'warn'>;

export interface RedisErrorLogOptions {
  /** Shortest time between two lines of one connection. @default 10000 */
  intervalMs?: number;
  /** @default new Logger('Redis') */
  logger?: ErrorLogger;
}

/**
 * Logs one connection's `error` events without flooding the log. While
 * Redis is down ioredis emits one per failed reconnect attempt (every few
 * milliseconds from a cluster client), so the first error is logged at once
 * and the ones after it are counted: at the end of each interval one line
 * tells how many there were and quotes the latest. Logged as warnings:
 * Herald keeps serving through an outage, and /readyz already reports it.
 */
export class RedisErrorLog {
  private readonly intervalMs: number;
  private readonly logger: ErrorLogger;
  private window: NodeJS.Timeout | undefined;
  private suppressed = 0;
  private latest = '';

  /** `connection` names the connection in every line (credentials are masked). */
  constructor(
    private readonly connection: string,
    { intervalMs = 10_000, logger = new Logger('Redis') }: RedisErrorLogOptions = {},
  ) {
    this.intervalMs = intervalMs;
    this.logger = logger;
  }

  record(err: Error): void {
    const message = maskCredentials(err.message || String(err));
    if (this.window) {
      this.suppressed++;
      this.latest = message;
      return;
    }
    this.write(message);
    this.openWindow();
  }

  /** The connection has ended for good: logs what is still counted, and stops the timer. */
  flush(): void {
    clearTimeout(this.window);
    this.window = undefined;
    this.writeSuppressed();
  }

  private openWindow(): void {
    this.window = setTimeout(() => {
      this.window = undefined;
      if (this.writeSuppressed()) this.openWindow();
    }, this.intervalMs);
    this.window.unref();
  }

  private writeSuppressed(): boolean {
    if (this.suppressed === 0) return false;
    const count = this.suppressed;
    this.suppressed = 0;
    this.write(`${count} more error${count === 1 ? '' : 's'} since the last line, the latest: ${this.latest}`);
    return true;
  }

  private write(text: string): void {
    this.logger.warn(`${maskCredentials(this.connection)}: ${text}`);
  }
}

/**
 * Hides the password of every URL in `text`: `redis://user:secret@host`
 * becomes `redis://user:***@host`. A user part without a colon is hidden
 * whole, since ioredis may take it for a password.
 */
export function maskCredentials(text: string): string {
  // Greedy up to the last @ before the path: an unencoded @ in a password is hidden too.
  return text.replace(/\/\/([^/\s?#]*)@/g, (_, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? '//***@' : `//${userinfo.slice(0, colon)}:***@`;
  });
}
