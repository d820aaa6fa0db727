import type { BatchItem } from '@fleetwave/messaging';
import type { SqlExecutor } from '@fleetwave/event-store';
import { notifyRolloutsChanged } from '../rollout-watch/rollout-changes.notify';

const rolloutStream = /^rollout-(\d+)$/;

/** The highest revision of each rollout stream among a batch's items (from the relay's `ce_streamrevision`). */
export function latestRevisions(items: readonly BatchItem<unknown>[]): Map<number, number> {
  const latest = new Map<number, number>();
  for (const { context } of items) {
    const stream = rolloutStream.exec(context.cloudEvent?.subject ?? '');
    const revision = context.cloudEvent?.streamRevision;
    if (!stream || revision === undefined) continue;
    const rolloutId = Number(stream[1]);
    latest.set(rolloutId, Math.max(revision, latest.get(rolloutId) ?? -1));
  }
  return latest;
}

/**
 * Records, in the transaction that projects the batch, how far into each rollout's stream the
 * read model now is, and tells the waiters (the change feed) on commit. Positions only move
 * forward, so a redelivered batch changes nothing.
 */
export async function recordPositions(tx: SqlExecutor, schema: string, items: readonly BatchItem<unknown>[]) {
  const latest = latestRevisions(items);
  if (latest.size === 0) return;
  const ids = [...latest.keys()].sort((a, b) => a - b);
  await tx.query(
    `insert into ${schema}.rollout_positions as p (rollout_id, revision)
     select * from unnest($1::bigint[], $2::bigint[])
     on conflict (rollout_id) do update set revision = greatest(p.revision, excluded.revision)`,
    [ids, ids.map((id) => latest.get(id))],
  );
  await notifyRolloutsChanged(tx, schema, ids);
}

type Sql = (text: string, params: unknown[]) => Promise<unknown[]>;

/** Reads the projected positions (TypeORM's query function in the service, a pool's in tests). */
export class RolloutPositions {
  constructor(
    private readonly sql: Sql,
    private readonly schema: string,
  ) {}

  /** The revision the read model has projected for a rollout; -1 before its first event. */
  async revision(rolloutId: number): Promise<number> {
    const [row] = (await this.sql(
      `select coalesce(max(revision), -1)::bigint as revision from ${this.schema}.rollout_positions where rollout_id = $1`,
      [rolloutId],
    )) as { revision: string }[];
    return Number(row.revision);
  }
}
