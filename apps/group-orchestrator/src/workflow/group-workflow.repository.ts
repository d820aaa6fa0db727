import type { EventStore, SqlExecutor } from '@fleetwave/event-store';
import type { EventMetadata } from '@fleetwave/contracts';
import {
  emptyWorkflow,
  evolveWorkflow,
  GroupCounts,
  Ignored,
  WorkflowEvent,
  WorkflowState,
} from './domain/group-workflow';
import { ORCHESTRATOR_SCHEMA } from './group-workflow.migration';

export const workflowStream = (rolloutId: number): string => `groupworkflow-${rolloutId}`;

/** Loads a rollout's group workflow and its counters, runs a workflow step and appends its events. */
export class GroupWorkflowRepository {
  constructor(private readonly store: EventStore) {}

  async step(
    rolloutId: number,
    tx: SqlExecutor,
    metadata: EventMetadata,
    decide: (state: WorkflowState, counts: (groupId: number) => GroupCounts) => WorkflowEvent[] | Ignored,
  ): Promise<'ignored' | void> {
    const events = await this.store.readStream(workflowStream(rolloutId));
    const state = events.reduce((s, e) => evolveWorkflow(s, e as unknown as WorkflowEvent), emptyWorkflow(rolloutId));
    const { rows } = await tx.query<{ group_id: string } & GroupCounts>(
      `select group_id, finished, error, cancelled from ${ORCHESTRATOR_SCHEMA}.group_counters where rollout_id = $1`,
      [rolloutId],
    );
    const counts = new Map(
      rows.map((r) => [Number(r.group_id), { finished: r.finished, error: r.error, cancelled: r.cancelled }]),
    );
    const outcome = decide(state, (groupId) => counts.get(groupId) ?? { finished: 0, error: 0, cancelled: 0 });
    if ('ignored' in outcome) return 'ignored';
    await this.store.appendToStream(
      workflowStream(rolloutId),
      outcome.map((e) => ({ ...e, metadata })),
      { expectedRevision: events.length > 0 ? events[events.length - 1].revision : 'no_stream', tx },
    );
  }
}
