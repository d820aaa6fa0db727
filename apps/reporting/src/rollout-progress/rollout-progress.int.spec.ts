import type { Pool } from 'pg';
import { createPool, migrateSchema } from '@fleetwave/platform';
import { testDatabaseUrl } from '@fleetwave/testing';
import { REPORTING_SCHEMA as S, reportingMigration } from './rollout-progress.migration';
import { RolloutProgressProjection } from './rollout-progress.projection';
import { DataSource } from 'typeorm';
import { RolloutGroupReadModel, RolloutReadModel, readModelEntities } from '../rollout-queries/read-model.entities';
import {
  freshId,
  groupFinished,
  groupStarted,
  moved,
  progressReader,
  rolloutEvents,
  rolloutFinished,
  scheduled,
} from './testing/progress-events.fixture';

describe('rollout progress projection (batch handler on Postgres)', () => {
  let pool: Pool;
  const projection = new RolloutProgressProjection(() => 1_500);
  let reader: ReturnType<typeof progressReader>;
  const apply: ReturnType<typeof progressReader>['apply'] = (items) => reader.apply(items);
  const rolloutStatus = (id: number) => reader.rolloutStatus(id);
  const groupStatus = (id: number) => reader.groupStatus(id);
  const counts = (groupId: number) => reader.counts(groupId);

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-projection-test', 4);
    await migrateSchema(pool, reportingMigration);
    reader = progressReader(pool, projection);
  });
  afterAll(() => pool.end());

  it('counts exactly when one batch carries many status changes for several groups', async () => {
    const r = freshId();
    const d = freshId();
    const [g1, g2, g3, dg] = [r + 1, r + 2, r + 3, d + 1];
    await apply([...rolloutEvents(r, [40, 30, 20]), ...rolloutEvents(d, [10], 'downloadonly')]);
    const result = await apply([
      scheduled(r, g1, 25),
      scheduled(r, g1, 15),
      scheduled(r, g2, 30),
      scheduled(r, g3, 20),
      scheduled(d, dg, 10),
      ...moved(r, g1, 40, 'scheduled', 'running'),
      ...moved(r, g1, 10, 'running', 'retrieved'),
      ...moved(r, g1, 25, 'running', 'finished'),
      ...moved(r, g1, 5, 'running', 'error'),
      ...moved(r, g2, 30, 'scheduled', 'running'),
      ...moved(r, g2, 12, 'running', 'downloaded'),
      ...moved(r, g2, 3, 'running', 'canceled'),
      ...moved(r, g3, 4, 'scheduled', 'canceled'),
      ...moved(d, dg, 10, 'scheduled', 'running'),
      ...moved(d, dg, 6, 'running', 'downloaded'),
    ]);
    // Changes within one bucket are reported as having no effect.
    expect(result && result.ignored).toHaveLength(10 + 12);
    await apply([...moved(r, g1, 10, 'retrieved', 'finished'), ...moved(r, g2, 2, 'running', 'error')]);

    expect(await counts(g1)).toEqual({ scheduled: 0, running: 0, finished: 35, error: 5, cancelled: 0 });
    expect(await counts(g2)).toEqual({ scheduled: 0, running: 25, finished: 0, error: 2, cancelled: 3 });
    expect(await counts(g3)).toEqual({ scheduled: 16, running: 0, finished: 0, error: 0, cancelled: 4 });
    // For a download-only rollout, downloaded counts as finished.
    expect(await counts(dg)).toEqual({ scheduled: 0, running: 4, finished: 6, error: 0, cancelled: 0 });
    // Started, but no group start projected yet.
    expect(await rolloutStatus(r)).toBe('starting');
    expect(await groupStatus(g3)).toBe('scheduled');
  });

  it('shows running after a group or rollout finish that overtook the last action deltas, then finished', async () => {
    const r = freshId();
    const [g1, g2] = [r + 1, r + 2];
    await apply(rolloutEvents(r, [10, 5]));
    await apply([
      scheduled(r, g1, 10),
      scheduled(r, g2, 5),
      ...moved(r, g1, 10, 'scheduled', 'running'),
      ...moved(r, g1, 7, 'running', 'finished'),
    ]);
    // The group topic and the rollout topic run ahead of the action topic.
    await apply([groupStarted(r, g1), groupFinished(r, g1), groupStarted(r, g2), groupFinished(r, g2)]);
    await apply([rolloutFinished(r)]);
    expect(await groupStatus(g1)).toBe('running');
    expect(await groupStatus(g2)).toBe('running');
    expect(await rolloutStatus(r)).toBe('running');

    await apply([...moved(r, g1, 2, 'running', 'finished'), ...moved(r, g1, 1, 'running', 'error')]);
    expect(await groupStatus(g1)).toBe('finished');
    expect(await groupStatus(g2)).toBe('running');
    expect(await rolloutStatus(r)).toBe('running');

    await apply([...moved(r, g2, 5, 'scheduled', 'running'), ...moved(r, g2, 5, 'running', 'finished')]);
    expect(await groupStatus(g2)).toBe('finished');
    expect(await rolloutStatus(r)).toBe('finished');
  });

  it('keeps a finished rollout running until the finish of each of its groups is projected', async () => {
    const r = freshId();
    const g1 = r + 1;
    await apply(rolloutEvents(r, [3]));
    await apply([
      scheduled(r, g1, 3),
      ...moved(r, g1, 3, 'scheduled', 'running'),
      ...moved(r, g1, 3, 'running', 'finished'),
    ]);
    await apply([rolloutFinished(r)]);
    expect(await rolloutStatus(r)).toBe('running');
    await apply([groupStarted(r, g1), groupFinished(r, g1)]);
    expect(await groupStatus(g1)).toBe('finished');
    expect(await rolloutStatus(r)).toBe('finished');
  });

  it('shows finished when the last deltas and the rollout finish commit in concurrent transactions', async () => {
    const r = freshId();
    const g1 = r + 1;
    await apply(rolloutEvents(r, [4]));
    await apply([
      scheduled(r, g1, 4),
      ...moved(r, g1, 4, 'scheduled', 'running'),
      ...moved(r, g1, 3, 'running', 'finished'),
    ]);
    await apply([groupStarted(r, g1), groupFinished(r, g1)]);
    // Two partitions of different topics in flight at once; neither transaction sees the other's
    // write, so neither could decide alone that the rollout is now finished.
    const actions = await pool.connect();
    const rollouts = await pool.connect();
    try {
      await actions.query('begin');
      await rollouts.query('begin');
      await projection.handleBatch(moved(r, g1, 1, 'running', 'finished'), { topic: 'a', partition: 0, tx: actions });
      await projection.handleBatch([rolloutFinished(r)], { topic: 'r', partition: 0, tx: rollouts });
      await rollouts.query('commit');
      expect(await rolloutStatus(r)).toBe('running');
      await actions.query('commit');
    } finally {
      actions.release();
      rollouts.release();
    }
    expect(await counts(g1)).toEqual({ scheduled: 0, running: 0, finished: 4, error: 0, cancelled: 0 });
    expect(await groupStatus(g1)).toBe('finished');
    expect(await rolloutStatus(r)).toBe('finished');
  });

  // One rollout's lifecycle events keep their order on their partition and the consumer drops
  // redeliveries; facts of the other topics commute, so the group events may come in any order.
  it('changes nothing when lifecycle events are applied again, group facts in any order', async () => {
    const r = freshId();
    const g1 = r + 1;
    const lifecycle = () => [...rolloutEvents(r, [2]), groupStarted(r, g1), groupFinished(r, g1), rolloutFinished(r)];
    // The group topic ahead of the rollout topic: its facts wait for the definition.
    await apply([groupStarted(r, g1)]);
    await apply(rolloutEvents(r, [2]));
    expect(await groupStatus(g1)).toBe('running');
    await apply([
      scheduled(r, g1, 2),
      ...moved(r, g1, 2, 'scheduled', 'running'),
      ...moved(r, g1, 2, 'running', 'error'),
    ]);
    await apply(lifecycle());

    const snapshot = async () => ({
      rollout: (await pool.query(`select * from ${S}.rollout_views where id = $1`, [r])).rows,
      groups: (await pool.query(`select * from ${S}.rollout_group_views where rollout_id = $1`, [r])).rows,
      counts: await counts(g1),
    });
    const before = await snapshot();
    expect(before.rollout[0]).toMatchObject({ status: 'finished', total_targets: 2, last_modified_at: '5000' });
    expect(before.groups).toHaveLength(1);
    expect(before.groups[0]).toMatchObject({ status: 'finished', total_targets: 2, last_modified_at: '4000' });

    await apply(lifecycle());
    await apply([groupFinished(r, g1, 4_500), groupStarted(r, g1, 1_900)]);
    expect(await snapshot()).toEqual(before);
    expect(before.counts).toEqual({ scheduled: 0, running: 0, finished: 0, error: 2, cancelled: 0 });
  });

  it('serves the derived status through the read-model entities the query API uses', async () => {
    const r = freshId();
    const g1 = r + 1;
    await apply([...rolloutEvents(r, [1]), groupStarted(r, g1), groupFinished(r, g1), rolloutFinished(r)]);
    const db = new DataSource({ type: 'postgres', url: testDatabaseUrl(), entities: readModelEntities });
    await db.initialize();
    try {
      expect(await db.getRepository(RolloutReadModel).findOneBy({ id: r })).toMatchObject({
        status: 'running',
        totalTargets: 1,
        lastModifiedAt: 2_000,
      });
      await apply([scheduled(r, g1, 1), ...moved(r, g1, 1, 'scheduled', 'finished')]);
      expect(await db.getRepository(RolloutReadModel).findOneBy({ id: r })).toMatchObject({
        status: 'finished',
        lastModifiedAt: 5_000,
      });
      const [groups, total] = await db
        .getRepository(RolloutGroupReadModel)
        .findAndCount({ where: { rolloutId: r }, order: { index: 'ASC' }, skip: 0, take: 10 });
      expect(total).toBe(1);
      expect(groups[0]).toMatchObject({ id: g1, status: 'finished', totalTargets: 1, lastModifiedAt: 4_000 });
    } finally {
      await db.destroy();
    }
  });
});
