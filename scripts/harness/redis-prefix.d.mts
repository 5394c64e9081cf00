export declare function deleteRedisPrefix(prefix: string): Promise<void>;
