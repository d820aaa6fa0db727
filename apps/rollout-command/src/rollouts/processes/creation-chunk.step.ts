import type { EventData, EventMetadata, RolloutGroupMembersAssignedV1 } from '@fleetwave/contracts';
import type { EventStore, SqlExecutor } from '@fleetwave/event-store';
import { autoSplitGroupSizes } from '../domain/group-split';
import {
  assignChunk,
  assignedGroupTotals,
  defaultSliceLimits,
  sliceByGroup,
  type GroupCursor,
  type MemberSlice,
  type SliceLimits,
} from '../domain/membership-chunk';
import { membershipStream, RolloutRepository } from '../rollout.repository';
import { CreationProgressStore, type CreationProgress } from './creation-progress.store';
import { ExplicitGroupResolver } from './explicit-group-resolver';
import { TargetResolver } from './target-resolver';
import { RolloutMembersStore } from './rollout-members.store';
import { DynamicIntakeStore } from './dynamic-intake.store';

/** What one chunk did, for logs and tests. */
export interface ChunkOutcome {
  rolloutId: number;
  /** 1-based number of this chunk. */
  chunk: number;
  /** Targets this chunk assigned. */
  targets: number;
  /** Membership events this chunk appended. */
  events: number;
  assigned: number;
  totalTargets: number;
  /** True when this chunk also marked the rollout ready. */
  ready: boolean;
  /** True when the rollout had left `creating` by other means (e.g. stopped), so creation ended without ready. */
  abandoned?: boolean;
  groupTotals?: number[];
}

export interface ChunkLimits extends SliceLimits {
  /** Most targets one chunk transaction assigns. */
  targetsPerChunk: number;
}

/** ~5,000 targets make a transaction of tens of milliseconds: 10–20 events, well under a second. */
export const defaultChunkLimits: ChunkLimits = { ...defaultSliceLimits, targetsPerChunk: 5_000 };

const metadata: EventMetadata = { actor: 'rollout-command' };

/**
 * One step of rollout creation, inside the caller's transaction: claim a pending creation, read
 * the next page of its targets after the stored last id, deal them into groups, append them as
 * membership events and advance the cursor — all committing together, so a crash at any point
 * leaves either the whole chunk or none of it. The last chunk also appends RolloutReady.
 */
export class CreationChunkStep {
  constructor(
    private readonly store: EventStore,
    private readonly resolver: TargetResolver,
    private readonly rollouts: RolloutRepository,
    private readonly progress: CreationProgressStore,
    private readonly limits: ChunkLimits = defaultChunkLimits,
    private readonly clock: () => number = Date.now,
    private readonly explicit: ExplicitGroupResolver = new ExplicitGroupResolver(resolver.schema),
    private readonly members: RolloutMembersStore = new RolloutMembersStore(resolver.schema),
    private readonly intake: DynamicIntakeStore = new DynamicIntakeStore(resolver.schema),
  ) {}

