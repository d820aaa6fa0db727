import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { dlqTopicOf, UpcasterRegistry, type ActionStatus, type RolloutCreatedV1 } from '@fleetwave/contracts';
import { createKafkaClient, IdempotentConsumer, KafkaPublisher, silentLogger } from '@fleetwave/messaging';
import { envelopeIntake, type Envelope } from '@fleetwave/service-kit';
import { eventually, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@fleetwave/testing';
import { CreationFixture } from '../../rollouts/processes/testing/creation.fixture';
import { RolloutOutcomesStore } from './rollout-outcomes.store';
import { ActionStatusConsumer, actionStatusEventTypes, isReplaySafeActionEvent } from './action-status.consumer';
import { rolloutFactsFromStreams, RolloutSetsCache } from './rollout-sets.cache';
import { TargetStatusStore } from './target-status.store';

/**
 * The action-status consumer as the app wires it, on a fresh topic and schema: two rollouts over
 * overlapping targets (the second takes over 20 targets of the first, whose cancellations arrive
 * after the takeover), then the whole topic redelivered twice (re-published with the same ids,
 * and re-read from the beginning after an offset reset).
 */
describe('action status from Kafka keeps targets and rollout outcomes current (Kafka + Postgres)', () => {
  const kafka = createKafkaClient({
    brokers: testKafkaBrokers(),
    clientId: uniqueName('status'),
    logger: silentLogger,
  });
  const admin = kafka.admin();
  const publisher = new KafkaPublisher({ kafka, logger: silentLogger });
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  const fixture = new CreationFixture(pool);
  const schema = fixture.schema;
  const topic = uniqueName('action_events');
  const groupId = uniqueName('action_status_group');
  const outcomes = new RolloutOutcomesStore(schema);
  let consumer: IdempotentConsumer<Envelope> | undefined;
  const ids = new Map<number, number>(); // target number → id
  const sets: number[] = [];

  const startConsumer = async () => {
    const status = new ActionStatusConsumer(
      new TargetStatusStore(schema),
      new RolloutSetsCache(rolloutFactsFromStreams(fixture.rollouts)),
    );
    consumer = new IdempotentConsumer<Envelope>({
      kafka,
      pool,
      schema,
      groupId,
      topics: [topic],
      ...envelopeIntake(new UpcasterRegistry(), actionStatusEventTypes),
      handleBatch: (items, ctx) => status.handleBatch(items, ctx),
      replaySafe: isReplaySafeActionEvent,
      logger: silentLogger,
      maxWaitTimeMs: 200,
      partitionsConsumedConcurrently: 3,
      fromBeginning: true,
    });
    await consumer.start();
  };

  const created = (rolloutId: number, setId: number): RolloutCreatedV1 => ({
    rolloutId,
    name: `rollout-${rolloutId}`,
    targetFilterQuery: 'name==st-*',
    distributionSet: { id: setId, name: `fw-${setId}`, version: '1.0', modules: [] },
    actionType: 'forced',
    weight: 500,
    groups: [],
    createdAt: 1,
    createdBy: 'test',
  });

  type Message = { key: string; value: string; headers: Record<string, string> };
  const message = (rolloutId: number, type: string, data: Record<string, unknown>): Message => ({
    key: String(rolloutId),
    value: JSON.stringify({ type, data, metadata: {} }),
    headers: { ce_id: randomUUID() },
  });
  const change = (rolloutId: number, n: number, from: ActionStatus, to: ActionStatus, at: number): Message =>
    message(rolloutId, 'ActionStatusChanged.v1', {
      actionId: rolloutId * 1000 + n,
      rolloutId,
      groupId: rolloutId * 10,
      targetId: ids.get(n),
      controllerId: `st-${n}`,
      from,
      to,
      at,
    });
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  /** Waits until a fresh tally row shows up: every earlier message of that key's partition is applied. */
  const flush = async (key: number) => {
    const sentinel = 900_000 + Math.floor(Math.random() * 99_999);
    await publisher.sendBatch([
      {
        topic,
        messages: [
          {
            ...message(sentinel, 'ActionsScheduled.v1', { rolloutId: sentinel, groupId: 1, count: 1 }),
            key: String(key),
          },
        ],
      },
    ]);
    await eventually(async () => expect((await outcomes.read(pool, sentinel)).scheduled).toBe(1), {
      timeoutMs: 60_000,
      description: `sentinel on key ${key} applied`,
    });
  };

  const snapshot = async () =>
    (
      await pool.query(
        `select controller_id, update_status, assigned_ds_id, assigned_ds_name, installed_ds_id, installed_ds_version
         from ${schema}.targets order by id`,
      )
    ).rows;

  beforeAll(async () => {
    await fixture.migrate();
    for (const name of ['fw-a', 'fw-b']) {
      const { rows } = await pool.query<{ id: string }>(
        `insert into ${schema}.distribution_sets (name, version, type, created_by, last_modified_by)
         values ($1, '1.0', 'os', 't', 't') returning id`,
        [name],
      );
      sets.push(Number(rows[0].id));
    }
    // Even-numbered devices have contacted the server; the others are unknown.
    const { rows } = await pool.query<{ id: string; n: number }>(
      `insert into ${schema}.targets (controller_id, name, update_status, last_controller_request_at)
       select 'st-' || n, 'st-' || n, case when n % 2 = 0 then 'registered' else 'unknown' end,
              case when n % 2 = 0 then now() end
       from generate_series(1, 60) n returning id, substr(controller_id, 4)::int as n`,
    );
    for (const r of rows) ids.set(r.n, Number(r.id));
    await fixture.rollouts.handle(1, { type: 'CreateRollout', data: created(1, sets[0]) }, { actor: 't' });
    await fixture.rollouts.handle(2, { type: 'CreateRollout', data: created(2, sets[1]) }, { actor: 't' });
    await admin.connect();
    await admin.createTopics({
      topics: [topic, dlqTopicOf(topic)].map((t) => ({ topic: t, numPartitions: 3, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    await publisher.connect();
  });

  afterAll(async () => {
    await consumer?.stop();
    await publisher.disconnect();
    await admin.deleteTopics({ topics: [topic, dlqTopicOf(topic)] }).catch(() => undefined);
    await admin.disconnect();
    await fixture.dispose();
    await pool.end();
  });

  it('applies statuses, sets, failures and tallies once, whatever is delivered again', async () => {
    // Rollout 2 takes over devices 41-60 at 1500+; 41-50 finish, 51-60 fail.
    const second = [
      message(2, 'ActionsScheduled.v1', { rolloutId: 2, groupId: 20, count: 20 }),
      ...range(41, 60).map((n) => change(2, n, 'scheduled', 'running', 1500 + n)),
      ...range(41, 50).map((n) => change(2, n, 'running', 'finished', 3000)),
      ...range(51, 60).map((n) => change(2, n, 'running', 'error', 3000)),
    ];
    // Rollout 1: 1-20 finish, 21-30 fail, 31-40 are cancelled, 41-60 are cancelled by the takeover.
    const first = [
      message(1, 'ActionsScheduled.v1', { rolloutId: 1, groupId: 10, count: 60 }),
      ...range(1, 60).map((n) => change(1, n, 'scheduled', 'running', 1000 + n)),
      ...range(1, 20).map((n) => change(1, n, 'running', 'finished', 2000)),
      ...range(21, 30).map((n) => change(1, n, 'running', 'error', 2000)),
      ...range(31, 60).map((n) => change(1, n, 'running', 'canceling', 2000)),
      ...range(31, 60).map((n) => change(1, n, 'canceling', 'canceled', 3500)),
    ];
    // The newer rollout's events are published first: the older one's cancellations are read after the takeover.
    await publisher.sendBatch([{ topic, messages: second }]);
    await publisher.sendBatch([{ topic, messages: first }]);
    await startConsumer();

    await eventually(
      async () => {
        expect(await outcomes.read(pool, 1)).toEqual({ failedTargets: 10, scheduled: 60, settled: 60 });
        expect(await outcomes.read(pool, 2)).toEqual({ failedTargets: 10, scheduled: 20, settled: 20 });
      },
      { timeoutMs: 60_000, description: 'every action event applied' },
    );
    const [a, b] = sets;
    const expected = range(1, 60).map((n) => {
      const row = (status: string, assigned: number | null, installed: number | null) => ({
        controller_id: `st-${n}`,
        update_status: status,
        assigned_ds_id: assigned === null ? null : String(assigned),
        assigned_ds_name: assigned === null ? null : assigned === a ? 'fw-a' : 'fw-b',
        installed_ds_id: installed === null ? null : String(installed),
        installed_ds_version: installed === null ? null : '1.0',
      });
      if (n <= 20) return row('in_sync', a, a);
      if (n <= 30) return row('error', a, null);
      if (n <= 40) return row(n % 2 === 0 ? 'registered' : 'unknown', null, null);
      if (n <= 50) return row('in_sync', b, b);
      return row('error', b, null);
    });
    expect(await snapshot()).toEqual(expected);
    // Only what the tally counts is recorded: the scheduled counts and the settling changes
    // (rollout 1: 20 finished, 10 failed, 30 cancelled; rollout 2: 10 finished, 10 failed).
    const records = await pool.query(
      `select count(*)::int as n from ${schema}.processed_messages where consumer = $1`,
      [groupId],
    );
    expect(records.rows[0].n).toBe(1 + 60 + 1 + 20);
    const failed = await pool.query<{ rollout_id: string; n: string }>(
      `select rollout_id, string_agg(substr(t.controller_id, 4), ',' order by t.id) as n
       from ${schema}.rollout_failed_targets f join ${schema}.targets t on t.id = f.target_id
       group by rollout_id order by rollout_id`,
    );
    expect(failed.rows).toEqual([
      { rollout_id: '1', n: range(21, 30).join(',') },
      { rollout_id: '2', n: range(51, 60).join(',') },
    ]);

    // Re-published with the same ids (a relay retrying): nothing changes, nothing is counted twice.
    await publisher.sendBatch([{ topic, messages: [...first, ...second] }]);
    await flush(1);
    await flush(2);
    expect(await snapshot()).toEqual(expected);
    expect(await outcomes.read(pool, 1)).toEqual({ failedTargets: 10, scheduled: 60, settled: 60 });

    // Re-read from the first offset (a lost commit): the same.
    await consumer?.stop();
    await admin.resetOffsets({ groupId, topic, earliest: true });
    await startConsumer();
    await flush(1);
    await flush(2);
    expect(await snapshot()).toEqual(expected);
    expect(await outcomes.read(pool, 1)).toEqual({ failedTargets: 10, scheduled: 60, settled: 60 });
    expect(await outcomes.read(pool, 2)).toEqual({ failedTargets: 10, scheduled: 20, settled: 20 });
  });
});
