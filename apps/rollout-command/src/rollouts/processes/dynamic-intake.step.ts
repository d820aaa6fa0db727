import type { EventData, EventMetadata, GroupMember, RolloutGroupMembersAssignedV1 } from '@fleetwave/contracts';
import type { EventStore, SqlExecutor } from '@fleetwave/event-store';
import { afterIntake, decideIntake, nextDynamicGroup, type IntakeSituation } from '../domain/dynamic-rollout';
import { assignChunk, defaultSliceLimits, type SliceLimits } from '../domain/membership-chunk';
import type { RolloutQuotas } from '../domain/rollout-quotas';
import { membershipStream, type LoadedRollout, type RolloutRepository } from '../rollout.repository';
import type { CreationProgressStore } from './creation-progress.store';
import type { DynamicIntake, DynamicIntakeStore, IntakeAdvance } from './dynamic-intake.store';
import { IntakeCandidates, nextCursor } from './intake-candidates';
import { RolloutMembersStore } from './rollout-members.store';

export interface IntakeLimits extends SliceLimits {
  /** Target ids one step looks at above the new-target cursor. */
  newWindow: number;
  /** Target ids one sweep step looks at again below it. */
  sweepWindow: number;
}

/** A few thousand ids per window keep a step to milliseconds and its events to a handful. */
export const defaultIntakeLimits: IntakeLimits = { ...defaultSliceLimits, newWindow: 5_000, sweepWindow: 20_000 };

/** What one intake step did. */
export interface IntakeOutcome {
  rolloutId: number;
  outcome: 'ended' | 'waiting' | 'took';
  taken: number;
  /** The dynamic group added because the one filling became full. */
  groupAdded?: number;
  /** True when more may be waiting right away (new targets beyond the window, or a new group to fill). */
  more: boolean;
}

const metadata: EventMetadata = { actor: 'rollout-command' };

/**
 * One step of a dynamic rollout's intake, in the caller's (short) transaction: lock the intake
 * row and the creation's row (so stop and delete, which lock that row first, never interleave),
 * decide from the rollout's state whether it may take targets, take the next candidates from a
 * bounded window into the group now filling, append them as membership chunks (numbers continue
 * the creation's) with their member rows, and once the group is full add the next dynamic group
 * to the rollout stream. Everything commits together or not at all.
 */
export class DynamicIntakeStep {
  private readonly candidates: IntakeCandidates;
  private readonly members: RolloutMembersStore;

  constructor(
    private readonly store: EventStore,
    private readonly rollouts: RolloutRepository,
    private readonly progress: CreationProgressStore,
    private readonly intakes: DynamicIntakeStore,
    private readonly quotas: RolloutQuotas,
    private readonly limits: IntakeLimits = defaultIntakeLimits,
    private readonly clock: () => number = Date.now,
  ) {
    this.candidates = new IntakeCandidates(intakes.schema);
    this.members = new RolloutMembersStore(intakes.schema);
  }

