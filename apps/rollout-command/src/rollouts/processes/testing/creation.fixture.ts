import type { Pool } from 'pg';
import type {
  GroupMember,
  RolloutCreatedV1,
  RolloutGroupDefinition,
  RolloutGroupMembersAssignedV1,
} from '@fleetwave/contracts';
import { PostgresEventStore } from '@fleetwave/event-store';
import { migrateSchema, withTransaction } from '@fleetwave/platform';
import { uniqueName } from '@fleetwave/testing';
import { inventoryMigrationFor } from '../../../inventory/inventory.migration';
import { membershipStream, rolloutStream, RolloutRepository } from '../../rollout.repository';
import { rolloutsMigrationFor } from '../../rollouts.migration';
import { CreationChunkStep, defaultChunkLimits, type ChunkLimits } from '../creation-chunk.step';
import { CreationProgressStore } from '../creation-progress.store';
import { TargetResolver } from '../target-resolver';
import { ExplicitGroupResolver, type PlannedGroup } from '../explicit-group-resolver';
import { planExplicitGroups, type GroupCut } from '../../domain/explicit-group-split';

/**
 * Test support for rollout creation on real Postgres: a fresh schema holding both the event
 * store and the inventory, seeded targets, and the creation parts wired as the app wires them.
 */
export class CreationFixture {
  readonly schema = uniqueName('creation');
  readonly store: PostgresEventStore;
  readonly resolver: TargetResolver;
  readonly rollouts: RolloutRepository;
  readonly progress: CreationProgressStore;

  constructor(readonly pool: Pool) {
    this.store = new PostgresEventStore(pool, this.schema, {
      logger: { warn: () => undefined, error: () => undefined },
    });
    this.resolver = new TargetResolver(pool, this.schema);
    this.rollouts = new RolloutRepository(this.store);
    this.progress = new CreationProgressStore(this.schema);
  }

  async migrate(): Promise<void> {
    await this.store.migrate();
    await migrateSchema(this.pool, inventoryMigrationFor(this.schema));
    await migrateSchema(this.pool, rolloutsMigrationFor(this.schema));
  }

  dispose(): Promise<unknown> {
    return this.pool.query(`drop schema if exists ${this.schema} cascade`);
  }

  /**
   * A fresh step, as a restarted process would build it; `window`: how many ids one window of a
   * page looks at, and how long a page goes on to further windows.
   */
  step(limits: ChunkLimits = defaultChunkLimits, window?: { span: number; budgetMs: number }): CreationChunkStep {
    if (window === undefined)
      return new CreationChunkStep(this.store, this.resolver, this.rollouts, this.progress, limits);
    const resolver = new TargetResolver(this.pool, this.schema, window.span, window.budgetMs);
    const explicit = new ExplicitGroupResolver(this.schema, window.span, window.budgetMs);
    return new CreationChunkStep(this.store, resolver, this.rollouts, this.progress, limits, Date.now, explicit);
  }

