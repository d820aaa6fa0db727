import type { RecordedEvent } from '@fleetwave/contracts';
import type { SqlExecutor } from '../event-store.port';
import type { SubscriptionOptions } from '../event-subscription.port';
import type { EventStoreTables } from './event-store.schema';
import { eventColumns, toRecordedEvent, type EventRow } from './recorded-event.mapper';

/** How far a subscription got: the (tx_id, position) of the last event it handled, as text. */
export interface Checkpoint {
  txId: string;
  position: string;
}

const origin: Checkpoint = { txId: '0', position: '0' };

/** Default byte bound of one subscription batch (see SubscriptionOptions.maxBatchBytes). */
export const defaultMaxBatchBytes = 8 * 1024 * 1024;

// No categories means all events. Unnamed statements are planned with their parameter values,
// so the cardinality test folds away and the category index stays usable.
const categoryFilter = 'AND (cardinality($3::text[]) = 0 OR category = ANY($3::text[]))';

/**
 * The SQL of one subscription. Gap safety: an event is read only once its transaction id is
 * below the snapshot's xmin, i.e. once every transaction that could still commit has a higher
 * id; reading in (tx_id, position) order past the checkpoint therefore never skips a late commit.
 */
export class PostgresSubscriptionQueries {
  private readonly lockKey: string;
  private readonly categories: string[];
  private readonly maxBatchBytes: number;

  constructor(
    private readonly tables: EventStoreTables,
    private readonly options: SubscriptionOptions,
  ) {
    this.lockKey = `subscription:${tables.schema}:${options.subscriptionId}`;
    this.categories = options.categories ?? [];
    this.maxBatchBytes = options.maxBatchBytes ?? defaultMaxBatchBytes;
    if (!Number.isInteger(this.maxBatchBytes) || this.maxBatchBytes < 1) {
      throw new Error(`subscription ${options.subscriptionId}: maxBatchBytes must be a positive integer`);
    }
  }

  /**
   * A transaction-scoped advisory lock keeps two instances from processing at once. Unlike
   * SELECT ... FOR UPDATE it takes no transaction id, so a slow handler that only reads (a relay
   * awaiting Kafka) does not hold back every subscription's horizon.
   */
  async tryLock(tx: SqlExecutor): Promise<boolean> {
    const { rows } = await tx.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked',
      [this.lockKey],
    );
    return rows[0].locked;
  }

  async readCheckpoint(tx: SqlExecutor): Promise<Checkpoint> {
    const { rows } = await tx.query<Checkpoint>(
      `SELECT tx_id::text AS "txId", position::text AS position FROM ${this.tables.checkpoints} WHERE subscription_id = $1`,
      [this.options.subscriptionId],
    );
    return rows[0] ?? origin;
  }

  async readBatch(tx: SqlExecutor, after: Checkpoint): Promise<{ event: RecordedEvent; checkpoint: Checkpoint }[]> {
    // The text copy of tx_id gets its own name: an output column named tx_id would make ORDER BY
    // sort the text ('1000' < '993') instead of the xid8, delivering across a digit boundary twice.
    // The page (LIMIT) is cut first, then trimmed to the longest prefix within the byte bound by a
    // running sum; the first event always passes (bytes_through = size), so an event larger than
    // the bound forms a batch of its own instead of stalling the subscription.
    // Sizes come from payload_bytes; events stored before it was recorded are measured.
    const { rows } = await tx.query<EventRow & { tx_id_text: string }>(
      `SELECT ${eventColumns}, tx_id_text FROM (
         SELECT *, sum(size) OVER (ORDER BY tx_id, position ROWS UNBOUNDED PRECEDING) AS bytes_through
           FROM (
             SELECT ${eventColumns}, tx_id, tx_id::text AS tx_id_text,
                    coalesce(payload_bytes, octet_length(data::text) + octet_length(metadata::text)) AS size
               FROM ${this.tables.events}
              WHERE (tx_id, position) > ($1::xid8, $2::bigint)
                AND tx_id < pg_snapshot_xmin(pg_current_snapshot()) ${categoryFilter}
              ORDER BY tx_id, position LIMIT $4
           ) page
       ) sized
       WHERE bytes_through <= $5 OR bytes_through = size
       ORDER BY tx_id, position`,
      [after.txId, after.position, this.categories, this.options.batchSize ?? 500, this.maxBatchBytes],
    );
    return rows.map((row) => ({
      event: toRecordedEvent(row),
      checkpoint: { txId: row.tx_id_text, position: row.position },
    }));
  }

  /** Whether committed events lie beyond the horizon: an open transaction is holding them back. */
  async hasEventsAfter(tx: SqlExecutor, after: Checkpoint): Promise<boolean> {
    const { rows } = await tx.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${this.tables.events}
        WHERE (tx_id, position) > ($1::xid8, $2::bigint) ${categoryFilter}) AS found`,
      [after.txId, after.position, this.categories],
    );
    return rows[0].found;
  }

  /**
   * Events of the subscription's categories past its checkpoint, committed or held back by the
   * horizon, counted up to `limit` so that the read stays bounded however far behind it is. One
   * statement outside any transaction: a metrics scrape takes no lock and waits for no pass.
   */
  async countAfterCheckpoint(db: SqlExecutor, limit: number): Promise<number> {
    const { rows } = await db.query<{ backlog: number }>(
      `SELECT count(*)::int AS backlog FROM (
         SELECT 1 FROM ${this.tables.events}
          WHERE (tx_id, position) > (
                  coalesce((SELECT tx_id FROM ${this.tables.checkpoints} WHERE subscription_id = $1), '0'::xid8),
                  coalesce((SELECT position FROM ${this.tables.checkpoints} WHERE subscription_id = $1), 0))
            AND (cardinality($2::text[]) = 0 OR category = ANY($2::text[]))
          LIMIT $3) pending`,
      [this.options.subscriptionId, this.categories, limit],
    );
    return rows[0].backlog;
  }

  async saveCheckpoint(tx: SqlExecutor, checkpoint: Checkpoint): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.tables.checkpoints} (subscription_id, tx_id, position) VALUES ($1, $2::xid8, $3)
       ON CONFLICT (subscription_id) DO UPDATE
         SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position, updated_at = now()`,
      [this.options.subscriptionId, checkpoint.txId, checkpoint.position],
    );
  }
}
