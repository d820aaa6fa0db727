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
import { statusEntryId } from './action.views';

/**
 * `fleetwave.internal.v1.ActionQueries` over a real channel, on the projected actions read model
 * in Postgres: pages with q, sort and paging, one action, a history, and refusals as their REST
 * answers (hawkBit's JSON of the views is the gateway's).
 */
describe('internal action queries over gRPC (Postgres)', () => {
  let pool: Pool;
  let stop: () => Promise<void>;
  let actions: InternalClient;
  const r = freshId();
  const [g1, g2] = [r + 1, r + 2];
  // Three actions of group 1 and two of group 2.
  const first = scheduledActions(r + 100, 3);
  const second = scheduledActions(r + 200, 2);
  const [a1, a2, a3] = first;
  const [b1, b2] = second;
  const change = (
    a: (typeof first)[number],
    groupId: number,
    to: Parameters<typeof statusChanged>[0]['to'],
    at: number,
    extra = {},
  ) => statusChanged({ ...a, rolloutId: r, groupId, to, at, ...extra }, new Date(at + 5).toISOString());

  type Page = { content: { id: number }[]; total: number };
  const list = (page: Record<string, unknown>, controllerId?: string) =>
    actions.call('ListActions', { page, ...(controllerId ? { controllerId } : {}) }) as Promise<Page>;
  const ids = async (work: Promise<Page>) => (await work).content.map((a) => a.id);
  const history = (controllerId: string, actionId: number, page: Record<string, unknown> = {}) =>
    actions.call('ListActionStatuses', { controllerId, actionId, page });

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-actions-grpc-test', 4);
    await migrateSchema(pool, reportingMigration);
    const projection = new ActionsProjection();
    const apply = (items: BatchItem<Envelope>[]) =>
      withTransaction(pool, (tx) => projection.handleBatch(items, { topic: 'test', partition: 0, tx }));
    await apply([created(r, [g1, g2]), scheduledWith(r, g1, first, 2_000), scheduledWith(r, g2, second, 2_001)]);
    await apply([
      change(a1, g1, 'running', 3_000),
      change(a1, g1, 'download', 3_100, { messages: ['fetching'] }),
      change(a1, g1, 'finished', 3_200, { messages: ['installed', 'rebooted'], code: 200 }),
      change(a2, g1, 'running', 3_300),
      change(a2, g1, 'error', 3_400, { code: 500 }),
      change(a3, g1, 'running', 3_500),
      change(a3, g1, 'canceling', 3_600),
    ]);
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

  it("answers one target's action as its view, and any action by its id alone", async () => {
    expect(await actions.call('GetAction', { actionId: a1.actionId, controllerId: a1.controllerId })).toEqual({
      id: a1.actionId,
      rolloutId: r,
      groupId: g1,
      controllerId: a1.controllerId,
      status: 'finished',
      active: false,
      type: 'update',
      createdAt: 2_000,
      createdBy: 'ann',
      lastModifiedAt: 3_200,
      lastStatusCode: 200,
      rolloutName: `r-${r}`,
      actionType: 'timeforced',
      weight: 600,
      forceTime: 9_000,
      distributionSetId: 3,
      distributionSetName: 'os',
      distributionSetVersion: '2.0',
    });
    expect(await actions.call('GetAction', { actionId: a3.actionId })).toMatchObject({
      id: a3.actionId,
      type: 'cancel',
      status: 'canceling',
      active: true,
    });
  });

  it('answers the status history newest first, paged, and sorted as asked', async () => {
    expect(await history(a1.controllerId, a1.actionId, { limit: 2 })).toEqual({
      content: [
        {
          id: statusEntryId(a1.actionId, 3),
          type: 'finished',
          messages: ['installed', 'rebooted'],
          reportedAt: 3_205,
          timestamp: 3_200,
          code: 200,
        },
        {
          id: statusEntryId(a1.actionId, 2),
          type: 'download',
          messages: ['fetching'],
          reportedAt: 3_105,
          timestamp: 3_100,
        },
      ],
      total: 4,
    });
    const oldestFirst = await history(a1.controllerId, a1.actionId, { sort: 'reportedAt:ASC', offset: 1, limit: 10 });
    expect((oldestFirst.content as { type: string }[]).map((s) => s.type)).toEqual(['running', 'download', 'finished']);
    expect(await refusal(history(a1.controllerId, a1.actionId, { sort: 'messages:ASC' }))).toEqual({
      status: 400,
      errorCode: 'hawkbit.server.error.rest.param.sortParamSyntax',
    });
  });

  it('lists the actions of a target, and every action with q, sort and paging', async () => {
    expect(await list({}, b1.controllerId)).toMatchObject({ total: 1, content: [{ id: b1.actionId }] });

    const rollout = `rollout.id==${r}`;
    const all = await list({ q: rollout });
    expect(all.total).toBe(5);
    expect(all.content.map((a) => a.id)).toEqual([b2, b1, a3, a2, a1].map((a) => a.actionId));
    expect(await ids(list({ q: `${rollout};status==pending`, sort: 'id:ASC' }))).toEqual([a3.actionId]);
    expect(await ids(list({ q: `${rollout};detailStatus==scheduled;rolloutGroup.name==G2` }))).toEqual([
      b2.actionId,
      b1.actionId,
    ]);
    expect(await ids(list({ q: `${rollout};lastStatusCode=ge=200`, sort: 'lastStatusCode:DESC' }))).toEqual([
      a2.actionId,
      a1.actionId,
    ]);
    const page2 = await list({ q: rollout, sort: 'detailStatus:ASC', offset: 1, limit: 2 });
    expect(page2.total).toBe(5);
    // canceling, error, finished, scheduled (b2, b1 by id descending)
    expect(page2.content.map((a) => a.id)).toEqual([a2.actionId, a1.actionId]);
  });

  it.each([
    ['sort name:ASC', { sort: 'name:ASC' }, 'hawkbit.server.error.rest.param.sortParamSyntax'],
    ['sort id:SIDEWAYS', { sort: 'id:SIDEWAYS' }, 'hawkbit.server.error.rest.param.sortParamSyntax'],
    ['q colour==red', { q: 'colour==red' }, 'hawkbit.server.error.rest.param.rsqlInvalidField'],
    ['q status==running', { q: 'status==running' }, 'hawkbit.server.error.rest.param.rsqlParamSyntax'],
    ['q id==(', { q: 'id==(' }, 'hawkbit.server.error.rest.param.rsqlParamSyntax'],
    ['limit 501', { limit: 501 }, 'hawkbit.server.error.rest.param.invalid'],
  ])('refuses a list with %s with a 400 of hawkBit', async (_case, page, errorCode) => {
    expect(await refusal(list(page))).toEqual({ status: 400, errorCode });
  });

  it("answers 404 for an unknown action, an id no action can have, and another target's action", async () => {
    const notFound = { status: 404, errorCode: 'hawkbit.server.error.repo.entitiyNotFound' };
    for (const work of [
      actions.call('GetAction', { actionId: r + 999 }),
      actions.call('GetAction', { actionId: 0 }),
      actions.call('GetAction', { actionId: a1.actionId, controllerId: b1.controllerId }),
      history(b1.controllerId, a1.actionId),
    ]) {
      expect(await refusal(work)).toEqual(notFound);
    }
  });
});
