import type { SqlExecutor } from '@fleetwave/event-store';
import type { DispatchDeps } from '../action-streams';
import { CREATION_CHUNK, createChunk } from '../action-creation';
import { ACTIVATION_CHUNK, activateChunk, dispatchInfoOf } from '../group-activation';
import { advanceWork, claimWork, creationState, type WorkItem, type WorkKind } from './dispatch-work.queries';

/** Rows per chunk of each kind; each chunk is one short transaction. */
export interface ChunkSizes {
  create: number;
  activate: number;
}

export const defaultChunkSizes: ChunkSizes = { create: CREATION_CHUNK, activate: ACTIVATION_CHUNK };

/** What one chunk did, for logs and tests. */
export interface DispatchOutcome {
  rolloutId: number;
  groupId: number;
  kind: WorkKind;
  /** Actions created or activated by this chunk. */
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
    if (item.kind === 'create') {
      const chunk = await createChunk(this.deps, tx, target, item.after_id, this.sizes.create);
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
    const chunk = await activateChunk(this.deps, tx, info, target, item.after_id, this.sizes.activate);
    if (chunk.lastId !== undefined) {
      await advanceWork(tx, this.deps.schema, item, { afterId: chunk.lastId, done: false });
      return { ...base, count: chunk.activated, done: false };
    }
    // Nothing scheduled past the cursor: done once creation is, else wait behind its frontier.
    const afterId = BigInt(creation.frontier) > BigInt(item.after_id) ? creation.frontier : item.after_id;
    await advanceWork(tx, this.deps.schema, item, { afterId, done: creation.done });
    return { ...base, count: 0, done: creation.done };
  }
}
