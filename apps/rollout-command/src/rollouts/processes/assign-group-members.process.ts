import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventData, GroupMember, RecordedEvent, RolloutCreatedV1 } from '@fleetwave/contracts';
import type { EventStore, SqlExecutor } from '@fleetwave/event-store';
import { EVENT_STORE } from '../../shared/tokens';
import { autoSplitGroupSizes } from '../domain/group-split';
import { membershipStream, RolloutRepository } from '../rollout.repository';
import { TargetResolver } from './target-resolver';

const CHUNK = 1_000;

/**
 * Second half of rollout creation, run from the store subscription on RolloutCreated: resolves
 * the targets, writes group membership in chunks to the membership stream and marks the rollout
 * ready — all in the subscription's transaction, so a crash redoes it whole or not at all.
 */
@Injectable()
export class AssignGroupMembersProcess {
  private readonly logger = new Logger(AssignGroupMembersProcess.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly resolver: TargetResolver,
    private readonly rollouts: RolloutRepository,
  ) {}

  async handle(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const event of events) {
      if (event.type === 'RolloutCreated.v1') await this.assign(event.data as RolloutCreatedV1, tx);
    }
  }

  private async assign(rollout: RolloutCreatedV1, tx: SqlExecutor): Promise<void> {
    const total = await this.resolver.count(rollout.targetFilterQuery, rollout.createdAt, tx);
    const sizes = autoSplitGroupSizes(total, rollout.groups.length);
    let groupIndex = 0;
    let takenInGroup = 0;
    let chunk = 0;
    let revision: number | undefined;
    const pending = new Map<number, GroupMember[]>();

    const flush = async (groupId: number): Promise<void> => {
      const members = pending.get(groupId);
      if (!members?.length) return;
      const event: EventData = {
        type: 'RolloutGroupMembersAssigned.v1',
        data: { rolloutId: rollout.rolloutId, groupId, chunk: chunk++, members },
      };
      const result = await this.store.appendToStream(membershipStream(rollout.rolloutId), [event], {
        expectedRevision: revision ?? 'no_stream',
        tx,
      });
      revision = result.nextExpectedRevision;
      pending.set(groupId, []);
    };

    for await (const batch of this.resolver.members(rollout.targetFilterQuery, rollout.createdAt, tx, CHUNK)) {
      for (const member of batch) {
        while (groupIndex < sizes.length && takenInGroup >= sizes[groupIndex]) {
          await flush(rollout.groups[groupIndex].groupId);
          groupIndex++;
          takenInGroup = 0;
        }
        if (groupIndex >= sizes.length) break;
        const groupId = rollout.groups[groupIndex].groupId;
        const list = pending.get(groupId) ?? [];
        list.push(member);
        pending.set(groupId, list);
        takenInGroup++;
        if (list.length >= CHUNK) await flush(groupId);
      }
    }
    for (const group of rollout.groups) await flush(group.groupId);

    await this.rollouts.handle(
      rollout.rolloutId,
      {
        type: 'MarkRolloutReady',
        data: {
          rolloutId: rollout.rolloutId,
          totalTargets: total,
          groups: rollout.groups.map((g, i) => ({ groupId: g.groupId, totalTargets: sizes[i] })),
        },
      },
      { actor: 'rollout-command' },
      tx,
    );
    this.logger.log(`rollout ${rollout.rolloutId} ready: ${total} targets in ${sizes.join('/')}`);
  }
}
