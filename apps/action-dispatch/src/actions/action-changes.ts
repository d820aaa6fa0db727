import type { ActionStatus } from '@fleetwave/contracts';
import type { SqlExecutor } from '@fleetwave/event-store';
import { actionStream, expectedFrom, type DispatchDeps } from './action-streams';
import { actionStateOf, saveActionStates, type ActionRow } from './actions.queries';
import { decide, evolve, type ActionCommand, type ActionEvent } from './domain/action.decider';

/** A locked row and what the decider made of it. */
export interface ActionChange {
  row: ActionRow;
  status: ActionStatus;
  events: ActionEvent[];
}

/** The decider's verdict on each locked row; rows it leaves alone are dropped. */
export function decideAll(rows: ActionRow[], command: (row: ActionRow) => ActionCommand): ActionChange[] {
  const changes: ActionChange[] = [];
  for (const row of rows) {
    const state = actionStateOf(row);
    const decision = decide(command(row), state);
    if ('ignored' in decision) continue;
    changes.push({ row, status: decision.events.reduce(evolve, state).status, events: decision.events });
  }
  return changes;
}

/**
 * Records the changes of locked rows: every stream appended at the revision its row mirrors, in
 * one append, and the rows in one update with the revisions the append reached.
 */
export async function commitChanges(deps: DispatchDeps, tx: SqlExecutor, changes: ActionChange[]): Promise<void> {
  if (changes.length === 0) return;
  const results = await deps.store.appendToStreams(
    changes.map((c) => ({
      streamName: actionStream(Number(c.row.id)),
      expectedRevision: expectedFrom(c.row.revision),
      events: c.events,
    })),
    { tx },
  );
  await saveActionStates(
    tx,
    deps.schema,
    changes.map((c, i) => ({ id: c.row.id, status: c.status, revision: results[i].nextExpectedRevision })),
  );
}
