import type { Pool, PoolClient } from 'pg';

/** Quotes an SQL identifier, so any schema name is safe to interpolate. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The inbox of one service: which messages each of its consumers has processed. A row is
 * written in the same transaction as the message's effect, so "effect happened" and "message
 * recorded" commit or roll back together.
 */
export class ProcessedMessagesStore {
  private readonly table: string;

  constructor(private readonly schema: string) {
    this.table = `${quoteIdentifier(schema)}.processed_messages`;
  }

  /** Creates the schema and table when missing; safe to run from many instances at once. */
  async ensureTable(pool: Pool): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog; serialize them.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fleetwave.processed_messages:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.schema)}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
           consumer text NOT NULL,
           message_id text NOT NULL,
           processed_at timestamptz NOT NULL DEFAULT now(),
           PRIMARY KEY (consumer, message_id)
         )`,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Records a batch of message ids inside the caller's open transaction with one statement and
   * returns the ids that were new; ids already recorded (redelivery) are left out.
   */
  async recordBatchWithin(tx: PoolClient, consumer: string, messageIds: string[]): Promise<Set<string>> {
    if (messageIds.length === 0) return new Set();
    const result = await tx.query<{ message_id: string }>(
      `INSERT INTO ${this.table} (consumer, message_id)
       SELECT $1, id FROM unnest($2::text[]) AS id
       ON CONFLICT DO NOTHING
       RETURNING message_id`,
      [consumer, messageIds],
    );
    return new Set(result.rows.map((row) => row.message_id));
  }

  /**
   * Removes records written earlier in the same transaction for messages that end up without an
   * effect (dead-lettered, or left for the next owner), so a replay of them is not taken for a duplicate.
   */
  async forgetWithin(tx: PoolClient, consumer: string, messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await tx.query(`DELETE FROM ${this.table} WHERE consumer = $1 AND message_id = ANY($2::text[])`, [
      consumer,
      messageIds,
    ]);
  }
}
