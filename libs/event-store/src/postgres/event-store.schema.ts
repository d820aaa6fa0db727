import type pg from 'pg';
import { inTransaction } from './pg-transaction.util';

/** Qualified table names and the notification channel of one service's event store schema. */
export interface EventStoreTables {
  schema: string;
  events: string;
  streams: string;
  snapshots: string;
  checkpoints: string;
  /** `<schema>_events`: every append notifies it so subscribers wake. */
  channel: string;
}

// Lower-case only, so the quoted identifier means what an unquoted one would; short enough
// that `<schema>_events` stays within Postgres's 63-byte identifier limit.
const schemaNamePattern = /^[a-z_][a-z0-9_]{0,55}$/;

/** Validates the schema name (it is interpolated into SQL) and derives the table names. */
export function eventStoreTables(schema: string): EventStoreTables {
  if (!schemaNamePattern.test(schema)) {
    throw new Error(`event store schema name must match ${schemaNamePattern.source}: ${schema}`);
  }
  const table = (name: string): string => `"${schema}".${name}`;
  return {
    schema,
    events: table('events'),
    streams: table('streams'),
    snapshots: table('snapshots'),
    checkpoints: table('subscription_checkpoints'),
    channel: `${schema}_events`,
  };
}

const streamsFillFactor = 50;

const ddl = (t: EventStoreTables): string => `
  CREATE SCHEMA IF NOT EXISTS "${t.schema}";
  CREATE TABLE IF NOT EXISTS ${t.events} (
    position bigserial PRIMARY KEY,
    stream_name text NOT NULL,
    category text GENERATED ALWAYS AS (split_part(stream_name, '-', 1)) STORED,
    revision integer NOT NULL,
    event_id uuid NOT NULL CONSTRAINT events_event_id_unique UNIQUE,
    type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}',
    -- Serialized size of { type, data, metadata }, so that subscriptions bound a batch by bytes
    -- without serializing rows to measure them; null for events stored before it was recorded.
    payload_bytes integer,
    tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_revision_unique UNIQUE (stream_name, revision)
  );
  -- Only when missing: ALTER TABLE locks the table exclusively even when there is nothing to do.
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                    WHERE table_schema = '${t.schema}' AND table_name = 'events' AND column_name = 'payload_bytes') THEN
      ALTER TABLE ${t.events} ADD COLUMN payload_bytes integer;
    END IF;
  END $$;
  CREATE INDEX IF NOT EXISTS events_commit_order ON ${t.events} (tx_id, position);
  CREATE INDEX IF NOT EXISTS events_category_commit_order ON ${t.events} (category, tx_id, position);
  -- Every append rewrites its streams' rows. With room left on each page the new row version
  -- stays on its page (a HOT update): no new primary-key entry, far less work and WAL.
  CREATE TABLE IF NOT EXISTS ${t.streams} (
    stream_name text PRIMARY KEY,
    revision integer NOT NULL,
    position bigint NOT NULL,
    tx_id xid8 NOT NULL
  ) WITH (fillfactor = ${streamsFillFactor});
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class
                    WHERE oid = '${t.streams}'::regclass AND 'fillfactor=${streamsFillFactor}' = ANY(coalesce(reloptions, '{}'))) THEN
      ALTER TABLE ${t.streams} SET (fillfactor = ${streamsFillFactor});
    END IF;
  END $$;
  CREATE TABLE IF NOT EXISTS ${t.snapshots} (
    stream_name text PRIMARY KEY,
    revision integer NOT NULL,
    state jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS ${t.checkpoints} (
    subscription_id text PRIMARY KEY,
    tx_id xid8 NOT NULL,
    position bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );`;

/**
 * Creates the schema and its tables if missing. Concurrent IF NOT EXISTS DDL can still collide
 * on the catalogs, so callers (several replicas starting at once) queue on an advisory lock.
 */
export async function migrateEventStore(pool: pg.Pool, tables: EventStoreTables): Promise<void> {
  await inTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`migrate:${tables.schema}`]);
    await tx.query(ddl(tables));
  });
}
