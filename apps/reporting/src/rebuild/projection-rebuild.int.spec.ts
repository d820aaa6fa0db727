import type { Pool } from 'pg';
import { integrationEventUpcasters, Topics } from '@fleetwave/contracts';
import {
  createKafkaClient,
  ensureTopics,
  IdempotentConsumer,
  KafkaPublisher,
  silentLogger,
} from '@fleetwave/messaging';
import { createPool, migrateSchema } from '@fleetwave/platform';
import { envelopeIntake, type Envelope } from '@fleetwave/service-kit';
import { testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { REPORTING_SCHEMA as S, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { kafkaMessage, T0 } from '../rollout-history/testing/history-events.fixture';
import { rebuildProjection, RebuildRefused, topicEnds, waitCaughtUp } from './projection-rebuild';
import { reportingProjections } from './reporting-projections';
import { createFreshDatabase, type FreshDatabase } from './testing/fresh-database';
import { rolloutHistory } from './testing/rebuild-history.fixture';

jest.setTimeout(300_000);

/**
 * Every projection of reporting, fed a finished rollout of 3,000 actions and a running one of 500
 * from real topics, then dropped and rebuilt from the topics' beginnings: the same rows in every
 * table. In a database of its own, since the rebuild truncates whole tables.
 */
describe('rebuild of reporting projections from the topics (real Kafka and Postgres)', () => {
  const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'rebuild-test', logger: silentLogger });
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  const topics: Record<string, string> = {
    [Topics.rolloutEvents]: uniqueName('rollout_events'),
    [Topics.rolloutGroupEvents]: uniqueName('group_events'),
    [Topics.actionEvents]: uniqueName('action_events'),
  };
  const topicName = (topic: string) => topics[topic] ?? topic;
  const groups = new Map(reportingProjections.map((p) => [p.name, uniqueName(`rebuild_${p.name}`)]));
  let database: FreshDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createFreshDatabase('reporting_rebuild');
    pool = createPool(database.url, 'reporting-rebuild-test', 8);
    await migrateSchema(pool, reportingMigration);
    await ensureTopics(testKafkaBrokers(), Object.values(topics), 3);
    await publisher.connect();
  });
  afterAll(async () => {
    await publisher.disconnect();
    await pool?.end();
    await database?.drop();
  });

  /** Every row of every table of every projection, in a fixed order. */
  const snapshot = async () => {
    const tables: Record<string, unknown[]> = {};
    for (const table of reportingProjections.flatMap((p) => p.tables)) {
      tables[table] = (await pool.query(`select * from ${S}.${table} t order by t::text`)).rows;
    }
    return tables;
  };

  it('writes identical tables after a rebuild of each projection', async () => {
    const [finished, running] = [
      rolloutHistory(1_000, [1_000, 1_000, 1_000], true),
      rolloutHistory(9_000, [500], false),
    ];
    for (const [topic, key] of [
      [Topics.rolloutEvents, 'rollout'],
      [Topics.rolloutGroupEvents, 'group'],
      [Topics.actionEvents, 'action'],
    ] as const) {
      await publisher.send(
        topicName(topic),
        [...finished[key], ...running[key]].map((e) => kafkaMessage(e, T0 + 50)),
      );
    }

    // As the service runs them: every projection in its own group, at once.
    const admin = kafka.admin();
    await admin.connect();
    const live = reportingProjections.map((projection) => {
      const { handleBatch } = projection.create();
      return new IdempotentConsumer<Envelope>({
        groupId: groups.get(projection.name) as string,
        topics: projection.topics.map(topicName),
        kafka,
        pool,
        schema: S,
        ...envelopeIntake(integrationEventUpcasters(), projection.types),
        handleBatch,
        logger: silentLogger,
        maxWaitTimeMs: 250,
      });
    });
    try {
      await Promise.all(live.map((c) => c.start()));
      await expect(
        rebuildProjection({
          pool,
          kafka,
          schema: S,
          projection: reportingProjections[0],
          groupId: groups.get(reportingProjections[0].name),
          topicName,
          logger: silentLogger,
        }),
      ).rejects.toBeInstanceOf(RebuildRefused);
      for (const projection of reportingProjections) {
        const ends = await topicEnds(admin, projection.topics.map(topicName));
        await waitCaughtUp(admin, groups.get(projection.name) as string, ends, 120_000);
      }
    } finally {
      await Promise.all(live.map((c) => c.stop()));
      await admin.disconnect();
    }
    for (const projection of reportingProjections) await projection.create().settle?.(pool);
    const before = await snapshot();
    expect(before.action_status_history.length).toBeGreaterThanOrEqual(3_500 * 2);
    expect(before.actions).toHaveLength(3_500);
    expect(before.audit_entries).toHaveLength(4 + 2 * 3 + (3 + 2));
    const resolutions = new Set(before.progress_buckets.map((b) => (b as { bucket_ms: number }).bucket_ms));
    expect([...resolutions].sort()).toEqual([1_000, 60_000]);
    // A row no history explains: a rebuild must not keep it.
    await pool.query(
      `insert into ${S}.progress_buckets (rollout_id, group_id, bucket_ms, at, finished) values (5, 6, 1000, 0, 1)`,
    );

    for (const projection of reportingProjections) {
      const report = await rebuildProjection({
        pool,
        kafka,
        schema: S,
        projection,
        groupId: groups.get(projection.name),
        topicName,
        logger: silentLogger,
        timeoutMs: 120_000,
      });
      expect(report.messages).toBeGreaterThan(0);
    }
    const after = await snapshot();
    for (const table of Object.keys(before)) {
      expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
    }
  });
});
