import type { BenchArgs } from './bench-args';
import { figure, type Figure } from './figures';
import type { MachineLimits } from './machine-limits';
import type { DiskUse } from './resources';
import type { CascadeHop, RolloutAnalysis } from './rollout-analysis';
import type { RolloutRun } from './rollout-run';
import { percentile } from './stats';

export interface FleetInputs {
  args: BenchArgs;
  run: RolloutRun;
  analysis: RolloutAnalysis;
  limits: MachineLimits | undefined;
  rss: Record<string, number | undefined>;
  diskBefore: DiskUse;
  diskAfter: DiskUse;
}

const MB = 1024 * 1024;

/** The goals where it sets one for this size. */
function readyGoal(devices: number): number | undefined {
  if (devices === 1_000_000) return 20_000;
  if (devices === 100_000) return 3_000;
  return undefined;
}

/** Every figure of a run, each next to the machine limit it is bounded by and the goal. */
export function fleetFigures({ args, run, analysis: a, limits, rss, diskBefore, diskAfter }: FleetInputs): Figure[] {
  const n = args.devices;
  const rawRate = limits && Math.min(limits.kafkaProducePerSecond, limits.kafkaConsumePerSecond);
  const copyMs = (rows: number) => limits && (rows / limits.copyRowsPerSecond) * 1000;
  const produceMs = (messages: number) => limits && (messages / limits.kafkaProducePerSecond) * 1000;
  const hop = (p: 50 | 99) => (p === 50 ? limits?.kafkaHopP50Ms : limits?.kafkaHopP99Ms);
  const figures: Figure[] = [
    figure({
      figure: 'registrationTargetsPerSecond',
      value: (n / run.registrationMs) * 1000,
      unit: '/s',
      better: 'higher',
      limit: { value: limits?.copyRowsPerSecond, of: 'raw COPY rows/s' },
      goal: 20_000,
    }),
    figure({
      figure: 'createToReadyMs',
      value: run.readyAt - run.createdAt,
      unit: 'ms',
      better: 'lower',
      limit: { value: copyMs(n), of: `COPY of ${n} rows` },
      goal: readyGoal(n),
    }),
    figure({
      figure: 'startToGroup1InstructionsSentMs',
      value: a.group1InstructionsMs,
      unit: 'ms',
      better: 'lower',
      limit: { value: produceMs(a.group1Size), of: `raw produce of ${a.group1Size} messages` },
      goal: n === 1_000_000 ? 5_000 : undefined,
      note: `${a.group1Instructions} of ${a.group1Size} group-1 instructions`,
    }),
    figure({
      figure: 'statusUpdatesPerSecond',
      value: a.statusUpdatesPerSecond,
      unit: '/s',
      better: 'higher',
      limit: { value: rawRate, of: 'raw kafkajs min(produce, consume) msgs/s' },
      goal: 20_000,
      note: `${a.statusUpdates} device reports over ${a.statusWindowMs} ms (first report to finished in REST)`,
    }),
    figure({
      figure: 'startToFinishedMs',
      value: run.finishedVisibleAt - run.startedAt,
      unit: 'ms',
      better: 'lower',
      limit: { value: produceMs(3 * n), of: `raw produce of ${3 * n} messages` },
    }),
  ];
  for (const p of [50, 99] as const) {
    figures.push(
      figure({
        figure: `cascadeP${p}Ms`,
        value: percentile(a.cascadeMs, p),
        unit: 'ms',
        better: 'lower',
        limit: { value: hop(p), of: `raw Kafka hop p${p}` },
        goal: p === 99 ? 500 : undefined,
        note: `${a.cascadeMs.length} group boundaries`,
      }),
      figure({
        figure: `reportingLagP${p}Ms`,
        value: percentile(a.reportingLagMs, p),
        unit: 'ms',
        better: 'lower',
        limit: { value: hop(p), of: `raw Kafka hop p${p}` },
        goal: p === 99 ? 2_000 : undefined,
        note: `${a.reportingLagMs.length} final statuses; REST polled every 100 ms`,
      }),
    );
  }
  const hops: [string, keyof CascadeHop, string][] = [
    [
      'cascadeReportToChangeP50Ms',
      'reportToChangeMs',
      'action-dispatch: crossing report to its change on action.events',
    ],
    ['cascadeChangeToStartP50Ms', 'changeToStartMs', 'group-orchestrator: that change to the next RolloutGroupStarted'],
    ['cascadeStartToInstructionP50Ms', 'startToInstructionMs', 'action-dispatch: that start to the first instruction'],
  ];
  for (const [name, hopOf, what] of hops) {
    figures.push(
      figure({
        figure: name,
        value: percentile(
          a.cascadeHops.map((h) => h[hopOf]),
          50,
        ),
        unit: 'ms',
        better: 'lower',
        limit: { value: hop(50), of: 'raw Kafka hop p50' },
        note: `${what}; ${a.cascadeHops.length} group boundaries`,
      }),
    );
  }
  for (const [service, mb] of Object.entries(rss))
    figures.push(figure({ figure: `peakRssMb.${service}`, value: mb, unit: 'MB', better: 'lower', goal: 512 }));
  const free = diskAfter.freeBytes / MB;
  const pg = diskAfter.postgresDatabaseBytes + diskAfter.postgresWalBytes;
  const pgBefore = diskBefore.postgresDatabaseBytes + diskBefore.postgresWalBytes;
  figures.push(
    figure({
      figure: 'postgresDiskMb',
      value: pg / MB,
      unit: 'MB',
      better: 'lower',
      limit: { value: free, of: 'free MB' },
    }),
    figure({ figure: 'postgresDiskGrowthMb', value: (pg - pgBefore) / MB, unit: 'MB', better: 'lower' }),
    figure({
      figure: 'kafkaDiskMb',
      value: diskAfter.kafkaDataBytes / MB,
      unit: 'MB',
      better: 'lower',
      limit: { value: free, of: 'free MB' },
    }),
    figure({
      figure: 'kafkaDiskGrowthMb',
      value: (diskAfter.kafkaDataBytes - diskBefore.kafkaDataBytes) / MB,
      unit: 'MB',
      better: 'lower',
    }),
  );
  return figures;
}
