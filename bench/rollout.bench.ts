/**
 * The fleet benchmark: one rollout through the running cluster, measured from Kafka timestamps
 * and the REST read model, next to this machine's own limits (raw COPY, raw kafkajs) measured in
 * the same run. One JSON object per line on stdout (one per figure, then a summary), a table on
 * stderr. `--smoke` skips the limits and only asserts completion and exact counts.
 *
 * Run: npm run bench -- --size 10k|100k|1m [--groups N] [--smoke]
 */
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import {
  checkActions,
  checkFinalCounts,
  checkSeenInstructions,
  FleetwaveClient,
  testDatabaseUrl,
  testKafkaBrokers,
  type CheckResult,
} from '@fleetwave/testing';
import { parseBenchArgs } from './lib/bench-args';
import { fleetFigures } from './lib/fleet-figures';
import { figureTable } from './lib/figures';
import { measureCopy, measureKafka, type MachineLimits } from './lib/machine-limits';
import { diskUse, peakRssMb } from './lib/resources';
import { analyse } from './lib/rollout-analysis';
import { runRollout } from './lib/rollout-run';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const client = new FleetwaveClient();
  const kafka = new Kafka({ clientId: 'fleetwave-bench', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  try {
    let limits: MachineLimits | undefined;
    if (!args.smoke) {
      log(`machine limits: COPY of ${args.copyRows} rows, kafkajs with ${args.kafkaMessages} messages`);
      const copy = await measureCopy(testDatabaseUrl(), args.copyRows);
      const raw = await measureKafka(kafka, args.kafkaMessages);
      limits = {
        copyRows: args.copyRows,
        copyMs: copy.ms,
        copyRowsPerSecond: copy.rowsPerSecond,
        kafkaMessages: args.kafkaMessages,
        ...raw,
      };
      console.log(JSON.stringify({ bench: 'machine-limits', size: args.label, ...limits }));
    }
    const diskBefore = await diskUse(pool);
    const run = await runRollout(client, kafka, { devices: args.devices, groups: args.groups, log });
    const analysis = analyse(run);

    const { results: actionChecks, actionIds } = await checkActions(pool, run.rolloutId, args.devices);
    const checks: CheckResult[] = [
      ...(await checkFinalCounts(client, run.rolloutId, args.devices)),
      ...actionChecks,
      ...checkSeenInstructions(run.observed.instructions, actionIds),
      {
        // The simulator answers at least once: after a rebalance it may answer an offer again,
        // and action-dispatch ignores the repeat. Fewer than two per device would be a loss.
        check: 'at least two status reports per device',
        pass: analysis.statusUpdates >= 2 * args.devices,
        detail: { reports: analysis.statusUpdates, repeated: analysis.statusUpdates - 2 * args.devices },
      },
    ];
    const failed = checks.filter((c) => !c.pass);

    const figures = args.smoke
      ? []
      : fleetFigures({ args, run, analysis, limits, rss: peakRssMb(), diskBefore, diskAfter: await diskUse(pool) });
    for (const f of figures) console.log(JSON.stringify({ bench: 'fleet', size: args.label, ...f }));
    console.log(
      JSON.stringify({
        bench: args.smoke ? 'fleet-smoke' : 'fleet',
        size: args.label,
        devices: args.devices,
        groups: args.groups,
        rolloutId: run.rolloutId,
        registrationMs: run.registrationMs,
        createToReadyMs: run.readyAt - run.createdAt,
        startToFinishedMs: run.finishedVisibleAt - run.startedAt,
        figures: Object.fromEntries(figures.map((f) => [f.figure, f.value])),
        checksPassed: checks.length - failed.length,
        checksFailed: failed,
      }),
    );
    if (figures.length > 0) process.stderr.write(`${figureTable(`fleet benchmark, ${args.label}`, figures)}\n`);
    for (const c of checks)
      log(`${c.pass ? 'ok  ' : 'FAIL'} ${c.check}${c.pass ? '' : ` ${JSON.stringify(c.detail)}`}`);
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