  /** Works one chunk of the creation that waited longest; undefined when none is pending. */
  async run(tx: SqlExecutor, onClaim?: (rolloutId: number) => void): Promise<ChunkOutcome | undefined> {
    const creation = await this.progress.claimNext(tx);
    if (!creation) return undefined;
    onClaim?.(creation.rolloutId);
    const { rolloutId, groupIds, totalTargets } = creation;
    // A rollout that moved on while creating (stopped, or removed) takes no more members. Stop and
    // delete lock this progress row and end it themselves; this covers any other writer.
    const { state } = await this.rollouts.load(rolloutId);
    if (state.kind !== 'present' || state.status !== 'creating') {
      await this.progress.advance(tx, rolloutId, { ...creation, done: true });
      return {
        rolloutId,
        chunk: creation.chunks,
        targets: 0,
        events: 0,
        assigned: creation.assigned,
        totalTargets,
        ready: false,
        abandoned: true,
      };
    }
    const dealt = creation.groupPlan ? await this.dealExplicit(tx, creation) : await this.dealAuto(tx, creation);
    const { slices, used, ready, groupTotals } = dealt;

    const events: EventData[] = slices.map((slice, i) => ({
      type: 'RolloutGroupMembersAssigned.v1',
      data: {
        rolloutId,
        groupId: groupIds[slice.groupIndex],
        chunk: creation.membershipEvents + i,
        members: slice.members,
      } satisfies RolloutGroupMembersAssignedV1,
      metadata,
    }));
    if (events.length > 0) {
      // The expected revision is the cursor's own count: a chunk written twice cannot append.
      await this.store.appendToStream(membershipStream(rolloutId), events, {
        expectedRevision: creation.membershipEvents === 0 ? 'no_stream' : creation.membershipEvents - 1,
        tx,
      });
      await this.members.add(
        tx,
        rolloutId,
        slices.map((slice) => ({ groupId: groupIds[slice.groupIndex], members: slice.members })),
      );
    }

    const assigned = creation.assigned + used;
    if (ready) {
      // A dynamic rollout's group after the static ones starts empty; its intake fills it once running.
      const dynamicGroup = await this.intake.currentGroupId(tx, rolloutId);
      const trailing = dynamicGroup === undefined ? [] : [{ groupId: dynamicGroup, totalTargets: 0 }];
      await this.rollouts.handle(
        rolloutId,
        {
          type: 'MarkRolloutReady',
          data: {
            rolloutId,
            totalTargets: assigned,
            groups: [...groupIds.map((groupId, i) => ({ groupId, totalTargets: groupTotals[i] })), ...trailing],
          },
          at: this.clock(),
        },
        metadata,
        tx,
      );
    }
    const chunk = creation.chunks + 1;
    await this.progress.advance(tx, rolloutId, {
      cursor: dealt.cursor,
      lastTargetId: dealt.lastTargetId,
      assigned,
      chunks: chunk,
      membershipEvents: creation.membershipEvents + events.length,
      done: ready,
      groupAssigned: dealt.groupAssigned,
    });
    return {
      rolloutId,
      chunk,
      targets: used,
      events: events.length,
      assigned,
      totalTargets,
      ready,
      groupTotals: ready ? groupTotals : undefined,
    };
  }

  /** amountGroups: the next targets in id order fill the groups of the auto-split sizes one after another. */
  private async dealAuto(tx: SqlExecutor, creation: CreationProgress): Promise<Dealt> {
    const sizes = autoSplitGroupSizes(creation.totalTargets, creation.groupIds.length);
    const wanted = Math.min(this.limits.targetsPerChunk, creation.totalTargets - creation.assigned);
    const page =
      wanted > 0
        ? await this.resolver.page(creation.targetFilterQuery, creation.cutoff, creation.lastTargetId, wanted, tx)
        : { rows: [], scannedTo: creation.lastTargetId, exhausted: true };
    const { slices, cursor, used } = assignChunk(sizes, creation.cursor, page.rows, this.limits);
    const allUsed = used === page.rows.length;
    // The set ran out (targets removed since the count) once a page is exhausted and wholly used.
    const ready = creation.assigned + used >= creation.totalTargets || (page.exhausted && allUsed);
    return {
      slices,
      used,
      ready,
      cursor,
      // Past the whole window when every row was dealt (a short page looked further than its last row).
      lastTargetId: allUsed ? page.scannedTo : page.rows[used - 1].targetId,
      groupTotals: assignedGroupTotals(sizes, cursor),
    };
  }

  /**
   * groups[]: the next targets of the rollout in id order, each to the group its planned filters
   * and cuts give it; one pass over the rollout's targets serves every group. Done when the pass
   * reaches the end of the set.
   */
  private async dealExplicit(tx: SqlExecutor, creation: CreationProgress): Promise<Dealt> {
    const plan = creation.groupPlan ?? [];
    const limit = this.limits.targetsPerChunk;
    const page = await this.explicit.page(
      tx,
      creation.targetFilterQuery,
      creation.cutoff,
      plan,
      creation.lastTargetId,
      limit,
    );
    const { slices, perGroup } = sliceByGroup(plan.length, page.rows, this.limits);
    const before = creation.groupAssigned ?? plan.map(() => 0);
    const groupAssigned = before.map((n, i) => n + perGroup[i]);
    return {
      slices,
      used: perGroup.reduce((sum, n) => sum + n, 0),
      ready: page.exhausted,
      cursor: creation.cursor,
      lastTargetId: page.scannedTo,
      groupTotals: groupAssigned,
      groupAssigned,
    };
  }
}

/** What one chunk dealt, whichever split. */
interface Dealt {
  slices: MemberSlice[];
  used: number;
  ready: boolean;
  cursor: GroupCursor;
  lastTargetId: number;
  /** Members per group once this chunk commits. */
  groupTotals: number[];
  groupAssigned?: number[];
}
