/**
 * Fault injection on the running cluster: SIGKILLs of every service and of the infrastructure,
 * duplicated and reordered device messages, and catalogues of bad device messages and REST
 * requests. Each case checks exact final counts, one action per target, exactly one instruction
 * per action, and that bad input is answered with a 4xx or dead-lettered with its reason.
 * One JSON object per case on stdout, a summary last; progress on stderr.
 *
 * Run: npm run chaos -- [--quick] [--only TEXT,TEXT] [--devices N] [--groups N] [--kills N] [--seed N]
 *      [--finish-timeout SECONDS] [--list]
 */
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { FleetwaveClient, testDatabaseUrl, testKafkaBrokers } from '@fleetwave/testing';
import { runCase, seededRandom, type CaseResult } from './lib/case-report';
import { chaosCases } from './lib/chaos-cases';
import { runScript } from './lib/process-control';
import type { ChaosEnv } from './lib/rollout-under-fault';
import { summarise } from './lib/summary';

const log = (line: string) => process.stderr.write(`[chaos] ${line}\n`);

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Brings back whatever a previous case left down; a case then starts on a ready cluster. */
async function ensureClusterUp(): Promise<void> {
  try {
    await runScript('cluster', ['start']);
  } catch {
    await runScript('infra', ['start']);
    await runScript('cluster', ['start']);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const seed = positiveInt(option(argv, '--seed'), Date.now() % 1_000_000_007, '--seed');
  const options = {
    devices: positiveInt(option(argv, '--devices'), quick ? 100 : 2_000, '--devices'),
    groups: positiveInt(option(argv, '--groups'), quick ? 3 : 10, '--groups'),
    kills: positiveInt(option(argv, '--kills'), quick ? 1 : 3, '--kills'),
    random: seededRandom(seed),
  };
  const kafka = new Kafka({ clientId: 'fleetwave-chaos', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  // A crashed Postgres breaks pooled connections; the pool drops them and opens new ones.
  pool.on('error', () => undefined);
  const env: ChaosEnv = {
    client: new FleetwaveClient(),
    kafka,
    admin,
    pool,
    log,
    finishTimeoutMs: positiveInt(option(argv, '--finish-timeout'), quick ? 180 : 600, '--finish-timeout') * 1_000,
  };
  const only = option(argv, '--only')
    ?.split(',')
    .map((s) => s.trim().toLowerCase());
  const cases = chaosCases(env, options).filter((c) =>
    only ? only.some((o) => c.name.toLowerCase().includes(o)) : !quick || c.quick,
  );
  if (argv.includes('--list')) {
    for (const c of cases) console.log(c.name);
    return;
  }
  log(`${cases.length} cases, seed ${seed}, ${options.devices} devices in ${options.groups} groups`);
  const results: CaseResult[] = [];
  try {
    for (const chaosCase of cases) {
      log(`case: ${chaosCase.name}`);
      await ensureClusterUp().catch((error) => log(`cluster not up before the case: ${String(error)}`));
      const result = await runCase(chaosCase);
      results.push(result);
      console.log(JSON.stringify(result));
      const failed = result.checks.filter((c) => !c.pass);
      log(
        `${result.pass ? 'PASS' : 'FAIL'} ${chaosCase.name} (${result.durationMs} ms)${result.error ? `: ${result.error}` : ''}`,
      );
      for (const c of failed) log(`  failed: ${c.check} ${JSON.stringify(c.detail)}`);
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
    await pool.end().catch(() => undefined);
  }
  const { random: _random, ...shown } = options;
  console.log(JSON.stringify(summarise(results, { seed, ...shown, quick })));
  if (results.some((r) => !r.pass)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
