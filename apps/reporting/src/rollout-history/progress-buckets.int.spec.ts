import type { Pool } from 'pg';
import {
  createKafkaClient,
  ensureTopics,
  IdempotentConsumer,
  KafkaPublisher,
  silentLogger,
  type BatchItem,
} from '@fleetwave/messaging';
import { createPool, migrateSchema, withTransaction } from '@fleetwave/platform';
import { parseEnvelope, type Envelope } from '@fleetwave/service-kit';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { REPORTING_SCHEMA as S, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { RolloutProgressProjection } from '../rollout-progress/rollout-progress.projection';
import { createdAndReady, freshId, groupStarted, item } from '../rollout-progress/testing/progress-events.fixture';
import { DataSource } from 'typeorm';
import {
  GroupActionCounts,
  RolloutGroupReadModel,
  RolloutReadModel,
  readModelEntities,
} from '../rollout-queries/read-model.entities';
import { RolloutQueries } from '../rollout-queries/rollout.queries';
import { progressHistoryEventTypes } from './progress-buckets.plan';
import { ProgressBucketsProjection } from './progress-buckets.projection';
import { ProgressQueries } from './progress.queries';
import { kafkaMessage, movedAt, scheduledAt, T0 } from './testing/history-events.fixture';

/** Progress over time: 1 s buckets while running, minute buckets after the end, cumulative counts per point. */
describe('progress buckets projection and the progress query (real Postgres and Kafka)', () => {
  let pool: Pool;
  let queries: ProgressQueries;
  const definitions = new RolloutProgressProjection(() => T0);

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-progress-buckets-test', 4);
    await migrateSchema(pool, reportingMigration);
    queries = new ProgressQueries(async (sql, params) => (await pool.query(sql, params)).rows);
  });
  afterAll(() => pool?.end());

  const apply = (projection: ProgressBucketsProjection, items: BatchItem<Envelope>[]) =>
    withTransaction(pool, (tx) => projection.handleBatch(items, { topic: 'test', partition: 0, tx }));
  const define = (items: BatchItem<Envelope>[]) =>
    withTransaction(pool, (tx) => definitions.handleBatch(items, { topic: 'test', partition: 0, tx }));
  const resolutions = async (rolloutId: number) =>
    (
      await pool.query<{ bucket_ms: number }>(
        `select distinct bucket_ms from ${S}.progress_buckets where rollout_id = $1 order by 1`,
        [rolloutId],
      )
    ).rows.map((r) => r.bucket_ms);
  const started = (rolloutId: number, at: number) =>
    item('RolloutStarted.v1', { rolloutId, startedAt: at, startedBy: 'ann' });
  const counts = (c: Partial<Record<string, number>>) => ({
    running: 0,
    notstarted: 0,
    scheduled: 0,
    cancelled: 0,
    finished: 0,
    error: 0,
    ...c,
  });

  /** Group 1 of 4 and group 2 of 2 targets: scheduled at 10 s, running at 11 s, final at 12–13 s and 61 s. */
  const history = (r: number) => {
    const [g1, g2] = [r + 1, r + 2];
    return [
      scheduledAt(r, g1, 4, T0 + 10_000),
      scheduledAt(r, g2, 2, T0 + 10_400),
      ...movedAt(r, g1, 4, 'scheduled', 'running', T0 + 11_200),
      ...movedAt(r, g1, 2, 'running', 'finished', T0 + 12_500),
      ...movedAt(r, g1, 1, 'running', 'finished', T0 + 13_100, 2),
      ...movedAt(r, g1, 1, 'running', 'error', T0 + 13_900, 3),
      // Within one bucket: no effect.
      ...movedAt(r, g2, 2, 'scheduled', 'running', T0 + 61_000),
      ...movedAt(r, g2, 2, 'running', 'retrieved', T0 + 61_500),
      ...movedAt(r, g2, 1, 'retrieved', 'canceled', T0 + 62_000),
    ];
  };

  it('serves cumulative 1 s points per rollout and group while running, minute points once ended', async () => {
    const r = freshId();
    const [g1, g2] = [r + 1, r + 2];
    const projection = new ProgressBucketsProjection();
    await define([...createdAndReady(r, [4, 2]), started(r, T0 + 9_000)]);
    const result = await apply(projection, history(r));
    expect(result && result.ignored).toHaveLength(2);

    const rollout = await queries.series(r, { scope: { kind: 'rollout' } });
    expect(rollout).toEqual({
      rolloutId: r,
      bucketSeconds: 1,
      series: [
        { at: T0 + 10_000, counts: counts({ scheduled: 6 }) },
        { at: T0 + 11_000, counts: counts({ scheduled: 2, running: 4 }) },
        { at: T0 + 12_000, counts: counts({ scheduled: 2, running: 2, finished: 2 }) },
        { at: T0 + 13_000, counts: counts({ scheduled: 2, finished: 3, error: 1 }) },
        { at: T0 + 61_000, counts: counts({ running: 2, finished: 3, error: 1 }) },
        { at: T0 + 62_000, counts: counts({ running: 1, cancelled: 1, finished: 3, error: 1 }) },
      ],
    });
    const group2 = await queries.series(r, { scope: { kind: 'group', groupId: g2 }, from: T0 + 61_000 });
    expect(group2.series).toEqual([
      { at: T0 + 61_000, group: g2, counts: counts({ running: 2 }) },
      { at: T0 + 62_000, group: g2, counts: counts({ running: 1, cancelled: 1 }) },
    ]);
    const all = await queries.series(r, { scope: { kind: 'groups' }, to: T0 + 11_000, bucketSeconds: 10 });
    expect(all).toEqual({
      rolloutId: r,
      bucketSeconds: 10,
      series: [
        { at: T0 + 10_000, group: g1, counts: counts({ finished: 3, error: 1 }) },
        { at: T0 + 10_000, group: g2, counts: counts({ scheduled: 2 }) },
      ],
    });

    // Running: 5 of 6 actions final, all of them within the 60 s since the start.
    const estimates = await queries.completionEstimates(
      [{ id: r, status: 'running', totalTargets: 6, settled: 5 }],
      T0 + 69_000,
    );
    expect(estimates.get(r)).toBe(T0 + 69_000 + (1 * 60_000) / 5);

    // The end rolls the seconds up; a delta after it goes to its minute at once.
    await apply(projection, [item('RolloutStopped.v1', { rolloutId: r, stoppedAt: T0 + 70_000 })]);
    expect(await resolutions(r)).toEqual([60_000]);
    await apply(projection, movedAt(r, g2, 1, 'retrieved', 'finished', T0 + 125_000, 1));
    expect(await resolutions(r)).toEqual([60_000]);
    expect((await queries.series(r, { scope: { kind: 'rollout' } })).series).toEqual([
      { at: T0, counts: counts({ scheduled: 2, finished: 3, error: 1 }) },
      { at: T0 + 60_000, counts: counts({ running: 1, cancelled: 1, finished: 3, error: 1 }) },
      { at: T0 + 120_000, counts: counts({ cancelled: 1, finished: 4, error: 1 }) },
    ]);
    await expect(queries.series(r, { scope: { kind: 'rollout' }, bucketSeconds: 30 })).rejects.toThrow(
      /multiple of 60/,
    );
    await expect(queries.series(r, { scope: { kind: 'group', groupId: r + 50 } })).rejects.toThrow(/does not exist/);
    await expect(queries.series(freshId(), { scope: { kind: 'rollout' } })).rejects.toThrow(/does not exist/);
    expect(
      (await queries.completionEstimates([{ id: r, status: 'stopped', totalTargets: 6, settled: 6 }], T0)).get(r),
    ).toBeNull();
  });

  it('shows estimatedCompletionAt on a running rollout from the rate its actions became final', async () => {
    const r = freshId();
    const g1 = r + 1;
    const db = new DataSource({ type: 'postgres', url: testDatabaseUrl(), entities: readModelEntities });
    await db.initialize();
    try {
      const api = new RolloutQueries(
        db.getRepository(RolloutReadModel),
        db.getRepository(RolloutGroupReadModel),
        db.getRepository(GroupActionCounts),
        ProgressQueries.over(db),
      );
      const start = Date.now() - 20_000;
      const changes = [
        scheduledAt(r, g1, 10, start),
        ...movedAt(r, g1, 10, 'scheduled', 'running', start + 1_000),
        ...movedAt(r, g1, 4, 'running', 'finished', start + 5_000),
      ];
      await define([...createdAndReady(r, [10]), started(r, start), groupStarted(r, g1, start), ...changes]);
      await apply(new ProgressBucketsProjection(), changes);
      const before = Date.now();
      const view = await api.get(r);
      const after = Date.now();
      expect(view.status).toBe('running');
      // 4 of 10 final since the start: the other 6 take 6/4 of the time elapsed.
      const eta = (now: number) => now + (6 * (now - start)) / 4;
      expect(view.estimatedCompletionAt).toBeGreaterThanOrEqual(Math.floor(eta(before)));
      expect(view.estimatedCompletionAt).toBeLessThanOrEqual(Math.ceil(eta(after)));
      await define([item('RolloutPaused.v1', { rolloutId: r, pausedAt: after, pausedBy: 'ann', cause: 'MANUAL' })]);
      // Paused: no estimate (the view leaves it out; hawkBit's JSON shows null).
      expect((await api.get(r)).estimatedCompletionAt).toBeUndefined();
    } finally {
      await db.destroy();
    }
  });

  it('drops the buckets of a rollout removed before it started, and deltas that come after', async () => {
    const r = freshId();
    const projection = new ProgressBucketsProjection();
    await apply(projection, [scheduledAt(r, r + 1, 3, T0)]);
    await apply(projection, [item('RolloutRemoved.v1', { rolloutId: r, removedAt: T0, removedBy: 'ann' })]);
    await apply(projection, [scheduledAt(r, r + 1, 3, T0 + 1_000)]);
    expect(await resolutions(r)).toEqual([]);
  });

  it('counts a redelivered status change once behind the idempotent consumer', async () => {
    const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'progress-test', logger: silentLogger });
    const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
    const topic = uniqueName('action_events');
    await ensureTopics(testKafkaBrokers(), [topic], 2);
    await publisher.connect();
    const r = freshId();
    const g1 = r + 1;
    await define(createdAndReady(r, [3]));
    const events = [scheduledAt(r, g1, 3, T0 + 1_000), ...movedAt(r, g1, 3, 'scheduled', 'running', T0 + 2_000)];
    const again = movedAt(r, g1, 1, 'running', 'finished', T0 + 3_000)[0];
    await publisher.send(
      topic,
      [...events, again, again].map((e) => kafkaMessage(e)),
    );
    const consumer = new IdempotentConsumer<Envelope>({
      groupId: uniqueName('progress_buckets'),
      topics: [topic],
      kafka,
      pool,
      schema: S,
      parse: parseEnvelope,
      relevant: (event) => progressHistoryEventTypes.includes(event.type as (typeof progressHistoryEventTypes)[number]),
      handleBatch: new ProgressBucketsProjection().handleBatch,
      logger: silentLogger,
      maxWaitTimeMs: 200,
    });
    try {
      await consumer.start();
      await eventually(
        async () =>
          expect((await queries.series(r, { scope: { kind: 'rollout' }, from: T0 + 3_000 })).series).toEqual([
            { at: T0 + 3_000, counts: counts({ running: 2, finished: 1 }) },
          ]),
        { description: 'the finished action counted once', timeoutMs: 30_000 },
      );
    } finally {
      await consumer.stop();
      await publisher.disconnect();
    }
  });
});
