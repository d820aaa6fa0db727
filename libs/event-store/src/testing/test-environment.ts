import { randomUUID } from 'node:crypto';

/** The Postgres the int tier runs against (DATABASE_URL, else the local default). */
export const testDatabaseUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rollouts';

/** A fresh identifier, `prefix_<random>`, safe as a schema name: tests never share data. */
export const uniqueName = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
