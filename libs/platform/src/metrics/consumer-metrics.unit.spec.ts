import { ConsumerMetrics } from './consumer-metrics';
import { sampleValue } from './exposition-sample';
import { ServiceMetrics } from './service-metrics';

describe('ConsumerMetrics', () => {
  const setup = () => {
    const metrics = new ServiceMetrics('unit', { processMetrics: false });
    return { metrics, consumers: new ConsumerMetrics(metrics) };
  };

  it('adds up the slices of each group and topic', async () => {
    const { metrics, consumers } = setup();
    const a = consumers.forGroup('group-a');
    a.sliceSettled({
      topic: 't1',
      processed: 3,
      deadLettered: 1,
      duplicates: 2,
      ignored: 0,
      handlerSeconds: 0.002,
      transactionSeconds: 0.004,
    });
    a.sliceSettled({ topic: 't1', processed: 4, deadLettered: 0, duplicates: 0, ignored: 5 });
    consumers
      .forGroup('group-b')
      .sliceSettled({ topic: 't1', processed: 1, deadLettered: 0, duplicates: 0, ignored: 0 });
    a.sliceFailed('t1');
    const text = await metrics.exposition();
    const labels = { group: 'group-a', topic: 't1', service: 'unit' };
    expect(sampleValue(text, 'fleetwave_consumer_messages_processed_total', labels)).toBe(7);
    expect(sampleValue(text, 'fleetwave_consumer_messages_dead_lettered_total', labels)).toBe(1);
    expect(sampleValue(text, 'fleetwave_consumer_messages_skipped_total', { ...labels, reason: 'duplicate' })).toBe(2);
    expect(sampleValue(text, 'fleetwave_consumer_messages_skipped_total', { ...labels, reason: 'ignored' })).toBe(5);
    expect(sampleValue(text, 'fleetwave_consumer_slice_failures_total', labels)).toBe(1);
    expect(sampleValue(text, 'fleetwave_consumer_batch_messages_count', labels)).toBe(2);
    expect(sampleValue(text, 'fleetwave_consumer_batch_messages_sum', labels)).toBe(15);
    // Only the slice that ran a transaction is timed.
    expect(sampleValue(text, 'fleetwave_consumer_batch_transaction_seconds_count', labels)).toBe(1);
    expect(sampleValue(text, 'fleetwave_consumer_batch_handler_seconds_sum', labels)).toBeCloseTo(0.002);
    expect(sampleValue(text, 'fleetwave_consumer_messages_processed_total', { group: 'group-b' })).toBe(1);
  });

  it('shares the families between consumers of one service', () => {
    const { metrics } = setup();
    new ConsumerMetrics(metrics);
    expect(() => new ConsumerMetrics(metrics)).not.toThrow();
    expect(metrics.registry.getMetricsAsArray().filter((m) => m.name.startsWith('fleetwave_consumer_'))).toHaveLength(
      7,
    );
  });
});
