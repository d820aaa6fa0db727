import type { Pool } from 'pg';
import {
  createKafkaClient,
  ensureTopics,
  IdempotentConsumer,
  KafkaPublisher,
  silentLogger,
} from '@fleetwave/messaging';
import { createPool, migrateSchema, withTransaction } from '@fleetwave/platform';
import { parseEnvelope, type Envelope } from '@fleetwave/service-kit';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { REPORTING_SCHEMA as S, reportingMigration } from '../rollout-progress/rollout-progress.migration';
import { RolloutProgressProjection } from '../rollout-progress/rollout-progress.projection';
import { createdAndReady, freshId, item } from '../rollout-progress/testing/progress-events.fixture';
import { kafkaMessage } from '../rollout-history/testing/history-events.fixture';
import { AuditQueries } from './audit.queries';
import { auditedEventTypes } from './decision-audit.plan';
import { DecisionAuditProjection } from './decision-audit.projection';
import {
  figures,
  groupFailedWith,
  groupFinishedWith,
  groupStartedBecause,
  pauseRequested,
} from './testing/audit-events.fixture';

/**
 * The audit of a 3-group rollout with an error pause and a resume, consumed from a rollout topic
 * and a group topic at once, with a redelivered event: every entry once, in order, with the reason
 * and figures behind it.
 */
