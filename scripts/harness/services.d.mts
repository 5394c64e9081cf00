export declare const DATABASE_ADMIN_URL: string;
export declare const REDIS_URL: string;

export declare function unreachableServices(timeoutMs?: number): Promise<string[]>;

export declare function ensureServices(log: (message: string) => void): Promise<void>;
