import { randomBytes } from 'node:crypto';

/** Admin connection used to create and drop each run's own database. */
export const TEST_DATABASE_ADMIN_URL = process.env.HERALD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.HERALD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh Redis key prefix, so runs never see each other's channels or tickets. */
export const uniquePrefix = () => `herald-test-${randomBytes(4).toString('hex')}:`;

export const uniqueName = (stem: string) => `${stem}_${process.pid}_${randomBytes(4).toString('hex')}`;
