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
import { REPORTING_SCHEMA as S, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { actionsProjectedTypes } from './actions.plan';
import { ActionsProjection } from './actions.projection';
import { created, freshId, scheduledActions, scheduledWith, statusChanged } from './testing/actions-events.fixture';

/**
 * The projection on its own behind the idempotent consumer, over the action and rollout
 * topics (the service runs it composed with the others, read-model/reporting-projections.ts):
 * a redelivered message changes nothing, and each
 * action's history follows the order of its partition across batches.
 */
describe('actions projection behind the idempotent consumer (real Kafka and Postgres)', () => {
  const kafka = createKafkaClient({
    brokers: testKafkaBrokers(),
    clientId: 'reporting-actions-test',
    logger: silentLogger,
  });
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  const actionTopic = uniqueName('action_events');
  const rolloutTopic = uniqueName('rollout_events');
  let pool: Pool;
  let consumer: IdempotentConsumer<Envelope> | undefined;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-actions-kafka-test', 4);
    await migrateSchema(pool, reportingMigration);
    await ensureTopics(testKafkaBrokers(), [actionTopic, rolloutTopic], 2);
    await publisher.connect();
  });
  afterAll(async () => {
    await consumer?.stop();
    await publisher.disconnect();
    await pool?.end();
  });

  const message = (rolloutId: number, event: Pick<Envelope, 'type' | 'data'>, id: string = randomUUID()) => ({
    key: String(rolloutId),
    value: { ...event, metadata: {} },
    headers: { ce_id: id },
  });

  const histories = async (rolloutId: number) =>
    (
      await pool.query<{ action_id: string; statuses: string[] }>(
        `select h.action_id, array_agg(h.status order by h.seq) as statuses
         from ${S}.action_status_history h join ${S}.actions a on a.id = h.action_id
         where a.rollout_id = $1 group by h.action_id order by h.action_id`,
        [rolloutId],
      )
    ).rows.map((row) => [Number(row.action_id), row.statuses]);

  it('applies each action in partition order and skips redelivered messages', async () => {
    const r = freshId();
    const g = r + 1;
    const actions = scheduledActions(r + 100, 3);
    const change = (i: number, to: 'running' | 'download' | 'finished' | 'error', at: number) =>
      message(r, statusChanged({ ...actions[i], rolloutId: r, groupId: g, to, at }).message);
    const scheduling = message(r, scheduledWith(r, g, actions, 2_000).message);
    const running = actions.map((_, i) => change(i, 'running', 3_000 + i));
    const download = change(0, 'download', 4_000);

    await publisher.send(rolloutTopic, [message(r, created(r, [g]).message)]);
    await publisher.send(actionTopic, [scheduling, ...running, download]);

    consumer = new IdempotentConsumer<Envelope>({
      groupId: uniqueName('reporting_actions'),
      topics: [actionTopic, rolloutTopic],
      kafka,
      pool,
      schema: S,
      parse: parseEnvelope,
      relevant: (event) => actionsProjectedTypes.includes(event.type as (typeof actionsProjectedTypes)[number]),
      handleBatch: new ActionsProjection().handleBatch,
      logger: silentLogger,
      maxWaitTimeMs: 200,
    });
    await consumer.start();
    await eventually(
      async () =>
        expect(await histories(r)).toEqual([
          [actions[0].actionId, ['scheduled', 'running', 'download']],
          [actions[1].actionId, ['scheduled', 'running']],
          [actions[2].actionId, ['scheduled', 'running']],
        ]),
      { description: 'the first batch projected', timeoutMs: 30_000 },
    );

    // The same messages again (relay retries keep their ids), then news.
    await publisher.send(actionTopic, [
      { ...scheduling },
      ...running.map((m) => ({ ...m })),
      { ...download },
      change(0, 'finished', 5_000),
      change(1, 'error', 5_100),
    ]);
    await eventually(
      async () =>
        expect(await histories(r)).toEqual([
          [actions[0].actionId, ['scheduled', 'running', 'download', 'finished']],
          [actions[1].actionId, ['scheduled', 'running', 'error']],
          [actions[2].actionId, ['scheduled', 'running']],
        ]),
      { description: 'the news projected, the redelivered messages skipped', timeoutMs: 30_000 },
    );
    const { rows } = await pool.query(
      `select status, rollout_name from ${S}.action_views where rollout_id = $1 order by id`,
      [r],
    );
    expect(rows).toEqual([
      { status: 'finished', rollout_name: `r-${r}` },
      { status: 'error', rollout_name: `r-${r}` },
      { status: 'running', rollout_name: `r-${r}` },
    ]);
  });
});
