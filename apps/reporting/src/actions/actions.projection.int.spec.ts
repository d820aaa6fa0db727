import type { Pool } from 'pg';
import type { BatchItem } from '@fleetwave/messaging';
import { createPool, migrateSchema, withTransaction } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import { testDatabaseUrl } from '@fleetwave/testing';
import { REPORTING_SCHEMA as S, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { ActionsProjection } from './actions.projection';
import {
  created,
  freshId,
  item,
  scheduledActions,
  scheduledWith,
  statusChanged,
  type ChangeSpec,
} from './testing/actions-events.fixture';

describe('actions projection (batch handler on Postgres)', () => {
  let pool: Pool;
  const projection = new ActionsProjection();
  const apply = (items: BatchItem<Envelope>[]) =>
    withTransaction(pool, (tx) => projection.handleBatch(items, { topic: 'test', partition: 0, tx }));

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-actions-test', 4);
    await migrateSchema(pool, reportingMigration);
  });
  afterAll(() => pool.end());

  const action = async (id: number) =>
    (
      await pool.query(
        `select id::float8 as id, rollout_id::float8 as rollout_id, group_id::float8 as group_id, controller_id, status, active, type, last_status_code,
           created_at::int, last_modified_at::int, rollout_name, group_name, weight
         from ${S}.action_views where id = $1`,
        [id],
      )
    ).rows[0];
  const history = async (id: number) =>
    (
      await pool.query(
        `select seq, status, messages, code, reported_at::bigint::float8 as reported_at, occurred_at::int
         from ${S}.action_status_history where action_id = $1 order by seq`,
        [id],
      )
    ).rows;

  /** A change of one of the scheduled actions, on its own target. */
  const change = (
    a: { actionId: number; targetId: number; controllerId: string },
    spec: Omit<ChangeSpec, 'actionId'>,
  ) => statusChanged({ ...spec, actionId: a.actionId, targetId: a.targetId, controllerId: a.controllerId });

  it('records each action with its history in order, across batches, with the device messages and code', async () => {
    const r = freshId();
    const g = r + 1;
    const [a1, a2] = scheduledActions(r + 100, 2);
    await apply([created(r, [g]), scheduledWith(r, g, [a1, a2], 2_000)]);
    await apply([
      change(a1, { rolloutId: r, groupId: g, from: 'scheduled', to: 'running', at: 3_000 }),
      change(a1, { rolloutId: r, groupId: g, from: 'running', to: 'download', at: 3_100, messages: ['50%'] }),
      change(a2, { rolloutId: r, groupId: g, from: 'scheduled', to: 'canceled', at: 3_200 }),
    ]);
    await apply([
      change(a1, {
        rolloutId: r,
        groupId: g,
        from: 'download',
        to: 'error',
        at: 4_000,
        messages: ['disk full', 'gave up'],
        code: 507,
      }),
    ]);

    expect(await history(a1.actionId)).toEqual([
      { seq: 0, status: 'scheduled', messages: [], code: null, reported_at: 2_000, occurred_at: 2_000 },
      { seq: 1, status: 'running', messages: [], code: null, reported_at: 3_000, occurred_at: 3_000 },
      { seq: 2, status: 'download', messages: ['50%'], code: null, reported_at: 3_100, occurred_at: 3_100 },
      {
        seq: 3,
        status: 'error',
        messages: ['disk full', 'gave up'],
        code: 507,
        reported_at: 4_000,
        occurred_at: 4_000,
      },
    ]);
    expect(await action(a1.actionId)).toEqual({
      id: a1.actionId,
      rollout_id: r,
      group_id: g,
      controller_id: a1.controllerId,
      status: 'error',
      active: false,
      type: 'update',
      last_status_code: 507,
      created_at: 2_000,
      last_modified_at: 4_000,
      rollout_name: `r-${r}`,
      group_name: 'g1',
      weight: 600,
    });
    expect(await action(a2.actionId)).toMatchObject({ status: 'canceled', type: 'cancel', active: false });
  });

  it('changes nothing when a batch is applied again, and never moves an action back', async () => {
    const r = freshId();
    const g = r + 1;
    const [a1] = scheduledActions(r + 100, 1);
    const scheduling = scheduledWith(r, g, [a1], 2_000);
    await apply([scheduling]);
    await apply([scheduling]);
    await apply([change(a1, { rolloutId: r, groupId: g, to: 'running', at: 3_000, code: 200 })]);
    const before = await history(a1.actionId);
    // The scheduling again, later (as after a relay retry with a new id): entry 0 and the status stay.
    await apply([scheduledWith(r, g, [a1], 2_500)]);

    expect(await history(a1.actionId)).toEqual(before);
    expect(before.map((h) => h.status)).toEqual(['scheduled', 'running']);
    expect(await action(a1.actionId)).toMatchObject({ status: 'running', active: true, last_status_code: 200 });
  });

  it('takes the code of the newest change with one, in a batch and across batches', async () => {
    const r = freshId();
    const g = r + 1;
    const [a1, a2] = scheduledActions(r + 100, 2);
    await apply([scheduledWith(r, g, [a1, a2], 2_000)]);
    await apply([
      change(a1, { rolloutId: r, groupId: g, from: 'scheduled', to: 'running', at: 3_000, code: 100 }),
      change(a2, { rolloutId: r, groupId: g, from: 'scheduled', to: 'running', at: 3_000, code: 300 }),
      change(a1, { rolloutId: r, groupId: g, from: 'running', to: 'download', at: 3_100, code: 200 }),
      change(a1, { rolloutId: r, groupId: g, from: 'download', to: 'downloaded', at: 3_200 }),
      change(a2, { rolloutId: r, groupId: g, from: 'running', to: 'download', at: 3_300 }),
    ]);
    expect(await action(a1.actionId)).toMatchObject({ status: 'downloaded', last_status_code: 200 });
    expect(await action(a2.actionId)).toMatchObject({ status: 'download', last_status_code: 300 });

    await apply([change(a2, { rolloutId: r, groupId: g, from: 'download', to: 'finished', at: 3_400 })]);
    expect(await action(a2.actionId)).toMatchObject({ status: 'finished', last_status_code: 300 });
  });

  it('keeps a status change projected before the scheduling, and names the rollout whenever it comes', async () => {
    const r = freshId();
    const g = r + 1;
    const [a1] = scheduledActions(r + 100, 1);
    await apply([change(a1, { rolloutId: r, groupId: g, to: 'running', at: 3_000 })]);
    expect(await action(a1.actionId)).toMatchObject({ status: 'running', rollout_name: null, created_at: 3_000 });

    await apply([scheduledWith(r, g, [a1], 2_000), created(r, [g])]);
    await apply([item('RolloutUpdated.v1', { rolloutId: r, name: 'renamed', updatedAt: 5, updatedBy: 'bob' })]);

    expect(await action(a1.actionId)).toMatchObject({
      status: 'running',
      rollout_name: 'renamed',
      group_name: 'g1',
      created_at: 2_000,
    });
    expect((await history(a1.actionId)).map((h) => [h.seq, h.status])).toEqual([
      [0, 'scheduled'],
      [1, 'running'],
    ]);
  });

  it('keeps at most the hawkBit quota of history entries per action while the status still moves on', async () => {
    const r = freshId();
    const g = r + 1;
    const [a1] = scheduledActions(r + 100, 1);
    const flips = Array.from({ length: 1_004 }, (_, i) =>
      change(a1, { rolloutId: r, groupId: g, to: i % 2 === 0 ? 'running' : 'warning', at: 3_000 + i }),
    );
    await apply([scheduledWith(r, g, [a1], 2_000), ...flips.slice(0, 600)]);
    await apply([...flips.slice(600), change(a1, { rolloutId: r, groupId: g, to: 'finished', at: 9_000, code: 0 })]);

    const { rows } = await pool.query(
      `select count(*)::int as entries, max(seq) as last from ${S}.action_status_history where action_id = $1`,
      [a1.actionId],
    );
    expect(rows[0]).toEqual({ entries: 1_000, last: 999 });
    expect(await action(a1.actionId)).toMatchObject({
      status: 'finished',
      last_status_code: 0,
      last_modified_at: 9_000,
    });
  });

  it('projects a scheduling chunk of thousands of actions in one batch', async () => {
    const r = freshId();
    const g = r + 1;
    const actions = scheduledActions(r * 10, 5_000);
    await apply([created(r, [g]), scheduledWith(r, g, actions.slice(0, 2_500), 2_000)]);
    await apply([scheduledWith(r, g, actions.slice(2_500), 2_001)]);
    const { rows } = await pool.query(
      `select count(*)::int as actions, count(*) filter (where status = 'scheduled' and not active)::int as scheduled
       from ${S}.action_views where rollout_id = $1`,
      [r],
    );
    expect(rows[0]).toEqual({ actions: 5_000, scheduled: 5_000 });
  });
});
