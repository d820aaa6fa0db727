import type { Pool } from 'pg';
import { ProtoFiles } from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import { createPool, migrateSchema, withTransaction, type InternalClient } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import { refusalOf as refusal, servedOverGrpc, testDatabaseUrl } from '@fleetwave/testing';
import { reportingMigration } from '../../rollout-progress/rollout-progress.migration';
import { ActionsProjection } from '../actions.projection';
import { created, freshId, scheduledActions, scheduledWith, statusChanged } from '../testing/actions-events.fixture';
import { ACTION_QUERIES_SERVICE, ActionQueriesGrpc } from './action-queries.grpc';
import { ActionQueries } from './action.queries';

/**
 * `fleetwave.internal.v1.ActionQueries` over a real channel, on the projected actions read model
 * in Postgres: pages, one action, a history, and refusals as their REST answers.
 */
describe('internal action queries over gRPC (Postgres)', () => {
  let pool: Pool;
  let stop: () => Promise<void>;
  let actions: InternalClient;
  const r = freshId();
  const g1 = r + 1;
  const [a1, a2] = scheduledActions(r + 100, 2);

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-actions-grpc-test', 4);
    await migrateSchema(pool, reportingMigration);
    const projection = new ActionsProjection();
    const apply = (items: BatchItem<Envelope>[]) =>
      withTransaction(pool, (tx) => projection.handleBatch(items, { topic: 'test', partition: 0, tx }));
    await apply([created(r, [g1]), scheduledWith(r, g1, [a1, a2], 2_000)]);
    const change = (to: 'running' | 'finished', at: number, extra = {}) =>
      statusChanged({ ...a1, rolloutId: r, groupId: g1, to, at, ...extra }, new Date(at + 5).toISOString());
    await apply([change('running', 3_000), change('finished', 3_200, { messages: ['installed'], code: 200 })]);
    const queries = new ActionQueries(async (sql, params) => (await pool.query(sql, params)).rows);
    ({ client: actions, stop } = await servedOverGrpc(
      new ActionQueriesGrpc(queries).service(),
      ProtoFiles.internalActions,
      ACTION_QUERIES_SERVICE,
    ));
  });
  afterAll(async () => {
    await stop?.();
    await pool?.end();
  });

  it("lists a rollout's actions and one target's, as views", async () => {
    const page = await actions.call('ListActions', { page: { q: `rollout.id==${r}`, sort: 'id:ASC', limit: 10 } });
    expect(page.total).toBe(2);
    expect(page.content).toEqual([
      expect.objectContaining({
        id: a1.actionId,
        controllerId: a1.controllerId,
        status: 'finished',
        active: false,
        rolloutId: r,
      }),
      expect.objectContaining({ id: a2.actionId, status: 'scheduled', distributionSetVersion: '2.0' }),
    ]);
    const mine = await actions.call('ListActions', { page: {}, controllerId: a2.controllerId });
    expect((mine.content as { id: number }[]).map((a) => a.id)).toEqual([a2.actionId]);
  });

  it("answers one action, only as its own target's, and its history newest first", async () => {
    expect(await actions.call('GetAction', { actionId: a1.actionId })).toMatchObject({
      id: a1.actionId,
      lastStatusCode: 200,
    });
    expect(
      await refusal(actions.call('GetAction', { actionId: a1.actionId, controllerId: a2.controllerId })),
    ).toMatchObject({
      status: 404,
    });
    const history = await actions.call('ListActionStatuses', {
      controllerId: a1.controllerId,
      actionId: a1.actionId,
      page: {},
    });
    expect(history.total).toBe(3);
    expect((history.content as { type: string }[]).map((s) => s.type)).toEqual(['finished', 'running', 'scheduled']);
    expect((history.content as { messages: string[] }[])[0].messages).toEqual(['installed']);
    expect(
      await refusal(
        actions.call('ListActionStatuses', { controllerId: a2.controllerId, actionId: a1.actionId, page: {} }),
      ),
    ).toMatchObject({ status: 404 });
  });

  it('refuses a bad filter, a bad sort and an id no action can have, as REST would', async () => {
    expect(await refusal(actions.call('ListActions', { page: { q: 'nonsense==' } }))).toMatchObject({ status: 400 });
    expect(await refusal(actions.call('ListActions', { page: { sort: 'color:UP' } }))).toMatchObject({ status: 400 });
    expect(await refusal(actions.call('GetAction', { actionId: 0 }))).toEqual({
      status: 404,
      errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
    });
  });
});
