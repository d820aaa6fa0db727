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
import {
  composeProjections,
  projectionNamed,
  readModelTopics,
  reportingProjections,
} from '../read-model/reporting-projections';
import { rebuildProjections, RebuildRefused, topicEnds, waitCaughtUp } from './projection-rebuild';
import { createFreshDatabase, type FreshDatabase } from './testing/fresh-database';
import { rolloutHistory } from './testing/rebuild-history.fixture';

jest.setTimeout(300_000);

/**
 * Every projection of reporting, fed a finished rollout of 3,000 actions and a running one of 500
 * from real topics by one consumer group as the service runs them, then dropped and rebuilt from
 * the topics' beginnings, one at a time and all at once: the same rows in every table. In a
 * database of its own, since the rebuild truncates whole tables.
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
  const groupId = uniqueName('rebuild_read_model');
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

  const publish = async (...histories: ReturnType<typeof rolloutHistory>[]) => {
    for (const [topic, key] of [
      [Topics.rolloutEvents, 'rollout'],
      [Topics.rolloutGroupEvents, 'group'],
      [Topics.actionEvents, 'action'],
    ] as const) {
      await publisher.send(
        topicName(topic),
        histories.flatMap((h) => h[key]).map((e) => kafkaMessage(e, T0 + 50)),
      );
    }
  };
  const rebuild = (projections: typeof reportingProjections, timeoutMs = 120_000) =>
    rebuildProjections({ pool, kafka, schema: S, projections, groupId, topicName, logger: silentLogger, timeoutMs });

  it('writes identical tables after a rebuild of each projection, and of all of them', async () => {
    await publish(rolloutHistory(1_000, [1_000, 1_000, 1_000], true), rolloutHistory(9_000, [500], false));

    // As the service runs them: every projection in one consumer group.
    const admin = kafka.admin();
    await admin.connect();
    const readModel = composeProjections(reportingProjections);
    const live = new IdempotentConsumer<Envelope>({
      groupId,
      topics: readModelTopics.map(topicName),
      kafka,
      pool,
      schema: S,
      ...envelopeIntake(integrationEventUpcasters(), readModel.types),
      handleBatch: readModel.handleBatch,
      logger: silentLogger,
      maxWaitTimeMs: 250,
    });
    try {
      await live.start();
      await waitCaughtUp(admin, groupId, await topicEnds(admin, readModelTopics.map(topicName)), 120_000);
      await expect(rebuild([reportingProjections[0]])).rejects.toBeInstanceOf(RebuildRefused);
    } finally {
      await live.stop();
      await admin.disconnect();
    }
    await readModel.settle(pool);
    const before = await snapshot();
    expect(before.action_status_history.length).toBeGreaterThanOrEqual(3_500 * 2);
    expect(before.actions).toHaveLength(3_500);
    expect(before.audit_entries).toHaveLength(4 + 2 * 3 + (3 + 2));
    const resolutions = new Set(before.progress_buckets.map((b) => (b as { bucket_ms: number }).bucket_ms));
    expect([...resolutions].sort()).toEqual([1_000, 60_000]);
    // Rows no history explains: a rebuild must not keep them.
    const strays: Record<string, string> = {
      'progress-buckets': `insert into ${S}.progress_buckets (rollout_id, group_id, bucket_ms, at, finished)
                           values (5, 6, 1000, 0, 1)`,
      'decision-audit': `insert into ${S}.audit_rollouts (rollout_id) values (5)`,
    };

    for (const projection of reportingProjections) {
      if (strays[projection.name]) await pool.query(strays[projection.name]);
      const report = await rebuild([projection]);
      expect(report.messages).toBeGreaterThan(0);
      const after = await snapshot();
      for (const table of projection.tables) {
        expect({ projection: projection.name, table, rows: after[table] }).toEqual({
          projection: projection.name,
          table,
          rows: before[table],
        });
      }
    }
    expect(await snapshot()).toEqual(before);

    // Published while the service is down: a rebuild of one projection first brings the others
    // to the same offsets, so all of them show the third rollout, and all at once agrees.
    await publish(rolloutHistory(20_000, [200, 200], true));
    await rebuild([projectionNamed('decision-audit')]);
    const caughtUp = await snapshot();
    expect(caughtUp.actions).toHaveLength(3_900);
    expect(caughtUp.audit_rollouts).toHaveLength(3);
    await rebuild(reportingProjections);
    expect(await snapshot()).toEqual(caughtUp);
  });
});
