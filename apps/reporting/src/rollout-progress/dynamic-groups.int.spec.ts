import type { Pool } from 'pg';
import { createPool, migrateSchema } from '@fleetwave/platform';
import { testDatabaseUrl } from '@fleetwave/testing';
import { REPORTING_SCHEMA as S, reportingMigration } from './rollout-progress.migration';
import { RolloutProgressProjection } from './rollout-progress.projection';
import { createdAndReady, freshId, groupStarted, item, progressReader } from './testing/progress-events.fixture';

const chunk = (rolloutId: number, groupId: number, size: number) =>
  item('RolloutGroupMembersAssigned.v1', {
    rolloutId,
    groupId,
    chunk: 0,
    members: Array.from({ length: size }, (_, i) => ({ targetId: groupId * 100 + i, controllerId: `dev-${i}` })),
  });

const groupAdded = (rolloutId: number, groupId: number, index: number) =>
  item('RolloutGroupAdded.v1', {
    rolloutId,
    group: {
      groupId,
      index,
      name: `dyn-${index}`,
      targetPercentage: 100,
      confirmationRequired: false,
      successCondition: { condition: 'THRESHOLD', expression: 50 },
      successAction: { action: 'NEXTGROUP' },
      errorCondition: { condition: 'THRESHOLD', expression: 50 },
      errorAction: { action: 'PAUSE' },
      dynamic: { capacity: 3 },
    },
    addedAt: 9_000,
  });

describe('dynamic rollouts in the progress projection (batch handler on Postgres)', () => {
  let pool: Pool;
  const projection = new RolloutProgressProjection(() => 1_500);
  let reader: ReturnType<typeof progressReader>;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-dynamic-test', 4);
    await migrateSchema(pool, reportingMigration);
    reader = progressReader(pool, projection);
  });
  afterAll(() => pool.end());

  async function totals(rolloutId: number) {
    const rollout = await pool.query<{ status: string; total_targets: number; total_groups: number }>(
      `select status, total_targets, total_groups from ${S}.rollout_views where id = $1`,
      [rolloutId],
    );
    const groups = await pool.query<{ name: string; index: number; total_targets: number }>(
      `select name, index, total_targets from ${S}.rollout_group_views where rollout_id = $1 order by index`,
      [rolloutId],
    );
    return { ...rollout.rows[0], groups: groups.rows.map((g) => [g.index, g.name, g.total_targets]) };
  }

  it('grows totals with members taken in after ready, and adds each new group once', async () => {
    const r = freshId();
    const [g1, g2, g3] = [r + 1, r + 2, r + 3];
    const [created, ready] = createdAndReady(r, [2, 1]);
    // Chunks before ready are in its totals; the one after it (same batch) grows them.
    const first = await reader.apply([
      created,
      chunk(r, g1, 2),
      chunk(r, g2, 1),
      ready,
      chunk(r, g2, 1),
      item('RolloutStarted.v1', { rolloutId: r, startedAt: 2_000, startedBy: 'tester' }),
      groupStarted(r, g1),
    ]);
    expect(first && first.ignored).toHaveLength(2);
    expect(await totals(r)).toEqual({
      status: 'running',
      total_targets: 4,
      total_groups: 2,
      groups: [
        [1, 'g1', 2],
        [2, 'g2', 2],
      ],
    });

    // Later batches: the dynamic group fills up, the next one is added and takes in members.
    await reader.apply([chunk(r, g2, 1), groupAdded(r, g3, 3), chunk(r, g3, 2)]);
    // The same facts delivered again (new message ids) add no second group.
    await reader.apply([groupAdded(r, g3, 3)]);
    expect(await totals(r)).toEqual({
      status: 'running',
      total_targets: 7,
      total_groups: 3,
      groups: [
        [1, 'g1', 2],
        [2, 'g2', 3],
        [3, 'dyn-3', 2],
      ],
    });
  });

  it('leaves totals to the ready event when the members come in a batch before it', async () => {
    const r = freshId();
    const [created, ready] = createdAndReady(r, [3]);
    await reader.apply([created, chunk(r, r + 1, 3)]);
    await reader.apply([ready]);
    expect(await totals(r)).toEqual({ status: 'ready', total_targets: 3, total_groups: 1, groups: [[1, 'g1', 3]] });
  });
});
