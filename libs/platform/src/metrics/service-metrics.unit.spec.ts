import { sampleValue } from './exposition-sample';
import { ServiceMetrics } from './service-metrics';

describe('ServiceMetrics.collectedGauge', () => {
  it('reads the series when scraped, dropping those no longer returned', async () => {
    const metrics = new ServiceMetrics('unit', { processMetrics: false });
    let series = [
      { labels: { state: 'running' }, value: 3 },
      { labels: { state: 'paused' }, value: 1 },
    ];
    metrics.collectedGauge({ name: 'unit_rollouts', help: 'h', labelNames: ['state'] }, async () => series);
    expect(sampleValue(await metrics.exposition(), 'unit_rollouts', { state: 'paused' })).toBe(1);
    series = [{ labels: { state: 'running' }, value: 4 }];
    const text = await metrics.exposition();
    expect(sampleValue(text, 'unit_rollouts', { state: 'running' })).toBe(4);
    expect(sampleValue(text, 'unit_rollouts', { state: 'paused' })).toBeUndefined();
  });

  it('keeps the last values and counts the failure when a read fails', async () => {
    const metrics = new ServiceMetrics('unit', { processMetrics: false });
    let fail = false;
    metrics.collectedGauge({ name: 'unit_backlog', help: 'h' }, async () => {
      if (fail) throw new Error('database down');
      return [{ labels: {}, value: 7 }];
    });
    await metrics.exposition();
    fail = true;
    const text = await metrics.exposition();
    expect(sampleValue(text, 'unit_backlog')).toBe(7);
    // The counter is written out before the gauge is read, so the failure shows from the next scrape.
    const next = await metrics.exposition();
    expect(sampleValue(next, 'fleetwave_metrics_collect_failures_total', { metric: 'unit_backlog' })).toBe(1);
  });

  it('labels every series with the service', async () => {
    const metrics = new ServiceMetrics('reporting', { processMetrics: false });
    metrics.counter({ name: 'unit_total', help: 'h' }).inc(2);
    expect(sampleValue(await metrics.exposition(), 'unit_total', { service: 'reporting' })).toBe(2);
  });
});
