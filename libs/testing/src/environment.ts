import { randomUUID } from 'node:crypto';

/** Connection settings of the local infrastructure the int and e2e tiers run against. */
export const testDatabaseUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rollouts';

export const testKafkaBrokers = (): string[] => (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** A fresh identifier so that tests never share data: `prefix_<random>` (safe as a schema or topic name). */
export const uniqueName = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