  /** Works one step for a rollout; undefined when another step holds it or it has no open intake. */
  async run(tx: SqlExecutor, rolloutId: number, options: { sweep: boolean }): Promise<IntakeOutcome | undefined> {
    const intake = await this.intakes.claim(tx, rolloutId);
    if (!intake) return undefined;
    await this.progress.lock(tx, rolloutId);
    const creation = await this.progress.find(tx, rolloutId);
    const idle: IntakeOutcome = { rolloutId, outcome: 'waiting', taken: 0, more: false };
    if (!creation?.done) return idle;
    const loaded = await this.rollouts.load(rolloutId);
    const { state } = loaded;
    const situation: IntakeSituation = {
      status: state.kind === 'present' ? state.status : state.kind,
      capacity: intake.group.dynamic?.capacity ?? intake.template.targetCount,
      members: intake.groupMembers,
      groupCount: state.kind === 'present' ? state.groupCount : 0,
      maxGroups: this.quotas.maxGroupsPerRollout,
    };
    const decision = decideIntake(situation);
    if (decision.kind === 'end') {
      await this.intakes.advance(tx, rolloutId, { ...intake, ended: true });
      return { ...idle, outcome: 'ended' };
    }
    if (decision.kind === 'wait') return idle;
    if (decision.kind === 'grow') {
      const grown = await this.addGroup(tx, intake, loaded);
      await this.intakes.advance(tx, rolloutId, grown.next);
      return { rolloutId, outcome: 'took', taken: 0, groupAdded: grown.groupId, more: true };
    }

    const { room } = decision;
    const fresh = await this.candidates.take(tx, {
      rolloutId,
      filterQuery: intake.targetFilterQuery,
      afterId: intake.newAfterId,
      window: this.limits.newWindow,
      limit: room,
    });
    const taken: GroupMember[] = [...fresh.members];
    let next: IntakeAdvance = { ...intake, newAfterId: nextCursor(fresh, room, intake.newAfterId) };
    if (options.sweep && taken.length < room) {
      const left = room - taken.length;
      // Older targets are looked at again (their attributes may match now), up to where new ones
      // began; at the end the sweep starts over from the lowest id at once.
      const sweepFrom = async (afterId: number) => {
        const window = await this.candidates.take(tx, {
          rolloutId,
          filterQuery: intake.targetFilterQuery,
          afterId,
          upTo: intake.newAfterId,
          window: this.limits.sweepWindow,
          limit: left,
        });
        return { window, afterId };
      };
      let swept = await sweepFrom(intake.sweepAfterId);
      if (swept.window.upTo === undefined && intake.sweepAfterId > 0) swept = await sweepFrom(0);
      taken.push(...swept.window.members);
      next = { ...next, sweepAfterId: nextCursor(swept.window, left, swept.afterId) };
    }

    const groupId = intake.group.groupId;
    if (taken.length > 0) {
      const { slices } = assignChunk([room], { groupIndex: 0, takenInGroup: 0 }, taken, this.limits);
      const events: EventData[] = slices.map((slice, i) => ({
        type: 'RolloutGroupMembersAssigned.v1',
        data: {
          rolloutId,
          groupId,
          chunk: creation.membershipEvents + i,
          members: slice.members,
        } satisfies RolloutGroupMembersAssignedV1,
        metadata,
      }));
      await this.store.appendToStream(membershipStream(rolloutId), events, {
        expectedRevision: creation.membershipEvents === 0 ? 'no_stream' : creation.membershipEvents - 1,
        tx,
      });
      await this.progress.recordMembershipEvents(tx, rolloutId, creation.membershipEvents + events.length);
      await this.members.add(tx, rolloutId, [{ groupId, members: taken }]);
    }
    const after = afterIntake(situation, taken.length);
    next = { ...next, groupMembers: after.members };
    let groupAdded: number | undefined;
    if (after.addGroup) {
      const grown = await this.addGroup(tx, { ...intake, ...next }, loaded);
      next = grown.next;
      groupAdded = grown.groupId;
    } else if (after.full) {
      next = { ...next, ended: true };
    }
    await this.intakes.advance(tx, rolloutId, next);
    return {
      rolloutId,
      outcome: 'took',
      taken: taken.length,
      groupAdded,
      more: !next.ended && (fresh.upTo !== undefined || groupAdded !== undefined),
    };
  }

  /** Appends RolloutGroupAdded.v1 for the dynamic group after the one now full; returns the row's next values. */
  private async addGroup(
    tx: SqlExecutor,
    intake: DynamicIntake,
    loaded: LoadedRollout,
  ): Promise<{ groupId: number; next: IntakeAdvance }> {
    const { rows } = await tx.query<{ id: string }>(`select nextval('${this.intakes.schema}.rollout_group_ids') as id`);
    const groupCount = loaded.state.kind === 'present' ? loaded.state.groupCount : 0;
    const number = intake.dynamicNumber + 1;
    const group = nextDynamicGroup(intake.group, intake.template, number, {
      groupId: Number(rows[0].id),
      index: groupCount + 1,
    });
    await this.rollouts.decide(
      intake.rolloutId,
      { type: 'AddDynamicGroup', data: { rolloutId: intake.rolloutId, group, addedAt: this.clock() } },
      metadata,
      tx,
      loaded,
    );
    return { groupId: group.groupId, next: { ...intake, dynamicNumber: number, group, groupMembers: 0 } };
  }
}
