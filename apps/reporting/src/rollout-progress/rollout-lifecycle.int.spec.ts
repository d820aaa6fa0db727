import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { createPool, migrateSchema } from '@fleetwave/platform';
import { testDatabaseUrl } from '@fleetwave/testing';
import { reportingMigration } from './rollout-progress.migration';
import { RolloutProgressProjection } from './rollout-progress.projection';
import {
  GroupActionCounts,
  RolloutGroupReadModel,
  RolloutReadModel,
  readModelEntities,
} from '../rollout-queries/read-model.entities';
import { RolloutQueries } from '../rollout-queries/rollout.queries';
import { NotFoundInReadModel } from '../rollout-queries/not-found';
import {
  createdAndReady,
  freshId,
  groupFinished,
  groupStarted,
  item,
  moved,
  progressReader,
  rolloutEvents,
  scheduled,
} from './testing/progress-events.fixture';

/**
 * The rollout lifecycle beyond start and finish, projected on Postgres and read through the query
 * handlers the internal gRPC API serves (views; hawkBit's JSON of them is the gateway's).
 */
describe('rollout lifecycle projection', () => {
  let pool: Pool;
  let db: DataSource;
  let api: RolloutQueries;
  const projection = new RolloutProgressProjection(() => 1_500);
  let reader: ReturnType<typeof progressReader>;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-lifecycle-test', 4);
    await migrateSchema(pool, reportingMigration);
    reader = progressReader(pool, projection);
    db = new DataSource({ type: 'postgres', url: testDatabaseUrl(), entities: readModelEntities });
    await db.initialize();
    api = new RolloutQueries(
      db.getRepository(RolloutReadModel),
      db.getRepository(RolloutGroupReadModel),
      db.getRepository(GroupActionCounts),
    );
  });
  afterAll(async () => {
    await db?.destroy();
    await pool?.end();
  });

  it('shows starting until a group starts, then paused and running again with who did it', async () => {
    const r = freshId();
    const g1 = r + 1;
    await reader.apply(rolloutEvents(r, [2, 2]));
    expect(await api.get(r)).toMatchObject({ status: 'starting', lastModifiedAt: 2_000, lastModifiedBy: 'tester' });
    await reader.apply([groupStarted(r, g1)]);
    expect((await api.get(r)).status).toBe('running');

    await reader.apply([item('RolloutPaused.v1', { rolloutId: r, pausedAt: 6_000, pausedBy: 'ann', cause: 'MANUAL' })]);
    expect(await api.get(r)).toMatchObject({ status: 'paused', lastModifiedAt: 6_000, lastModifiedBy: 'ann' });
    await reader.apply([
      item('RolloutResumed.v1', { rolloutId: r, resumedAt: 7_000, resumedBy: 'bob' }),
      item('RolloutNextGroupTriggered.v1', { rolloutId: r, triggeredAt: 8_000, triggeredBy: 'cy' }),
    ]);
    expect(await api.get(r)).toMatchObject({ status: 'running', lastModifiedAt: 8_000, lastModifiedBy: 'cy' });
  });

  it('keeps a failed group in error, even once it finishes, while the rollout pauses', async () => {
    const r = freshId();
    const [g1, g2] = [r + 1, r + 2];
    await reader.apply(rolloutEvents(r, [2, 2]));
    await reader.apply([
      scheduled(r, g1, 2),
      scheduled(r, g2, 2),
      ...moved(r, g1, 2, 'scheduled', 'running'),
      ...moved(r, g1, 2, 'running', 'error'),
    ]);
    await reader.apply([
      groupStarted(r, g1),
      item('RolloutGroupFailed.v1', {
        rolloutId: r,
        groupId: g1,
        index: 1,
        failedAt: 3_500,
        condition: { condition: 'THRESHOLD', expression: 50 },
        total: 2,
        finished: 0,
        error: 2,
        cancelled: 0,
      }),
    ]);
    await reader.apply([
      item('RolloutPaused.v1', {
        rolloutId: r,
        pausedAt: 3_600,
        pausedBy: 'gw',
        cause: 'ERROR_CONDITION',
        groupId: g1,
      }),
    ]);
    const groups = await api.listGroups(r, { offset: 0, limit: 50 });
    expect(groups.content.map((g) => [g.id, g.status])).toEqual([
      [g1, 'error'],
      [g2, 'scheduled'],
    ]);
    expect((await api.get(r)).status).toBe('paused');
    await reader.apply([groupFinished(r, g1)]);
    expect(await reader.groupStatus(g1)).toBe('error');
  });

  it('shows stopped only once every group finished and every action is final', async () => {
    const r = freshId();
    const [g1, g2] = [r + 1, r + 2];
    await reader.apply(rolloutEvents(r, [3, 2]));
    await reader.apply([scheduled(r, g1, 3), scheduled(r, g2, 2), ...moved(r, g1, 3, 'scheduled', 'running')]);
    await reader.apply([groupStarted(r, g1)]);
    await reader.apply([item('RolloutStopping.v1', { rolloutId: r, requestedAt: 6_000, requestedBy: 'ann' })]);
    expect(await api.get(r)).toMatchObject({ status: 'stopping', lastModifiedAt: 6_000 });

    // The group and rollout topics run ahead of the cancellations on the action topic.
    await reader.apply([groupFinished(r, g2, 6_100), groupFinished(r, g1, 6_200)]);
    await reader.apply([item('RolloutStopped.v1', { rolloutId: r, stoppedAt: 7_000 }, { actor: 'rollout-command' })]);
    expect(await api.get(r)).toMatchObject({ status: 'stopping', lastModifiedAt: 6_000, lastModifiedBy: 'ann' });
    await reader.apply([...moved(r, g1, 3, 'running', 'canceling'), ...moved(r, g2, 2, 'scheduled', 'canceled')]);
    expect((await api.get(r)).status).toBe('stopping');

    await reader.apply([...moved(r, g1, 2, 'canceling', 'canceled'), ...moved(r, g1, 1, 'canceling', 'finished')]);
    expect(await api.get(r)).toMatchObject({
      status: 'stopped',
      lastModifiedAt: 7_000,
      lastModifiedBy: 'rollout-command',
      totalTargetsPerStatus: { cancelled: 4, finished: 1, running: 0, scheduled: 0, notstarted: 0 },
    });
    expect([await reader.groupStatus(g1), await reader.groupStatus(g2)]).toEqual(['finished', 'finished']);
  });

  it('takes settled actions as adding up for targets that never got an action, and stops a never-started rollout at once', async () => {
    const r = freshId();
    const g1 = r + 1;
    await reader.apply(rolloutEvents(r, [4]));
    await reader.apply([scheduled(r, g1, 2), ...moved(r, g1, 2, 'scheduled', 'canceled')]);
    await reader.apply([groupStarted(r, g1), groupFinished(r, g1)]);
    await reader.apply([
      item('RolloutStopping.v1', { rolloutId: r, requestedAt: 6_000, requestedBy: 'ann' }),
      item('RolloutStopped.v1', { rolloutId: r, stoppedAt: 7_000 }),
    ]);
    expect((await api.get(r)).status).toBe('stopping');
    await reader.apply([item('RolloutActionsSettled.v1', { rolloutId: r, reason: 'STOPPED', settledAt: 6_900 })]);
    expect(await api.get(r)).toMatchObject({ status: 'stopped', totalTargetsPerStatus: { notstarted: 2 } });
    expect(await reader.groupStatus(g1)).toBe('finished');

    const never = freshId();
    await reader.apply([
      ...createdAndReady(never, [1]),
      item('RolloutStopped.v1', { rolloutId: never, stoppedAt: 3_000 }),
    ]);
    expect(await api.get(never)).toMatchObject({ status: 'stopped', lastModifiedAt: 3_000 });
  });

  it('soft-deletes a started rollout once its actions are final', async () => {
    const r = freshId();
    const g1 = r + 1;
    await reader.apply(rolloutEvents(r, [1]));
    await reader.apply([scheduled(r, g1, 1), ...moved(r, g1, 1, 'scheduled', 'running')]);
    await reader.apply([groupStarted(r, g1)]);
    await reader.apply([item('RolloutDeleting.v1', { rolloutId: r, requestedAt: 6_000, requestedBy: 'ann' })]);
    expect(await api.get(r)).toMatchObject({ status: 'deleting', lastModifiedAt: 6_000 });
    await reader.apply([groupFinished(r, g1)]);
    await reader.apply([item('RolloutDeleted.v1', { rolloutId: r, deletedAt: 7_000 })]);
    expect((await api.get(r)).status).toBe('deleting');
    await reader.apply(moved(r, g1, 1, 'running', 'canceled'));
    expect(await api.get(r)).toMatchObject({ status: 'deleted', lastModifiedAt: 7_000 });
  });

  it('forgets a removed rollout: its rollout and groups answer not found', async () => {
    const r = freshId();
    await reader.apply(createdAndReady(r, [1, 1]));
    expect((await api.get(r)).status).toBe('ready');
    await reader.apply([item('RolloutRemoved.v1', { rolloutId: r, removedAt: 3_000, removedBy: 'ann' })]);
    await expect(api.get(r)).rejects.toBeInstanceOf(NotFoundInReadModel);
    await expect(api.getGroup(r, r + 1)).rejects.toBeInstanceOf(NotFoundInReadModel);
    await expect(api.listGroups(r, { offset: 0, limit: 50 })).rejects.toBeInstanceOf(NotFoundInReadModel);
    const { rows } = await pool.query(`select 1 from reporting.rollout_groups where rollout_id = $1`, [r]);
    expect(rows).toEqual([]);
  });

  it('shows the approval decision and an updated name and description', async () => {
    const r = freshId();
    await reader.apply([
      ...createdAndReady(r, [1]),
      item('RolloutApprovalRequested.v1', { rolloutId: r, requestedAt: 1_200 }, { actor: 'rollout-command' }),
    ]);
    expect(await api.get(r)).toMatchObject({ status: 'waiting_for_approval', lastModifiedAt: 1_500 });
    await reader.apply([
      item('RolloutApproved.v1', { rolloutId: r, approvedAt: 3_000, approvedBy: 'boss', remark: 'go ahead' }),
      item('RolloutUpdated.v1', {
        rolloutId: r,
        name: 'renamed',
        description: 'new words',
        updatedAt: 4_000,
        updatedBy: 'ann',
      }),
    ]);
    expect(await api.get(r)).toMatchObject({
      status: 'ready',
      name: 'renamed',
      description: 'new words',
      approvalDecidedBy: 'boss',
      approvalRemark: 'go ahead',
      lastModifiedAt: 4_000,
      lastModifiedBy: 'ann',
    });
    // An update without a description keeps the stored one.
    await reader.apply([
      item('RolloutUpdated.v1', { rolloutId: r, name: 'again', updatedAt: 5_000, updatedBy: 'ann' }),
    ]);
    expect(await api.get(r)).toMatchObject({ name: 'again', description: 'new words' });

    const denied = freshId();
    await reader.apply([
      ...createdAndReady(denied, [1]),
      item('RolloutApprovalRequested.v1', { rolloutId: denied, requestedAt: 1_200 }),
      item('RolloutDenied.v1', { rolloutId: denied, deniedAt: 3_000, deniedBy: 'boss', remark: 'no' }),
    ]);
    expect(await api.get(denied)).toMatchObject({
      status: 'approval_denied',
      approvalRemark: 'no',
      lastModifiedBy: 'boss',
    });
  });
});
