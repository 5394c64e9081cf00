import type { SecureContext } from 'node:tls';

export interface LatencyRecord {
  live: number[];
  replayed: number[];
  offline: number[];
  offlineSteps: { backoff: number[]; upgrade: number[]; welcome: number[]; resume: number[] };
}

export declare class RehearsalClient {
  readonly userId: string;
  lastSeq: number;
  received: number;
  duplicates: number;
  gaps: number;
  /** Server-side closes of welcomed sockets, by close code. */
  closes: Record<string, number>;
  failedAttempts: Record<string, number>;
  churns: number;
  connects: number;
  live: boolean;
  stopped: boolean;
  errors: string[];
  constructor(o: { userId: string; token: string; baseUrl: string; secureContext?: SecureContext; latency: LatencyRecord });
  start(): Promise<void>;
  churn(): boolean;
  stop(): void;
  get reconnects(): number;
}
