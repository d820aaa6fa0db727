/** What a migration written as code gets: queries inside the migration's transaction. */
export interface MigrationClient {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

/**
 * One step of a schema's history. Released steps are never edited or reordered: a table that has
 * to change gets a new step appended with the next number.
 */
export interface SchemaMigration {
  /** `NNN-what-it-does` (e.g. `001-create-targets`); the number orders the steps and never repeats. */
  id: string;
  /** SQL (several statements allowed) or code given a client; either runs once per schema. */
  up: string | ((client: MigrationClient) => Promise<void>);
  /**
   * Whether the step runs in its own transaction (default true). Only a statement Postgres
   * refuses inside one (`create index concurrently`) needs false; such a step must be idempotent,
   * since a crash can leave it applied but unrecorded.
   */
  transaction?: boolean;
}

/** A schema and its ordered migrations, recorded in `<schema>.<table>`. */
export interface SchemaMigrationPlan {
  schema: string;
  migrations: readonly SchemaMigration[];
  /**
   * The history table, `schema_migrations` unless given. A library that versions its own tables
   * inside a service's schema (event store, inbox) keeps a table of its own, so that its numbering
   * is independent of the service's.
   */
  table?: string;
}

/** The history table of plans that name none. */
export const defaultMigrationsTable = 'schema_migrations';

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;
const migrationId = /^(\d{3,})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A migration with the order number taken from its id. */
export interface NumberedMigration extends SchemaMigration {
  number: number;
}

/**
 * Checks a plan before anything runs: plain lower-case identifiers (they are written into DDL),
 * well-formed ids with strictly increasing numbers in declared order, so that a step inserted or
 * renamed by mistake fails at start instead of running twice or out of order.
 */
export function checkedPlan(plan: SchemaMigrationPlan): { table: string; migrations: NumberedMigration[] } {
  const table = plan.table ?? defaultMigrationsTable;
  for (const name of [plan.schema, table]) {
    if (!identifier.test(name)) throw new Error(`migration plan: "${name}" is not a plain lower-case identifier`);
  }
  let previous = 0;
  const migrations = plan.migrations.map((migration) => {
    const match = migrationId.exec(migration.id);
    if (!match) throw new Error(`migration plan ${plan.schema}: id "${migration.id}" is not NNN-kebab-name`);
    const number = Number(match[1]);
    if (number <= previous) {
      throw new Error(`migration plan ${plan.schema}: "${migration.id}" must be numbered above ${previous}`);
    }
    previous = number;
    return { ...migration, number };
  });
  return { table, migrations };
}
