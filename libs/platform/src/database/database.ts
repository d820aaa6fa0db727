import { Pool, PoolClient } from 'pg';

/** A connection pool for one service. Pools reconnect by themselves when Postgres returns. */
export function createPool(databaseUrl: string, applicationName: string, max = 10): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    application_name: applicationName,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The one transaction helper: runs `work` in a transaction on a pooled client, committing on
 * success and rolling back on failure. A client whose connection broke (Postgres restarted, the
 * backend was terminated) is discarded rather than returned to the pool, and an 'error' event
 * on the checked-out client is absorbed instead of crashing the process.
 */
export async function withTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** Postgres SQLSTATE of a driver error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Whether the error says a table or schema is not there (yet): before a service's migrations ran. */
export function isSchemaMissing(error: unknown): boolean {
  const state = sqlState(error);
  return state === '42P01' || state === '3F000';
}

export const SqlStates = {
  uniqueViolation: '23505',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

/** Readiness probe for Postgres: true when a trivial query answers within the bound. */
export async function postgresReachable(pool: Pool, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = pool.query('select 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
