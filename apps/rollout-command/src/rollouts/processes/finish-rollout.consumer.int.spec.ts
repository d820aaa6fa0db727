import { Pool } from 'pg';
import type { BatchItem } from '@fleetwave/messaging';
import { withTransaction } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import { testDatabaseUrl } from '@fleetwave/testing';
import { FinishRolloutConsumer } from './finish-rollout.consumer';
import { RolloutCreationWorker } from './rollout-creation.worker';
import { CreationFixture } from './testing/creation.fixture';

const item = (message: Envelope, offset: number): BatchItem<Envelope> => ({
  message,
  context: {
    topic: 'rollout-group.events.v1',
    partition: 0,
    offset: String(offset),
    key: null,
    headers: {},
    messageId: `group-events:0:${offset}`,
  },
});

const completed = (rolloutId: number): Envelope => ({
  type: 'RolloutGroupsCompleted.v1',
  data: { rolloutId, completedAt: 1_700_000_000_000 },
  metadata: {},
});

describe('FinishRolloutConsumer as a batch handler (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  const fixture = new CreationFixture(pool);
  const consumer = new FinishRolloutConsumer(fixture.rollouts);

  beforeAll(async () => {
    await fixture.migrate();
    await fixture.seedTargets('fin', 40);
    const worker = new RolloutCreationWorker(pool, fixture.step(), fixture.progress);
    for (const id of [1, 2]) {
      await fixture.createRollout(id, 'name==fin-*', 1);
      while (await worker.runOnce());
      await fixture.rollouts.handle(
        id,
        { type: 'StartRollout', data: { rolloutId: id, startedAt: 1, startedBy: 't' } },
        {},
      );
    }
  });
  afterAll(async () => {
    await fixture.dispose();
    await pool.end();
  });

  it('finishes each completed rollout once, ignoring repeats and other events of the batch', async () => {
    const other: Envelope = { type: 'RolloutGroupStarted.v1', data: { rolloutId: 1 }, metadata: {} };
    const items = [completed(1), other, completed(1), completed(2)].map(item);

    const result = await withTransaction(pool, (tx) =>
      consumer.handleBatch(items, { topic: 'rollout-group.events.v1', partition: 0, tx }),
    );

    expect(result.ignored).toEqual(['group-events:0:1', 'group-events:0:2']);
    for (const id of [1, 2]) {
      const types = (await fixture.rolloutEvents(id)).map((e) => e.type);
      expect(types).toEqual(['RolloutCreated.v1', 'RolloutReady.v1', 'RolloutStarted.v1', 'RolloutFinished.v1']);
    }

    // Redelivered in a later batch, a completion changes nothing.
    const again = await withTransaction(pool, (tx) =>
      consumer.handleBatch([item(completed(2), 9)], { topic: 'rollout-group.events.v1', partition: 0, tx }),
    );
    expect(again.ignored).toEqual(['group-events:0:9']);
    expect(await fixture.rolloutEvents(2)).toHaveLength(4);
  });
});
