import type { ChildProcess } from 'node:child_process';
import type { Exit } from './child-processes.mjs';

export declare const LOOPBACK_PRELOAD: string;

export interface HeraldProcessOptions {
  port: number;
  env: Record<string, string>;
  cwd: string;
  /** @default kind */
  name?: string;
  /** @default 65536 */
  keepChars?: number;
  /** Loopback port of its metrics listener (HERALD_METRICS_PORT). @default 0 (none) */
  metricsPort?: number;
}

export declare class HeraldProcess {
  readonly kind: 'api' | 'gateway' | 'worker';
  readonly port: number;
  readonly name: string;
  startedAt: number | undefined;
  readyAt: number | undefined;
  exitedAt: number | undefined;
  exit: Exit | undefined;
  constructor(kind: 'api' | 'gateway' | 'worker', options: HeraldProcessOptions);
  get url(): string;
  /** Its metrics listener; undefined without a metricsPort. */
  get metricsUrl(): string | undefined;
  get wsUrl(): string;
  get child(): ChildProcess | null;
  get running(): boolean;
  output(): string;
  tail(chars?: number): string;
  start(options?: { /** @default 30000 */ timeoutMs?: number; /** @default 0 */ t0?: number }): Promise<void>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit & { killed: boolean }>;
  restart(signal?: NodeJS.Signals): Promise<void>;
}
