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
import { isWorkflowEvent } from './domain/group-workflow.events';

export const workflowStream = (rolloutId: number): string => `groupworkflow-${rolloutId}`;

export type WorkflowDecision = (
  state: WorkflowState,
  counts: (groupId: number) => GroupCounts,
) => WorkflowEvent[] | Ignored;

/** Opens workflow sessions on a transaction: the group workflows and counters of one batch. */
export class GroupWorkflowRepository {
  constructor(
    private readonly store: EventStore,
    /** Schema of the group counters. */
    readonly schema: string,
  ) {}

  session(tx: SqlExecutor): WorkflowSession {
    return new WorkflowSession(this.store, this.schema, tx);
  }
}

/**
 * Runs workflow steps inside one transaction. A workflow is read from its stream once; later
 * steps in the same transaction continue from the state and revision the previous one wrote
 * (the store reads committed events only, and these are not committed yet).
 */
export class WorkflowSession {
  private readonly loaded = new Map<number, { state: WorkflowState; revision: number | undefined }>();

  constructor(
    private readonly store: EventStore,
    private readonly schema: string,
    private readonly tx: SqlExecutor,
  ) {}

  /** Loads the workflow and the current counters, decides, appends with the expected revision. */
  async step(rolloutId: number, metadata: EventMetadata, decide: WorkflowDecision): Promise<Ignored | void> {
    const workflow = this.loaded.get(rolloutId) ?? (await this.load(rolloutId));
    const { rows } = await this.tx.query<{ group_id: string } & GroupCounts>(
      `select group_id, finished, error, cancelled, downloaded from ${this.schema}.group_counters where rollout_id = $1`,
      [rolloutId],
    );
    const counts = new Map(
      rows.map((r) => [
        Number(r.group_id),
        { finished: r.finished, error: r.error, cancelled: r.cancelled, downloaded: r.downloaded },
      ]),
    );
    const none: GroupCounts = { finished: 0, error: 0, cancelled: 0, downloaded: 0 };
    const outcome = decide(workflow.state, (groupId) => counts.get(groupId) ?? none);
    if ('ignored' in outcome) return outcome;
    if (outcome.length === 0) return { ignored: 'no change' };
    const { nextExpectedRevision } = await this.store.appendToStream(
      workflowStream(rolloutId),
      outcome.map((e) => ({ ...e, metadata })),
      { expectedRevision: workflow.revision ?? 'no_stream', tx: this.tx },
    );
    this.loaded.set(rolloutId, {
      state: outcome.reduce(evolveWorkflow, workflow.state),
      revision: nextExpectedRevision,
    });
  }

  private async load(rolloutId: number): Promise<{ state: WorkflowState; revision: number | undefined }> {
    const events = await this.store.readStream(workflowStream(rolloutId));
    const state = events.reduce((s, e) => {
      // The store has upcast old versions; a type still unknown means the state cannot be trusted.
      if (!isWorkflowEvent(e)) throw new Error(`unknown event ${e.type} in stream ${e.streamName}`);
      return evolveWorkflow(s, e);
    }, emptyWorkflow(rolloutId));
    return { state, revision: events.length > 0 ? events[events.length - 1].revision : undefined };
  }
}
