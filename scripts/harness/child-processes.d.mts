import type { ChildProcess } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export declare function track<C extends ChildProcess>(child: C, name: string, options?: { /** @default 'SIGKILL' */ killSignal?: NodeJS.Signals }): C;

export declare function killAllSync(): void;

export declare function liveChildren(): string[];

export declare function stopChild(child: ChildProcess, signal?: NodeJS.Signals, graceMs?: number): Promise<Exit & { killed: boolean }>;

export interface SpawnedNode {
  child: ChildProcess;
  exited: Promise<Exit>;
  output(): string;
  running(): boolean;
}

export declare function spawnNode(
  script: string,
  options: {
    name: string;
    env: NodeJS.ProcessEnv;
    cwd?: string;
    /** @default [] */
    execArgv?: string[];
    /** @default 65536 */
    keepChars?: number;
  },
): SpawnedNode;
