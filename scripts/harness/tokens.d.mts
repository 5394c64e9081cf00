import type { KeyObject } from 'node:crypto';

export declare const newSecret: () => string;

export declare const secretKey: (secret: string) => KeyObject;

export declare const signHs256: (key: string | KeyObject, claims: { sub: string; scope?: string }, expiresIn: number | string) => string;
