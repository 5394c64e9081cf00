import { randomBytes } from 'node:crypto';

/** A fresh Redis key prefix, so runs never see each other's channels or tickets. */
export const uniquePrefix = () => `herald-test-${randomBytes(4).toString('hex')}:`;

export const uniqueName = (stem: string) => `${stem}_${process.pid}_${randomBytes(4).toString('hex')}`;
