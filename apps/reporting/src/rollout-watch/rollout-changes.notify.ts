import type { SqlExecutor } from '@fleetwave/event-store';

/** The channel on which the projection announces changed rollouts, per read-model schema. */
export const rolloutChangesChannel = (schema: string): string => `${schema}_rollout_changed`;

// Under Postgres' 8,000-byte payload limit, with room to spare.
const MAX_PAYLOAD = 7_000;

/**
 * Announces, inside the projection's transaction, which rollouts it changed: Postgres delivers
 * the notification when (and only if) the transaction commits, so a watcher that reads after it
 * sees the change. The payload is the ids, comma-separated, in as many notifications as needed.
 */
export async function notifyRolloutsChanged(tx: SqlExecutor, schema: string, rolloutIds: number[]): Promise<void> {
  const payloads: string[] = [];
  let current = '';
  for (const id of new Set(rolloutIds)) {
    const next = current ? `${current},${id}` : String(id);
    if (next.length > MAX_PAYLOAD) {
      payloads.push(current);
      current = String(id);
    } else current = next;
  }
  if (current) payloads.push(current);
  if (payloads.length === 0) return;
  await tx.query(`select pg_notify($1, p) from unnest($2::text[]) as p`, [rolloutChangesChannel(schema), payloads]);
}

/** The rollout ids of a payload; undefined when it names none (after a reconnection: anything may have changed). */
export function changedRollouts(payload: string | undefined): Set<number> | undefined {
  if (!payload) return undefined;
  return new Set(
    payload
      .split(',')
      .map(Number)
      .filter((id) => Number.isSafeInteger(id) && id > 0),
  );
}
