import type { SqlExecutor } from '@fleetwave/event-store';
import type { DispatchDeps, RolloutEnding } from '../action-streams';
import { CANCEL_CHUNK, cancelChunk, cancelModeOf } from '../action-cancellation';
import { cancelSupersededChunk, CREATION_CHUNK, createChunk } from '../action-creation';
import { settleRollouts } from '../action-settlement';
import { ACTIVATION_CHUNK, activateChunk, activationChunkSize, dispatchInfoOf } from '../group-activation';
import {
  advanceWork,
  claimWork,
  creationState,
  retireWorkOfEnded,
  type WorkItem,
  type WorkKind,
} from './dispatch-work.queries';

/** Rows per chunk of each kind; each chunk is one short transaction. */
export interface ChunkSizes {
  create: number;
  activate: number;
  cancel?: number;
}

export const defaultChunkSizes: ChunkSizes = {
  create: CREATION_CHUNK,
  activate: ACTIVATION_CHUNK,
  cancel: CANCEL_CHUNK,
};

/** What one chunk did, for logs and tests. */
export interface DispatchOutcome {
  rolloutId: number;
  groupId: number;
  kind: WorkKind;
  /** Actions created, activated or cancelled by this chunk. */
  count: number;
  /** Chunks of this piece of work so far, this one included. */
  chunk: number;
  done: boolean;
}

/**
 * One chunk of dispatch work inside the caller's transaction: claims the next pending piece,
 * creates or activates up to a chunk of actions, and advances the piece's cursor with them, so
 * the chunk and its cursor commit (or roll back) together and a restart resumes exactly there.
 */
export class DispatchChunkStep {
  constructor(
    private readonly deps: DispatchDeps,
    private readonly sizes: ChunkSizes = defaultChunkSizes,
  ) {}

  /** Undefined when nothing is pending; `onClaim` learns the piece before any work on it. */
  async run(
    tx: SqlExecutor,
    onClaim: (item: WorkItem) => void = () => undefined,
  ): Promise<DispatchOutcome | undefined> {
    const item = await claimWork(tx, this.deps.schema);
    if (!item) return undefined;
    onClaim(item);
    const target = { rolloutId: Number(item.rollout_id), groupId: Number(item.group_id) };
    const base = { ...target, kind: item.kind, chunk: item.chunks + 1 };
    if (item.kind === 'cancel') return { ...base, ...(await this.cancel(tx, item, target)) };
    if (item.kind === 'create') {
      const chunk = await createChunk(this.deps, tx, target, item.after_id, this.sizes.create);
      if (chunk.lastTargetId !== undefined) {
        await cancelSupersededChunk(this.deps, tx, target, item.after_id, chunk.lastTargetId);
      }
      const done = chunk.seen < this.sizes.create;
      await advanceWork(tx, this.deps.schema, item, {
        afterId: chunk.lastTargetId ?? item.after_id,
        frontier: chunk.lastActionId,
        done,
      });
      return { ...base, count: chunk.created, done };
    }
    const info = await dispatchInfoOf(this.deps, tx, target.rolloutId);
    if (!info) throw new Error(`rollout ${target.rolloutId} is started but its definition is unknown`);
    // Read before the chunk: when creation was done by then, the chunk sees every action it made.
    const creation = await creationState(tx, this.deps.schema, item.group_id);
    const size = activationChunkSize(item.chunks, this.sizes.activate);
    const chunk = await activateChunk(this.deps, tx, info, target, item.after_id, size);
    if (chunk.lastId !== undefined) {
      await advanceWork(tx, this.deps.schema, item, { afterId: chunk.lastId, done: false });
      return { ...base, count: chunk.activated, done: false };
    }
    // Nothing scheduled past the cursor: done once creation is, else wait behind its frontier.
    const afterId = BigInt(creation.frontier) > BigInt(item.after_id) ? creation.frontier : item.after_id;
    await advanceWork(tx, this.deps.schema, item, { afterId, done: creation.done });
    return { ...base, count: 0, done: creation.done };
  }

  /**
   * One chunk of an ending rollout's group: its next open actions cancelled. The piece is done
   * once a chunk finds none left (a chunk coming up short may only have lost rows to a
   * concurrent device report); then the rollout may have settled.
   */
  private async cancel(
    tx: SqlExecutor,
    item: WorkItem,
    target: { rolloutId: number; groupId: number },
  ): Promise<{ count: number; done: boolean }> {
    const { schema } = this.deps;
    const { rows } = await tx.query<{ ending: RolloutEnding | null }>(
      `select ending from ${schema}.rollouts where rollout_id = $1`,
      [item.rollout_id],
    );
    const ending = rows[0]?.ending;
    if (!ending) throw new Error(`rollout ${target.rolloutId} has cancel work but is not ending`);
    const size = this.sizes.cancel ?? CANCEL_CHUNK;
    const chunk = await cancelChunk(this.deps, tx, target, cancelModeOf(ending), item.after_id, size);
    const done = chunk.lastId === undefined;
    await advanceWork(tx, schema, item, { afterId: chunk.lastId ?? item.after_id, done });
    if (done) {
      await retireWorkOfEnded(tx, schema, item.rollout_id);
      await settleRollouts(this.deps, tx, [target.rolloutId]);
    }
    return { count: chunk.canceled, done };
  }
}
