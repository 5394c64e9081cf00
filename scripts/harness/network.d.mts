export declare function freePort(): Promise<number>;

export declare function portAccepts(port: number, options?: { /** @default '127.0.0.1' */ host?: string; /** @default 1000 */ timeoutMs?: number }): Promise<boolean>;

export declare function httpGet(port: number, path: string, timeoutMs?: number): Promise<{ status: number; body: string }>;

export declare function answersOk(port: number, path: string, timeoutMs?: number): Promise<boolean>;
