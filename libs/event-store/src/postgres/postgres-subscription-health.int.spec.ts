import { eventually } from '@fleetwave/testing';
import type { Subscription } from '../event-subscription.port';
import {
  createTestPool,
  deliveryBound,
  freshPostgresStore,
  type PostgresStoreFixture,
} from '../testing/postgres-store.fixture';

const pool = createTestPool();
afterAll(() => pool.end());

describe('PostgresEventStore subscriptions: health', () => {
  let fixture: PostgresStoreFixture;
  let subscription: Subscription | undefined;
  beforeEach(async () => {
    fixture = await freshPostgresStore(pool);
  });
  afterEach(async () => {
    await subscription?.stop();
    await fixture.dispose();
  });

  it('reports a failing batch with its error while it is retried, and clears once it succeeds', async () => {
    let failuresLeft = 3;
    const handled: string[] = [];
    subscription = fixture.store.subscribe({
      subscriptionId: 'health-probe',
      handler: async (events) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('broker unavailable: produce timed out');
        }
        handled.push(...events.map((e) => e.id));
      },
    });
    expect(subscription.health?.()).toEqual({ subscriptionId: 'health-probe', failedPasses: 0 });
    await subscription.start();
    const appended = await fixture.store.appendToStream('probe-1', [{ type: 'Probed.v1', data: { n: 1 } }]);
    expect(appended.nextExpectedRevision).toBe(0);

    await eventually(() => {
      const health = subscription!.health!();
      expect(health.failedPasses).toBeGreaterThanOrEqual(1);
      expect(health.failingSince).toBeInstanceOf(Date);
      expect(health.lastError).toBe('broker unavailable: produce timed out');
    }, deliveryBound);

    await eventually(() => expect(handled).toHaveLength(1), deliveryBound);
    const recovered = subscription.health!();
    expect(recovered.failedPasses).toBe(0);
    expect(recovered.failingSince).toBeUndefined();
    expect(recovered.lastError).toBeUndefined();
  });
});
