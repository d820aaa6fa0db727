import { Client } from 'pg';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';

/** A database of its own, for a test that must own whole tables (truncate, compare) of a fixed schema. */
export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

async function run(sql: string): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database next to the test database. Reporting's schema name is fixed, and the
 * shared database's `reporting` schema is also written by other tests and a running cluster.
 */
export async function createFreshDatabase(prefix: string): Promise<FreshDatabase> {
  const name = uniqueName(prefix);
  await run(`create database "${name}"`);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists "${name}" with (force)`) };
}