describe('decision audit projection and query (real Kafka and Postgres)', () => {
  const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'audit-test', logger: silentLogger });
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  const [rolloutTopic, groupTopic] = [uniqueName('rollout_events'), uniqueName('group_events')];
  let pool: Pool;
  let queries: AuditQueries;
  let consumer: IdempotentConsumer<Envelope> | undefined;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'reporting-audit-test', 4);
    await migrateSchema(pool, reportingMigration);
    await ensureTopics(testKafkaBrokers(), [rolloutTopic, groupTopic], 2);
    await publisher.connect();
    queries = new AuditQueries(async (sql, params) => (await pool.query(sql, params)).rows);
  });
  afterAll(async () => {
    await consumer?.stop();
    await publisher.disconnect();
    await pool?.end();
  });

  it('records every decision with its figures, once and in order', async () => {
    const r = freshId();
    const [g1, g2, g3] = [r + 1, r + 2, r + 3];
    const [created, ready] = createdAndReady(r, [100, 100, 100]);
    const paused = item(
      'RolloutPaused.v1',
      { rolloutId: r, pausedAt: 5_000, pausedBy: 'rollout-command', cause: 'ERROR_CONDITION', groupId: g2 },
      { actor: 'rollout-command', causationId: 'pause-request' },
    );
    const rolloutEvents = [
      kafkaMessage(created),
      kafkaMessage(ready, 1_500),
      kafkaMessage(item('RolloutStarted.v1', { rolloutId: r, startedAt: 2_000, startedBy: 'ann' })),
      kafkaMessage(paused),
      kafkaMessage(item('RolloutResumed.v1', { rolloutId: r, resumedAt: 6_000, resumedBy: 'bob' })),
      // Redelivered, as after a relay retry.
      kafkaMessage(paused),
      kafkaMessage(item('RolloutFinished.v1', { rolloutId: r, finishedAt: 9_000 })),
    ];
    const groupEvents = [
      groupStartedBecause(r, g1, 1, 2_100, { kind: 'ROLLOUT_STARTED' }),
      groupStartedBecause(r, g2, 2, 3_000, {
        kind: 'SUCCESS_CONDITION',
        groupId: g1,
        figures: figures(81, 2),
        condition: { condition: 'THRESHOLD', expression: 80 },
      }),
      groupFinishedWith(r, g1, 1, 3_500, figures(95, 5)),
      groupFailedWith(r, g2, 2, 4_000, figures(60, 25), { condition: 'THRESHOLD', expression: 20 }),
      pauseRequested(r, g2, 2, 4_000, figures(60, 25), 'ERROR_CONDITION', { condition: 'THRESHOLD', expression: 20 }),
      groupStartedBecause(r, g3, 3, 6_100, { kind: 'RESUMED', by: 'bob' }),
      groupFinishedWith(r, g3, 3, 8_000, figures(100)),
    ].map((e) => kafkaMessage(e));
    await publisher.send(rolloutTopic, rolloutEvents);
    await publisher.send(groupTopic, groupEvents);
    // The audit answers for rollouts the read model holds.
    await withTransaction(pool, (tx) =>
      new RolloutProgressProjection().handleBatch([created, ready], { topic: 'test', partition: 0, tx }),
    );

    consumer = new IdempotentConsumer<Envelope>({
      groupId: uniqueName('decision_audit'),
      topics: [rolloutTopic, groupTopic],
      kafka,
      pool,
      schema: S,
      parse: parseEnvelope,
      relevant: (event) => auditedEventTypes.includes(event.type as (typeof auditedEventTypes)[number]),
      handleBatch: new DecisionAuditProjection().handleBatch,
      logger: silentLogger,
      maxWaitTimeMs: 200,
    });
    await consumer.start();

    const trail = await eventually(
      async () => {
        const entries = await queries.audit(r);
        expect(entries).toHaveLength(13);
        return entries;
      },
      { description: 'every decision audited', timeoutMs: 30_000 },
    );
    expect(trail.map((e) => [e.at, e.subject, e.groupId ?? null, e.from ?? null, e.to, e.reason])).toEqual([
      [1_000, 'rollout', null, null, 'creating', 'rollout created by tester with 3 groups for "name==*"'],
      [1_500, 'rollout', null, 'creating', 'ready', 'ready: 300 targets in 3 groups'],
      [2_000, 'rollout', null, 'ready', 'running', 'started by ann'],
      [2_100, 'group', g1, 'scheduled', 'running', 'rollout started → started group 1'],
      [3_000, 'group', g2, 'scheduled', 'running', 'group 1: finished 81% ≥ 80% → started group 2'],
      [
        3_500,
        'group',
        g1,
        'running',
        'finished',
        'group 1: finished 95, error 5, cancelled 0 of 100 → group 1 finished',
      ],
      [4_000, 'group', g2, 'running', 'error', 'group 2: error 25% > 20% → group 2 in error'],
      [4_000, 'group', g2, 'error', 'error', 'group 2: error 25% > 20% → rollout paused'],
      [5_000, 'rollout', null, 'running', 'paused', 'group 2: error condition held → rollout paused'],
      [6_000, 'rollout', null, 'paused', 'running', 'resumed by bob'],
      [6_100, 'group', g3, 'scheduled', 'running', 'rollout resumed by bob → started group 3'],
      [
        8_000,
        'group',
        g3,
        'running',
        'finished',
        'group 3: finished 100, error 0, cancelled 0 of 100 → group 3 finished',
      ],
      [9_000, 'rollout', null, 'running', 'finished', 'finished: every group is done'],
    ]);
    expect(trail[4]).toMatchObject({
      eventType: 'RolloutGroupStarted.v1',
      actor: 'group-orchestrator',
      correlationId: 'corr-1',
      figures: {
        total: 100,
        finished: 81,
        error: 2,
        cancelled: 0,
        percent: 81,
        condition: { condition: 'THRESHOLD', expression: 80 },
      },
    });
    expect(trail[8]).toMatchObject({
      eventId: paused.context.messageId,
      eventType: 'RolloutPaused.v1',
      actor: 'rollout-command',
      causationId: 'pause-request',
    });
    expect(trail[7].figures).toEqual({
      total: 100,
      finished: 60,
      error: 25,
      cancelled: 0,
      percent: 25,
      condition: { condition: 'THRESHOLD', expression: 20 },
    });
    await expect(queries.audit(freshId())).rejects.toThrow(/does not exist/);
  });
});
