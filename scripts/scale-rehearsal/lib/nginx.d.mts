import type { ChildProcess } from 'node:child_process';

export declare const NGINX_BIN: string;

export declare class Nginx {
  readonly dir: string;
  readonly port: number;
  child: ChildProcess | null;
  generation: number;
  gateways: number[];
  constructor(o: {
    port: number;
    controlPort: number;
    apiPort: number;
    workerConnections: number;
    /** nginx's worker_shutdown_timeout; unset: old workers keep their sockets until they end. */
    shutdownTimeoutMs?: number;
  });
  get ca(): Buffer;
  errorLogTail(chars?: number): string;
  writeSite(gatewayPorts: number[]): void;
  start(): Promise<void>;
  setGateways(gatewayPorts: number[]): Promise<void>;
  reload(): Promise<void>;
  stop(): Promise<void>;
}
