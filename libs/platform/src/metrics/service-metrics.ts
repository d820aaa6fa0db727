import type { Provider } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Injection token of a service's {@link ServiceMetrics}; `/metrics` is served when it is provided. */
export const METRICS = Symbol('METRICS');

/** Buckets (seconds) for work measured per batch or per request: from a millisecond to half a minute. */
export const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Options of {@link ServiceMetrics}. */
export interface ServiceMetricsOptions {
  /** Node's process metrics (CPU, memory, event-loop lag, GC); on by default. */
  processMetrics?: boolean;
}

interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

/**
 * One registry per service (never prom-client's global one, so that several services or test
 * fixtures in one process keep apart), labelled with the service name. Families are created
 * once by name and shared by everything that reports into them: two consumers of one service
 * write different label values of the same counter.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(
    readonly serviceName: string,
    options: ServiceMetricsOptions = {},
  ) {
    this.registry.setDefaultLabels({ service: serviceName });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The counter of that name, created on first use. */
  counter<L extends string>(spec: MetricSpec<L>): Counter<L> {
    return this.existing<Counter<L>>(spec.name) ?? new Counter<L>({ ...spec, registers: [this.registry] });
  }

  /** The histogram of that name (default {@link latencyBuckets}), created on first use. */
  histogram<L extends string>(spec: MetricSpec<L> & { buckets?: number[] }): Histogram<L> {
    return (
      this.existing<Histogram<L>>(spec.name) ??
      new Histogram<L>({ buckets: latencyBuckets, ...spec, registers: [this.registry] })
    );
  }

  /**
   * A gauge whose values are read when scraped: `collect` returns every series at that moment
   * (series it no longer returns disappear). A failing read leaves the previous values and is
   * counted in `fleetwave_metrics_collect_failures_total` (shown from the next scrape on), so one
   * failing source never fails the scrape.
   */
  collectedGauge<L extends string>(
    spec: MetricSpec<L>,
    collect: () => Promise<{ labels: Partial<Record<L, string | number>>; value: number }[]>,
  ): Gauge<L> {
    const failures = this.counter({
      name: 'fleetwave_metrics_collect_failures_total',
      help: 'Reads of scrape-time gauges that failed (the gauge kept its previous values)',
      labelNames: ['metric'],
    });
    return new Gauge<L>({
      ...spec,
      registers: [this.registry],
      async collect() {
        try {
          const series = await collect();
          this.reset();
          for (const { labels, value } of series) this.set(labels, value);
        } catch {
          failures.inc({ metric: spec.name });
        }
      },
    });
  }

  /** The exposition text of every metric, as `GET /metrics` answers it. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content type of {@link exposition} (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}

/** Providers of a service without a kit (the kit's providers include the same token). */
export function metricsProviders(serviceName: string, options?: ServiceMetricsOptions): Provider[] {
  return [{ provide: METRICS, useValue: new ServiceMetrics(serviceName, options) }];
}
