import { eventually } from '@fleetwave/testing';
import type { RecordedEvent } from '@fleetwave/contracts';
import type { Subscription } from '../event-subscription.port';
import {
  createTestPool,
  deliveryBound,
  freshPostgresStore,
  type PostgresStoreFixture,
} from '../testing/postgres-store.fixture';
import { createRelay } from './event-relay.factory';

const pool = createTestPool();
afterAll(() => pool.end());

describe('createRelay on Postgres', () => {
  let fixture: PostgresStoreFixture;
  const running: Subscription[] = [];
  beforeEach(async () => {
    fixture = await freshPostgresStore(pool);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((relay) => relay.stop()));
    await fixture.dispose();
  });

  /** 60 appends of 5 events over 12 rollout streams, plus group events the relay must leave out. */
  const appendRound = async (round: number) => {
    for (let t = 0; t < 60; t++) {
      const events = Array.from({ length: 5 }, (_, i) => ({ type: 'RolloutProgressed.v1', data: { round, t, i } }));
      await fixture.store.appendToStream(`rollout-${t % 12}`, events);
      if (t % 10 === 0) await fixture.store.appendToStream(`group-${t}`, [{ type: 'GroupStarted.v1', data: {} }]);
    }
  };

  it('restarted mid-stream, publishes every event at least once, in stream order, exactly once after dedup', async () => {
    await appendRound(1);
    const log: RecordedEvent[] = [];
    let batches = 0;
    let releaseSixthBatch = (): void => undefined;
    const sixthBatchHeld = new Promise<void>((resolve) => (releaseSixthBatch = resolve));
    const first = createRelay({
      store: fixture.store,
      subscriptionId: 'kafka-relay',
      categories: ['rollout'],
      batchSize: 20,
      publish: async (events) => {
        log.push(...events);
        batches++;
        // As if the process died after the broker acknowledged but before the checkpoint committed.
        if (batches === 3) throw new Error('crashed before the checkpoint');
        if (batches === 6) await sixthBatchHeld;
      },
    });
    await first.start();
    running.push(first);
    await eventually(() => expect(batches).toBe(6), { description: 'sixth batch in flight' });
    const stopping = first.stop();
    releaseSixthBatch();
    await stopping;

    await appendRound(2);
    const second = createRelay({
      store: fixture.store,
      subscriptionId: 'kafka-relay',
      categories: ['rollout'],
      publish: async (events) => void log.push(...events),
    });
    await second.start();
    running.push(second);

    const rolloutEvents = 2 * 60 * 5;
    await eventually(() => expect(new Set(log.map((e) => e.id)).size).toBe(rolloutEvents), deliveryBound);
    expect(log.every((e) => e.streamName.startsWith('rollout-'))).toBe(true);
    expect(log.length).toBeGreaterThan(rolloutEvents); // the crashed batch went out twice

    const firstSeen = new Map<string, RecordedEvent>();
    for (const event of log) if (!firstSeen.has(event.id)) firstSeen.set(event.id, event);
    const published = new Map<string, number[]>();
    for (const event of log) {
      const seen = published.get(event.streamName) ?? [];
      // A consumer never sees revision r before r - 1, even across the replayed batch.
      expect(event.revision === 0 || seen.includes(event.revision - 1)).toBe(true);
      published.set(event.streamName, [...seen, event.revision]);
    }
    const deduplicated = [...firstSeen.values()];
    for (let s = 0; s < 12; s++) {
      const revisions = deduplicated.filter((e) => e.streamName === `rollout-${s}`).map((e) => e.revision);
      expect(revisions).toEqual(revisions.map((_, i) => i));
      expect(revisions).toHaveLength(50);
    }
  });
});