  /**
   * Seeds `n` targets named `<prefix>-<i>`: every 7th is named otherwise (the filter misses it),
   * every 10th is created after the cutoff. Returns the ids a rollout over `name==<prefix>-*` takes.
   */
  async seedTargets(prefix: string, n: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ id: string; in_set: boolean }>(
      `insert into ${this.schema}.targets (controller_id, name, created_at)
       select $1 || '-dev-' || g, case when g % 7 = 0 then 'other-' || g else $1 || '-' || g end,
              case when g % 10 = 0 then now() + interval '1 hour' else now() - interval '1 hour' end
       from generate_series(1, $2::int) g
       returning id, name like $1 || '-%' and created_at < now() as in_set`,
      [prefix, n],
    );
    return rows.filter((r) => r.in_set).map((r) => Number(r.id));
  }

  /** Records RolloutCreated and the creation's progress row in one transaction, as the command does. */
  async createRollout(rolloutId: number, filter: string, groupCount: number): Promise<{ totalTargets: number }> {
    const createdAt = Date.now();
    const totalTargets = await this.resolver.count(filter, createdAt);
    const groups = Array.from({ length: groupCount }, (_, i) =>
      groupDefinition(rolloutId, i, { targetPercentage: 100 / (groupCount - i) }),
    );
    await this.record(created(rolloutId, filter, groups, createdAt), totalTargets);
    return { totalTargets };
  }

  /**
   * An explicit split planned as the create command plans it (counts and cuts on the targets),
   * recorded with RolloutCreated in one transaction. Returns the planned cuts.
   */
  async createExplicitRollout(
    rolloutId: number,
    filter: string,
    groups: { filter: string | null; percentage: number }[],
  ): Promise<{ totalTargets: number; cuts: GroupCut[] }> {
    const createdAt = Date.now();
    const totalTargets = await this.resolver.count(filter, createdAt);
    const explicit = new ExplicitGroupResolver(this.schema);
    const cuts = await planExplicitGroups(
      groups.map((g) => g.percentage),
      explicit.remaining(
        this.pool,
        filter,
        createdAt,
        groups.map((g) => g.filter),
      ),
    );
    const definitions = groups.map((g, i) =>
      groupDefinition(rolloutId, i, { targetFilterQuery: g.filter ?? undefined, targetPercentage: g.percentage }),
    );
    await this.record(
      created(rolloutId, filter, definitions, createdAt),
      totalTargets,
      cuts.map((cut, i) => ({ filter: groups[i].filter, lastTargetId: cut.lastTargetId })),
    );
    return { totalTargets, cuts };
  }

  /** RolloutCreated and the creation's progress row, in one transaction. */
  private async record(event: RolloutCreatedV1, totalTargets: number, groupPlan?: PlannedGroup[]): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      await this.rollouts.handle(event.rolloutId, { type: 'CreateRollout', data: event }, { actor: 'test' }, tx);
      await this.progress.register(tx, {
        rolloutId: event.rolloutId,
        targetFilterQuery: event.targetFilterQuery,
        cutoff: event.createdAt,
        groupIds: event.groups.map((g) => g.groupId),
        totalTargets,
        ...(groupPlan ? { groupPlan } : {}),
      });
    });
  }

  /** The membership events of a rollout with the transaction that wrote each and its JSON size. */
  async membership(
    rolloutId: number,
  ): Promise<{ txId: string; revision: number; bytes: number; data: RolloutGroupMembersAssignedV1 }[]> {
    const { rows } = await this.pool.query<{ tx_id: string; revision: number; bytes: number; data: never }>(
      `select tx_id::text, revision, octet_length(data::text) as bytes, data from ${this.schema}.events
       where stream_name = $1 order by revision`,
      [membershipStream(rolloutId)],
    );
    return rows.map((r) => ({ txId: r.tx_id, revision: r.revision, bytes: r.bytes, data: r.data }));
  }

  /** Rollout stream events with the transaction that wrote each. */
  async rolloutEvents(rolloutId: number): Promise<{ txId: string; type: string; data: never }[]> {
    const { rows } = await this.pool.query<{ tx_id: string; type: string; data: never }>(
      `select tx_id::text, type, data from ${this.schema}.events where stream_name = $1 order by revision`,
      [rolloutStream(rolloutId)],
    );
    return rows.map((r) => ({ txId: r.tx_id, type: r.type, data: r.data }));
  }
}

/** Members per group id, in event order. */
export function membersByGroup(events: { data: RolloutGroupMembersAssignedV1 }[]): Map<number, GroupMember[]> {
  const groups = new Map<number, GroupMember[]>();
  for (const { data } of events) {
    const members = groups.get(data.groupId) ?? [];
    members.push(...data.members);
    groups.set(data.groupId, members);
  }
  return groups;
}

/** Group `i` (0-based) of a test rollout: ids `<rolloutId>01`, …, thresholds at 100. */
function groupDefinition(
  rolloutId: number,
  i: number,
  own: Pick<RolloutGroupDefinition, 'targetPercentage'> & Partial<RolloutGroupDefinition>,
): RolloutGroupDefinition {
  return {
    groupId: rolloutId * 100 + i + 1,
    index: i + 1,
    name: `group-${i + 1}`,
    confirmationRequired: false,
    successCondition: { condition: 'THRESHOLD', expression: 100 },
    successAction: { action: 'NEXTGROUP' },
    errorCondition: { condition: 'THRESHOLD', expression: 100 },
    errorAction: { action: 'PAUSE' },
    ...own,
  };
}

/** RolloutCreated.v1 of a test rollout over `filter`. */
function created(
  rolloutId: number,
  filter: string,
  groups: RolloutGroupDefinition[],
  createdAt: number,
): RolloutCreatedV1 {
  return {
    rolloutId,
    name: `rollout-${rolloutId}`,
    targetFilterQuery: filter,
    distributionSet: { id: 1, name: 'fw', version: '1.0', modules: [] },
    actionType: 'forced',
    weight: 500,
    groups,
    createdAt,
    createdBy: 'test',
  };
}
