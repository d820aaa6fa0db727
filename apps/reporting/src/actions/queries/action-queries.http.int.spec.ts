import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import {
  createPool,
  HawkbitExceptionFilter,
  installHttpGuards,
  migrateSchema,
  withTransaction,
} from '@fleetwave/platform';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { testDatabaseUrl } from '@fleetwave/testing';
import { reportingMigration } from '../../rollout-progress/rollout-progress.migration';
import { ActionsProjection } from '../actions.projection';
import { created, freshId, scheduledActions, scheduledWith, statusChanged } from '../testing/actions-events.fixture';
import { ActionQueriesController } from './action-queries.controller';
import { ActionQueries } from './action.queries';
import { statusEntryId } from './action.views';

@Module({})
class ActionsApiModule {}

const apiModule = (pool: Pool): DynamicModule => ({
  module: ActionsApiModule,
  controllers: [ActionQueriesController],
  providers: [
    {
      provide: ActionQueries,
      useValue: new ActionQueries(async (sql, params) => (await pool.query(sql, params)).rows),
    },
    { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
  ],
});

describe('actions API of reporting (HTTP on the projected read model)', () => {
  let pool: Pool;
  let app: INestApplication;
  let baseUrl: string;
  const r = freshId();
  const [g1, g2] = [r + 1, r + 2];
  // Three actions of group 1 and two of group 2; the first target is in both groups' rollout once.
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

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & { content?: unknown[] },
    };
  };
  const ids = (body: { content?: unknown[] }) => (body.content as { id: number }[]).map((a) => a.id);

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-actions-api-test', 4);
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
    // The service's request edge (guards, validation pipe, error filter) around the controller alone.
    app = await NestFactory.create(apiModule(pool), { logger: ['error'] });
    installHttpGuards(app);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
  });

  it("answers one target's action in hawkBit's MgmtAction shape", async () => {
    const { status, body } = await get(`/rest/v1/targets/${a1.controllerId}/actions/${a1.actionId}`);
    expect(status).toBe(200);
    const self = `/rest/v1/targets/${a1.controllerId}/actions/${a1.actionId}`;
    expect(body).toEqual({
      id: a1.actionId,
      type: 'update',
      status: 'finished',
      detailStatus: 'finished',
      active: false,
      forceType: 'timeforced',
      actionType: 'timeforced',
      forceTime: 9_000,
      weight: 600,
      rollout: r,
      rolloutName: `r-${r}`,
      lastStatusCode: 200,
      createdAt: 2_000,
      createdBy: 'ann',
      lastModifiedAt: 3_200,
      lastModifiedBy: 'ann',
      _links: {
        self: { href: self },
        target: { href: `/rest/v1/targets/${a1.controllerId}`, name: a1.controllerId },
        distributionset: { href: '/rest/v1/distributionsets/3', name: 'os:2.0' },
        status: { href: `${self}/status?offset=0&limit=50&sort=id%3ADESC` },
        rollout: { href: `/rest/v1/rollouts/${r}`, name: `r-${r}` },
      },
    });
    expect((await get(`/rest/v1/actions/${a3.actionId}`)).body).toMatchObject({
      type: 'cancel',
      status: 'pending',
      detailStatus: 'canceling',
    });
  });

  it('answers the status history newest first, paged, in the MgmtActionStatus shape', async () => {
    const path = `/rest/v1/targets/${a1.controllerId}/actions/${a1.actionId}/status`;
    const { status, body } = await get(`${path}?limit=2`);
    expect(status).toBe(200);
    expect(body).toEqual({
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
      size: 2,
    });
    const oldestFirst = await get(`${path}?sort=reportedAt:ASC&offset=1&limit=10`);
    expect((oldestFirst.body.content as { type: string }[]).map((s) => s.type)).toEqual([
      'running',
      'download',
      'finished',
    ]);
    expect((await get(`${path}?sort=messages:ASC`)).status).toBe(400);
  });

  it('lists the actions of a target, and every action with q, sort and paging', async () => {
    const ofTarget = await get(`/rest/v1/targets/${b1.controllerId}/actions`);
    expect(ofTarget.body).toMatchObject({ total: 1, size: 1 });
    expect(ids(ofTarget.body)).toEqual([b1.actionId]);

    const rollout = `rollout.id==${r}`;
    const all = await get(`/rest/v1/actions?q=${encodeURIComponent(rollout)}`);
    expect(all.body).toMatchObject({ total: 5, size: 5 });
    expect(ids(all.body)).toEqual([b2, b1, a3, a2, a1].map((a) => a.actionId));

    const pending = await get(`/rest/v1/actions?q=${encodeURIComponent(`${rollout};status==pending`)}&sort=id:ASC`);
    expect(ids(pending.body)).toEqual([a3.actionId]);
    const scheduledOfGroup2 = await get(
      `/rest/v1/actions?q=${encodeURIComponent(`${rollout};detailStatus==scheduled;rolloutGroup.name==G2`)}`,
    );
    expect(ids(scheduledOfGroup2.body)).toEqual([b2.actionId, b1.actionId]);
    const byCode = await get(
      `/rest/v1/actions?q=${encodeURIComponent(`${rollout};lastStatusCode=ge=200`)}&sort=lastStatusCode:DESC`,
    );
    expect(ids(byCode.body)).toEqual([a2.actionId, a1.actionId]);
    const page2 = await get(`/rest/v1/actions?q=${encodeURIComponent(rollout)}&sort=detailStatus:ASC&offset=1&limit=2`);
    expect(page2.body).toMatchObject({ total: 5, size: 2 });
    // canceling, error, finished, scheduled (b2, b1 by id descending)
    expect(ids(page2.body)).toEqual([a2.actionId, a1.actionId]);
  });

  it.each([
    ['/rest/v1/actions?sort=name:ASC', 'hawkbit.server.error.sortParamSyntaxError'],
    ['/rest/v1/actions?sort=id:SIDEWAYS', 'hawkbit.server.error.sortParamSyntaxError'],
    ['/rest/v1/actions?q=colour==red', 'hawkbit.server.error.rest.param.rsqlInvalidField'],
    ['/rest/v1/actions?q=status==running', 'hawkbit.server.error.rest.param.rsqlParamSyntax'],
    ['/rest/v1/actions?q=id==(', 'hawkbit.server.error.rest.param.rsqlParamSyntax'],
    ['/rest/v1/actions?limit=501', 'hawkbit.server.error.repo.constraintViolation'],
    ['/rest/v1/actions/abc', 'hawkbit.server.error.rest.param.invalid'],
  ])('answers %s with a 400 of hawkBit', async (path, errorCode) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body).toMatchObject({ errorCode });
  });

  it("answers 404 for an unknown action, and for another target's action", async () => {
    for (const path of [
      `/rest/v1/actions/${r + 999}`,
      `/rest/v1/targets/${b1.controllerId}/actions/${a1.actionId}`,
      `/rest/v1/targets/${b1.controllerId}/actions/${a1.actionId}/status`,
    ]) {
      const { status, body } = await get(path);
      expect([path, status, body.errorCode]).toEqual([path, 404, 'hawkbit.server.error.repo.entitiyNotFound']);
    }
  });
});
