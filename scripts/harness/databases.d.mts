import type pg from 'pg';

export interface AdminOptions {
  /** Bound on the connect, in ms; 0 waits as long as Postgres takes. @default 0 */
  connectTimeoutMs?: number;
}

export declare function withAdmin<T>(work: (client: pg.Client) => Promise<T>, options?: AdminOptions): Promise<T>;

export declare function adminQuery<Row = any>(sql: string, params?: unknown[], options?: AdminOptions): Promise<Row[]>;

export declare function databaseUrl(name: string): string;

export declare function createDatabase(name: string, options?: AdminOptions): Promise<void>;

export declare function dropDatabase(name: string, options?: AdminOptions): Promise<void>;
