import type { ActionStatus } from '@fleetwave/contracts';
import type { SqlExecutor, StreamAppend } from '@fleetwave/event-store';
import { actionStream, expectedFrom, TENANT, type DispatchDeps, type RolloutEnding } from './action-streams';
import { actionStateOf, lockOpenChunk, saveActionStates } from './actions.queries';
import { decide, evolve, type CancelMode } from './domain/action.decider';

/** Actions looked at per cancel chunk (one short transaction): at most 4,000 events, one update. */
export const CANCEL_CHUNK = 2_000;

/** Stop cancels softly (the device is asked), delete at once. */
export const cancelModeOf = (ending: RolloutEnding): CancelMode => (ending === 'DELETED' ? 'force' : 'soft');

/**
 * Cancels the next chunk of a group's open actions after `afterId` (keyset on id), each under its
 * row lock: the decider says what each becomes (canceled, or canceling with a CANCEL_DOWNLOAD for
 * its device); every changed stream is appended at the revision its row mirrors, in one append,
 * and the rows in one update. Returns how many were seen and changed, and the last id seen
 * (undefined when none was left).
 */
export async function cancelChunk(
  deps: DispatchDeps,
  tx: SqlExecutor,
  target: { rolloutId: number; groupId: number },
  mode: CancelMode,
  afterId: string,
  chunkSize = CANCEL_CHUNK,
): Promise<{ seen: number; canceled: number; lastId?: string }> {
  const rows = await lockOpenChunk(tx, deps.schema, target, afterId, chunkSize);
  if (rows.length === 0) return { seen: 0, canceled: 0 };
  const at = deps.clock();
  const changes: { id: string; status: ActionStatus; append: StreamAppend }[] = [];
  for (const row of rows) {
    const state = actionStateOf(row);
    const decision = decide({ type: 'Cancel', mode, tenant: TENANT, at }, state);
    if ('ignored' in decision) continue;
    changes.push({
      id: row.id,
      status: decision.events.reduce(evolve, state).status,
      append: {
        streamName: actionStream(state.actionId),
        expectedRevision: expectedFrom(row.revision),
        events: decision.events,
      },
    });
  }
  const lastId = rows[rows.length - 1].id;
  if (changes.length === 0) return { seen: rows.length, canceled: 0, lastId };
  const results = await deps.store.appendToStreams(
    changes.map((c) => c.append),
    { tx },
  );
  await saveActionStates(
    tx,
    deps.schema,
    changes.map((c, i) => ({ id: c.id, status: c.status, revision: results[i].nextExpectedRevision })),
  );
  return { seen: rows.length, canceled: changes.length, lastId };
}
