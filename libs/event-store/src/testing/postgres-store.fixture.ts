import { testDatabaseUrl, uniqueName } from './test-environment';
import pg from 'pg';
import type { EventStoreLogger } from '../event-subscription.port';
import { PostgresEventStore } from '../postgres/postgres-event-store.adapter';

/** A pool on the test database; end it in afterAll so jest can exit. */
export const createTestPool = (max = 20): pg.Pool => {
  const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max });
  // Tests terminate backends on purpose; an idle client's error must not crash the run.
  pool.on('error', () => undefined);
  return pool;
};

/** A client in an open transaction, for tests that hold one open on purpose. Release it. */
export async function openTransaction(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  // Checked-out clients have no error listener; a terminated backend must not crash the run.
  client.on('error', () => undefined);
  await client.query('BEGIN');
  return client;
}

/** Records what the store logs, so tests can assert on it and the output stays quiet. */
export class RecordingLogger implements EventStoreLogger {
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  warn(message: string): void {
    this.warnings.push(message);
  }
  error(message: string): void {
    this.errors.push(message);
  }
}

export interface PostgresStoreFixture {
  store: PostgresEventStore;
  schema: string;
  logger: RecordingLogger;
  dispose: () => Promise<void>;
}

/** A store on a fresh, migrated schema that `dispose` drops. */
export async function freshPostgresStore(pool: pg.Pool): Promise<PostgresStoreFixture> {
  const schema = uniqueName('es');
  const logger = new RecordingLogger();
  const store = new PostgresEventStore(pool, schema, { logger });
  await store.migrate();
  const dispose = async (): Promise<void> => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  };
  return { store, schema, logger, dispose };
}

/** Event ids in the order subscriptions must deliver them: by (tx_id, position). */
export async function commitOrder(pool: pg.Pool, schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ event_id: string }>(
    `SELECT event_id FROM "${schema}".events ORDER BY tx_id, position`,
  );
  return rows.map((row) => row.event_id);
}

/**
 * Bound for waiting on a subscription. Any transaction open anywhere in the cluster holds the
 * visibility horizon back, so suites running alongside can delay delivery by seconds.
 */
export const deliveryBound = { timeoutMs: 30_000 };
