export declare const sleep: (ms: number) => Promise<void>;

export interface PollOptions {
  timeoutMs: number;
  /** @default 100 */
  intervalMs?: number;
}

export declare function pollUntil<T>(check: () => T | Promise<T>, options: PollOptions): Promise<T | undefined>;

export declare function waitUntil<T>(check: () => T | Promise<T>, options: PollOptions & { /** @default 'condition' */ what?: string }): Promise<T>;

export declare function eventually<T>(check: () => Promise<T>, timeoutMs?: number, intervalMs?: number): Promise<T>;
