import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  createKafkaClient,
  ensureTopics,
  IdempotentConsumer,
  KafkaPublisher,
  silentLogger,
} from '@fleetwave/messaging';
import { createPool, migrateSchema } from '@fleetwave/platform';
import { parseEnvelope, type Envelope } from '@fleetwave/service-kit';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { REPORTING_SCHEMA as S, reportingMigration } from './rollout-progress.migration';
import { RolloutProgressProjection } from './rollout-progress.projection';
import { projectedEventTypes } from './rollout-progress.plan';
import { createdAndReady, freshId } from './testing/progress-events.fixture';

/**
 * The projection on its own behind the idempotent consumer (the service runs it composed with the
 * others): lifecycle events of a rollout come from Kafka in order on its partition, a redelivered
 * one changes nothing, and a removed rollout leaves no row.
 */
describe('rollout progress projection behind the idempotent consumer (real Kafka and Postgres)', () => {
  const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'reporting-test', logger: silentLogger });
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  const topic = uniqueName('rollout_events');
  let pool: Pool;
  let consumer: IdempotentConsumer<Envelope> | undefined;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-kafka-test', 4);
    await migrateSchema(pool, reportingMigration);
    // One partition: the order across the two rollouts holds too, so the first one's end is the second one's.
    await ensureTopics(testKafkaBrokers(), [topic], 1);
    await publisher.connect();
  });
  afterAll(async () => {
    await consumer?.stop();
    await publisher.disconnect();
    await pool?.end();
  });

  const rolloutRow = async (id: number) =>
    (
      await pool.query<{ status: string; name: string; last_modified_by: string }>(
        `select status, name, last_modified_by from ${S}.rollout_views where id = $1`,
        [id],
      )
    ).rows[0];

  it('applies each rollout in order, skips a redelivered pause and forgets a removed rollout', async () => {
    const [r, gone] = [freshId(), freshId()];
    const message = (rolloutId: number, event: Pick<Envelope, 'type' | 'data'>, id: string = randomUUID()) => ({
      key: String(rolloutId),
      value: { ...event, metadata: { actor: 'rollout-command' } },
      headers: { ce_id: id },
    });
    const pause = message(r, {
      type: 'RolloutPaused.v1',
      data: { rolloutId: r, pausedAt: 3_000, pausedBy: 'ann', cause: 'MANUAL' },
    });
    await publisher.send(topic, [
      ...createdAndReady(gone, [1]).map((i) => message(gone, i.message)),
      message(gone, { type: 'RolloutRemoved.v1', data: { rolloutId: gone, removedAt: 3_000, removedBy: 'ann' } }),
      ...createdAndReady(r, [1]).map((i) => message(r, i.message)),
      message(r, { type: 'RolloutStarted.v1', data: { rolloutId: r, startedAt: 2_000, startedBy: 'ann' } }),
      pause,
      message(r, { type: 'RolloutResumed.v1', data: { rolloutId: r, resumedAt: 4_000, resumedBy: 'bob' } }),
      // The pause again, with its id: as after a relay retry.
      { ...pause },
      message(r, {
        type: 'RolloutUpdated.v1',
        data: { rolloutId: r, name: 'renamed', updatedAt: 5_000, updatedBy: 'cy' },
      }),
    ]);

    consumer = new IdempotentConsumer<Envelope>({
      groupId: uniqueName('reporting_progress'),
      topics: [topic],
      kafka,
      pool,
      schema: S,
      parse: parseEnvelope,
      relevant: (event) => projectedEventTypes.includes(event.type as (typeof projectedEventTypes)[number]),
      handleBatch: new RolloutProgressProjection().handleBatch,
      logger: silentLogger,
      maxWaitTimeMs: 200,
    });
    await consumer.start();

    await eventually(
      async () => expect(await rolloutRow(r)).toEqual({ status: 'starting', name: 'renamed', last_modified_by: 'cy' }),
      { description: 'the rollout resumed and renamed', timeoutMs: 30_000 },
    );
    // Published before the first rollout's events on the one partition: applied by now.
    const left = await pool.query(
      `select id from ${S}.rollouts where id = $1 union all select id from ${S}.rollout_groups where rollout_id = $1`,
      [gone],
    );
    expect(left.rows).toEqual([]);
  });
});
