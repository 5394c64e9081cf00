export declare class Publisher {
  sent: Map<string, number>;
  issued: number;
  created: number;
  retries: number;
  attemptFailures: Record<string, number>;
  failed: { userId: string; key: string; error: string }[];
  latencies: number[];
  constructor(o: { baseUrl: string; ca?: Buffer; token: string; users: string[]; ratePerSecond: number; runId: string; /** @default 64 */ maxSockets?: number });
  start(maxMs: number): void;
  stop(): Promise<void>;
}
