import type { Pool } from 'pg';
import {
  DataSource,
  Migration,
  MigrationExecutor,
  type Logger,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import {
  checkedPlan,
  type MigrationClient,
  type NumberedMigration,
  type SchemaMigrationPlan,
} from './schema-migration';

/*
 * Versioned migrations run on TypeORM's migration executor. It takes migrations as code (no
 * directory of files to ship next to the bundle), records them in a table of the schema given to
 * its DataSource, runs each in its own transaction, is CommonJS like the rest of the build, and is
 * already a dependency. The alternative, node-pg-migrate, loads migrations only from files and
 * guards a run with one try-lock shared by every schema of the database, so services starting
 * together would fail each other instead of waiting. TypeORM takes no lock at all; the
 * per-schema advisory lock below makes concurrent instances wait for each other.
 */

/** The executor given the plan's migrations in declared order instead of classes named by timestamp. */
class PlanExecutor extends MigrationExecutor {
  constructor(
    dataSource: DataSource,
    queryRunner: QueryRunner,
    private readonly planned: Migration[],
  ) {
    super(dataSource, queryRunner);
  }

  protected override getMigrations(): Migration[] {
    return this.planned;
  }
}

function executorMigration(migration: NumberedMigration): Migration {
  const instance: MigrationInterface = {
    name: migration.id,
    transaction: migration.transaction,
    up: async (runner: QueryRunner) => {
      try {
        if (typeof migration.up === 'string') await runner.query(migration.up);
        else await migration.up(clientOf(runner));
      } catch (error) {
        // Name the step in the message and keep the driver error itself (its SQLSTATE).
        if (error instanceof Error) error.message = `migration ${migration.id}: ${error.message}`;
        throw error;
      }
    },
    down: async () => {
      // Schemas only move forward: a bad step is undone by a new step, not by a rollback.
      throw new Error(`migration ${migration.id} cannot be reverted`);
    },
  };
  return new Migration(undefined, migration.number, migration.id, instance, migration.transaction);
}

function clientOf(runner: QueryRunner): MigrationClient {
  return {
    // Rows of a single statement; a multi-statement string yields none.
    query: async <R>(sql: string, params?: unknown[]) => ((await runner.query(sql, params, true)).records ?? []) as R[],
  };
}

const silentLogger: Logger = {
  logQuery: () => undefined,
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

/** The pool's connection settings, for the executor's own single connection. */
function connectionOf(pool: Pool): Record<string, unknown> {
  const { connectionString, host, port, user, password, database, ssl, application_name } = pool.options;
  return {
    connectionString,
    host,
    port,
    user,
    password,
    database,
    ssl,
    application_name: `${application_name ?? 'fleetwave'}-migrations`,
  };
}

/**
 * Brings a schema up to date with its plan: creates the schema and its history table if missing,
 * then applies, in order and each in its own transaction, the migrations the history does not
 * list yet. Instances migrating the same schema and table at once wait on an advisory lock, so
 * each migration runs once. Returns the ids applied by this call (empty when up to date).
 */
export async function migrateSchema(pool: Pool, plan: SchemaMigrationPlan): Promise<string[]> {
  const { table, migrations } = checkedPlan(plan);
  const dataSource = new DataSource({
    type: 'postgres',
    schema: plan.schema,
    migrationsTableName: table,
    extra: { ...connectionOf(pool), max: 1 },
    // Failures reach the caller as errors naming the step; applied ids are returned.
    logger: silentLogger,
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  const lockKey = `fleetwave.migrations:${plan.schema}.${table}`;
  try {
    // Session-level: held across the per-migration transactions, released with the connection if the process dies.
    await runner.query('select pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
    try {
      await runner.query(`create schema if not exists "${plan.schema}"`);
      const executor = new PlanExecutor(dataSource, runner, migrations.map(executorMigration));
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]).catch(() => undefined);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}
