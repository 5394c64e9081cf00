import type { ChildProcess } from 'node:child_process';
import type { Exit } from './child-processes.mjs';

export declare const NGINX_BIN: string;

export declare const sitePaths: (dir: string) => { conf: string; errorLog: string; cert: string };

export declare const nginxArgs: (dir: string) => string[];

export declare function writeHeraldSite(
  dir: string,
  port: number,
  options?: {
    /** `shipped`: deploy/nginx/limits.conf as is; `off`: its zones keyed by "" (nothing counted). @default 'off' */
    limits?: 'shipped' | 'off';
  },
): void;

export declare function writeNginxConf(
  dir: string,
  options: {
    includes: string[];
    /** @default 256 */
    workerConnections?: number;
    /** @default [] */
    main?: string[];
  },
): void;

export declare const spawnNginx: (dir: string) => ChildProcess;

export declare const stopNginx: (child: ChildProcess) => Promise<Exit & { killed: boolean }>;

export declare function errorLogTail(dir: string, chars?: number): string;
