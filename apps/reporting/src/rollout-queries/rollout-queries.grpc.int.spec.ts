import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { BatchItem } from '@fleetwave/messaging';
import { ProtoFiles } from '@fleetwave/contracts';
import { createPool, migrateSchema, withTransaction, type InternalClient } from '@fleetwave/platform';
import { refusalOf as refusal, servedOverGrpc, testDatabaseUrl } from '@fleetwave/testing';
import { REPORTING_SCHEMA, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { RolloutProgressProjection } from '../rollout-progress/rollout-progress.projection';
import { freshId, progressReader, rolloutEvents } from '../rollout-progress/testing/progress-events.fixture';
import { AuditQueries } from '../rollout-audit/audit.queries';
import { ProgressQueries } from '../rollout-history/progress.queries';
import { PositionWaiter } from '../rollout-position/position-waiter';
import { recordPositions, RolloutPositions } from '../rollout-position/rollout-position.projection';
import { RolloutChangesHub } from '../rollout-watch/rollout-changes.hub';
import { GroupActionCounts, readModelEntities, RolloutGroupReadModel, RolloutReadModel } from './read-model.entities';
import { ROLLOUT_QUERIES_SERVICE, RolloutQueriesGrpc } from './rollout-queries.grpc';
import { RolloutQueries } from './rollout.queries';
import { relayed } from '../rollout-position/testing/relayed-event.fixture';

/**
 * `fleetwave.internal.v1.RolloutQueries` over a real channel, on the read model in Postgres:
 * views as the gateway renders them, refusals as their REST answers, and the read-your-writes
 * wait woken by the projection's commits.
 */
describe('internal rollout queries over gRPC (Postgres)', () => {
  let pool: Pool;
  let db: DataSource;
  let hub: RolloutChangesHub;
  let stop: () => Promise<void>;
  let queries: InternalClient;
  const projection = new RolloutProgressProjection(() => 1_500);
  let reader: ReturnType<typeof progressReader>;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-grpc-test', 4);
    await migrateSchema(pool, reportingMigration);
    reader = progressReader(pool, projection);
    db = new DataSource({ type: 'postgres', url: testDatabaseUrl(), entities: readModelEntities });
    await db.initialize();
    hub = new RolloutChangesHub(testDatabaseUrl(), REPORTING_SCHEMA);
    const rolloutQueries = new RolloutQueries(
      db.getRepository(RolloutReadModel),
      db.getRepository(RolloutGroupReadModel),
      db.getRepository(GroupActionCounts),
    );
    const positions = new RolloutPositions(
      (sql, params) => pool.query(sql, params).then((r) => r.rows),
      REPORTING_SCHEMA,
    );
    const grpc = new RolloutQueriesGrpc(
      rolloutQueries,
      new PositionWaiter(hub, positions),
      ProgressQueries.over(db),
      AuditQueries.over(db),
    );
    ({ client: queries, stop } = await servedOverGrpc(
      grpc.service(),
      ProtoFiles.internalRollouts,
      ROLLOUT_QUERIES_SERVICE,
    ));
  });
  afterAll(async () => {
    await stop?.();
    await hub?.onApplicationShutdown();
    await db?.destroy();
    await pool?.end();
  });

  it('answers a rollout, a page of rollouts and its groups as views, counts included', async () => {
    const r = freshId();
    await reader.apply(rolloutEvents(r, [2, 3]));
    const rollout = await queries.call('GetRollout', { rolloutId: r });
    expect(rollout).toMatchObject({
      id: r,
      status: 'starting',
      totalTargets: 5,
      totalGroups: 2,
      totalTargetsPerStatus: { notstarted: 5, running: 0, finished: 0 },
      lastModifiedBy: 'tester',
    });
    expect(rollout).not.toHaveProperty('_links');
    const listed = await queries.call('ListRollouts', { q: `id==${r}`, limit: 5 });
    expect(listed).toMatchObject({ total: 1, content: [{ id: r }] });
    const groups = await queries.call('ListDeployGroups', { rolloutId: r, page: { limit: 1 } });
    expect(groups.total).toBe(2);
    expect(groups.content).toEqual([expect.objectContaining({ rolloutId: r, totalTargets: 2, status: 'ready' })]);
    const first = (groups.content as { id: number }[])[0].id;
    expect(await queries.call('GetDeployGroup', { rolloutId: r, groupId: first })).toMatchObject({
      id: first,
      successCondition: { condition: 'THRESHOLD' },
    });
  });

  it("answers a rollout's progress and audit, reading the progress parameters as REST does", async () => {
    const r = freshId();
    await reader.apply(rolloutEvents(r, [1, 1]));
    expect(await queries.call('GetProgress', { rolloutId: r, group: 'all' })).toMatchObject({
      rolloutId: r,
      bucketSeconds: expect.any(Number),
    });
    expect(await refusal(queries.call('GetProgress', { rolloutId: r, group: 'two' }))).toEqual({
      status: 400,
      errorCode: 'hawkbit.server.error.rest.param.invalid',
    });
    expect(await refusal(queries.call('GetProgress', { rolloutId: r, from: '-5' }))).toMatchObject({ status: 400 });
    expect(await refusal(queries.call('GetAudit', { rolloutId: freshId() }))).toMatchObject({ status: 404 });
  });

  it('refuses an unknown rollout, a bad sort and a bad page as REST would', async () => {
    expect(await refusal(queries.call('GetRollout', { rolloutId: freshId() }))).toMatchObject({ status: 404 });
    expect(await refusal(queries.call('ListRollouts', { sort: 'color:ASC' }))).toMatchObject({ status: 400 });
    expect(await refusal(queries.call('ListRollouts', { limit: 501 }))).toEqual({
      status: 400,
      errorCode: 'hawkbit.server.error.rest.param.invalid',
    });
  });

  it('waits for a position until a commit reaches it, and gives up after the bound with what it has', async () => {
    const r = freshId();
    const record = (items: BatchItem<unknown>[]) =>
      withTransaction(pool, (tx) => recordPositions(tx, REPORTING_SCHEMA, items));
    await record([relayed(`rollout-${r}`, 3, 1)]);
    expect(await queries.call('AwaitPosition', { rolloutId: r, atLeast: 3, timeoutMs: 100 })).toEqual({
      revision: 3,
      reached: true,
    });
    const waiting = queries.call('AwaitPosition', { rolloutId: r, atLeast: 4, timeoutMs: 8_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await record([relayed(`rollout-${r}`, 4, 2)]);
    expect(await waiting).toEqual({ revision: 4, reached: true });
    const late = await queries.call('AwaitPosition', { rolloutId: r, atLeast: 9, timeoutMs: 200 });
    expect(late).toEqual({ revision: 4, reached: false });
  });
});
