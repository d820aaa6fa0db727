import type { Pool } from 'pg';
import type { DynamicGroupTemplate, RolloutCreatedV1, RolloutGroupDefinition } from '@fleetwave/contracts';
import { withTransaction } from '@fleetwave/platform';
import { firstDynamicGroup } from '../../domain/dynamic-rollout';
import type { RolloutCommand } from '../../domain/rollout.decider';
import { defaultIntakeLimits, DynamicIntakeStep, type IntakeLimits } from '../dynamic-intake.step';
import { DynamicIntakeStore } from '../dynamic-intake.store';
import { DynamicIntakeWorker } from '../dynamic-intake.worker';
import { RolloutCreationWorker } from '../rollout-creation.worker';
import { CreationFixture } from './creation.fixture';

const policy = {
  confirmationRequired: false,
  successCondition: { condition: 'THRESHOLD' as const, expression: 100 },
  successAction: { action: 'NEXTGROUP' as const },
  errorCondition: { condition: 'THRESHOLD' as const, expression: 100 },
  errorAction: { action: 'PAUSE' as const },
};

/**
 * Test support for dynamic intake on real Postgres: dynamic rollouts recorded as the create
 * command records them (static groups, then the first dynamic group; progress and intake rows in
 * the same transaction), creation driven to ready, lifecycle commands, and intake passes run by
 * hand (no timer, no LISTEN), so a test decides exactly when a pass happens.
 */
export class IntakeFixture extends CreationFixture {
  readonly intakes: DynamicIntakeStore;

  constructor(pool: Pool) {
    super(pool);
    this.intakes = new DynamicIntakeStore(this.schema);
  }

  /**
   * A worker whose passes the test runs (`runPass`), with the group quota and windows given; with
   * `listen`, one that runs as the service's does once started (woken by new-target notifications).
   */
  intakeWorker(
    maxGroupsPerRollout = 500,
    limits: IntakeLimits = defaultIntakeLimits,
    listen = false,
  ): DynamicIntakeWorker {
    const step = new DynamicIntakeStep(
      this.store,
      this.rollouts,
      this.progress,
      this.intakes,
      { maxGroupsPerRollout, maxTargetsPerGroup: 20_000 },
      limits,
    );
    return new DynamicIntakeWorker(this.pool, step, this.intakes, { listen, sweepMs: 60_000 });
  }

  /**
   * Inserts targets `<prefix>-<i>` (i from `from`); returns their ids in order. They are dated a
   * second back, so that a creation right after them (its cutoff in whole milliseconds) has them.
   */
  async addTargets(prefix: string, count: number, from = 1): Promise<number[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into ${this.schema}.targets (controller_id, name, created_at)
       select $1 || '-' || g, $1 || '-' || g, now() - interval '1 second'
       from generate_series($2::int, $2::int + $3::int - 1) g
       order by g returning id`,
      [prefix, from, count],
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * Records a dynamic rollout with `staticGroups` auto-split groups over the filter's targets and
   * the first dynamic group after them, then works its creation until ready.
   */
  async createDynamicRollout(
    rolloutId: number,
    filter: string,
    staticGroups: number,
    template: DynamicGroupTemplate,
  ): Promise<{ created: RolloutCreatedV1; dynamicGroup: RolloutGroupDefinition }> {
    const createdAt = Date.now();
    const totalTargets = staticGroups > 0 ? await this.resolver.count(filter, createdAt) : 0;
    const groups: RolloutGroupDefinition[] = Array.from({ length: staticGroups }, (_, i) => ({
      groupId: rolloutId * 100 + i + 1,
      index: i + 1,
      name: `group-${i + 1}`,
      targetPercentage: 100 / (staticGroups - i),
      ...policy,
    }));
    const dynamicGroup: RolloutGroupDefinition = {
      groupId: rolloutId * 100 + staticGroups + 1,
      index: staticGroups + 1,
      ...firstDynamicGroup(template, filter, policy),
    };
    const created: RolloutCreatedV1 = {
      rolloutId,
      name: `rollout-${rolloutId}`,
      targetFilterQuery: filter,
      distributionSet: { id: 1, name: 'fw', version: '1.0', modules: [] },
      actionType: 'forced',
      weight: 500,
      groups: [...groups, dynamicGroup],
      createdAt,
      createdBy: 'test',
      dynamic: template,
    };
    await withTransaction(this.pool, async (tx) => {
      await this.rollouts.handle(rolloutId, { type: 'CreateRollout', data: created }, { actor: 'test' }, tx);
      await this.progress.register(tx, {
        rolloutId,
        targetFilterQuery: filter,
        cutoff: createdAt,
        groupIds: groups.map((g) => g.groupId),
        totalTargets,
      });
      await this.intakes.register(tx, {
        rolloutId,
        targetFilterQuery: filter,
        template,
        group: dynamicGroup,
        fromStart: staticGroups === 0,
      });
    });
    const creation = new RolloutCreationWorker(this.pool, this.step(), this.progress);
    while (await creation.runOnce());
    return { created, dynamicGroup };
  }

  /** Sends a lifecycle command as an operator would. */
  async command(rolloutId: number, type: 'start' | 'pause' | 'resume' | 'stop'): Promise<void> {
    const at = Date.now();
    const commands: Record<typeof type, RolloutCommand> = {
      start: { type: 'StartRollout', data: { rolloutId, startedAt: at, startedBy: 'op' } },
      pause: { type: 'PauseRollout', data: { rolloutId, pausedAt: at, pausedBy: 'op', cause: 'MANUAL' } },
      resume: { type: 'ResumeRollout', data: { rolloutId, resumedAt: at, resumedBy: 'op' } },
      stop: { type: 'StopRollout', data: { rolloutId, requestedAt: at, requestedBy: 'op' } },
    };
    await this.rollouts.handle(rolloutId, commands[type], { actor: 'op' });
  }

  /** Member rows of a rollout as (group, target) in target order, with the transaction that wrote each. */
  async memberRows(rolloutId: number): Promise<{ groupId: number; targetId: number; txId: string }[]> {
    const { rows } = await this.pool.query<{ group_id: string; target_id: string; tx_id: string }>(
      `select group_id, target_id, xmin::text as tx_id from ${this.schema}.rollout_members
       where rollout_id = $1 order by target_id`,
      [rolloutId],
    );
    return rows.map((r) => ({ groupId: Number(r.group_id), targetId: Number(r.target_id), txId: r.tx_id }));
  }
}
