/**
 * Query plans of the target filters rollouts use, over a fleet of `--size` targets (default 1m):
 * builds rollout-command's inventory schema under a fresh name, fills it set-based, and prints,
 * for each filter, the plan of creation's first keyset page (one window of ids, see
 * id-window.ts) and of its count (EXPLAIN ANALYZE), as one
 * JSON object per filter on stdout and the plans on stderr. The schema is dropped at the end.
 * Run: `node -r @swc-node/register bench/filter-plans.bench.ts --size 1m`.
 */
import { Pool } from 'pg';
import { migrateSchema } from '@fleetwave/platform';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { inventoryMigrationFor } from '../apps/rollout-command/src/inventory/inventory.migration';
import { compileRolloutTargetFilter } from '../apps/rollout-command/src/rollouts/commands/retry-rollout/failed-targets.filter';
import { idWindow, PAGE_SCAN_SPAN } from '../apps/rollout-command/src/rollouts/processes/id-window';
import { parseSize } from './lib/bench-args';

const sizeArg = process.argv.indexOf('--size');
const TARGETS = parseSize(sizeArg >= 0 ? process.argv[sizeArg + 1] : '1m');
const PAGE = 1_000;

/** Filters as operators write them for rollouts: prefixes, status, attributes, tags, combinations. */
const filters = [
  'controllerId==plan-12*',
  'name==plan-12*',
  'updatestatus==registered',
  'updatestatus==error',
  'attribute.hw==rev2',
  'attribute.region==eu;updatestatus==registered',
  'tag==lab',
  'controllerid=in=(plan-1,plan-2,plan-3)',
  '(attribute.hw==rev1,attribute.hw==rev3);tag==canary',
  `createdat=ge=${Date.now() - 60_000}`,
];

async function fill(pool: Pool, schema: string): Promise<number> {
  const started = Date.now();
  // A tenth in error, a quarter tagged lab, one in a hundred canary; four hardware revisions, two regions.
  await pool.query(
    `insert into ${schema}.targets (controller_id, name, update_status, attributes, tags, created_at)
     select 'plan-' || n, 'plan-' || n, case when n % 10 = 0 then 'error' else 'registered' end,
            jsonb_build_object('hw', 'rev' || (n % 4), 'region', case when n % 2 = 0 then 'eu' else 'us' end),
            case when n % 100 = 0 then array['lab', 'canary'] when n % 4 = 0 then array['lab'] else '{}' end,
            now() - interval '1 day'
     from generate_series(1, $1) as n`,
    [TARGETS],
  );
  await pool.query(
    `insert into ${schema}.target_tags (name, created_by, last_modified_by) values ('lab', 'bench', 'bench'), ('canary', 'bench', 'bench')`,
  );
  await pool.query(`analyze ${schema}.targets`);
  return Date.now() - started;
}

interface Plan {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: Plan[];
}

/** The scans of a plan tree: which index (or a sequential scan of which table) reads the rows. */
const scans = (plan: Plan): string[] => [
  ...(plan['Relation Name'] || plan['Index Name']
    ? [`${plan['Node Type']} on ${plan['Index Name'] ?? plan['Relation Name']}`]
    : []),
  ...(plan.Plans ?? []).flatMap(scans),
];

async function explain(pool: Pool, sql: string, params: unknown[]) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: Plan; 'Execution Time': number }] }>(
      `explain (analyze, format json) ${sql}`,
      params,
    );
    const text = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, costs off, timing off) ${sql}`,
      params,
    );
    await client.query('rollback');
    const [{ Plan: plan, 'Execution Time': ms }] = rows[0]['QUERY PLAN'];
    return { scans: scans(plan), ms: Math.round(ms * 10) / 10, text: text.rows.map((r) => r['QUERY PLAN']).join('\n') };
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2, application_name: 'filter-plans' });
  const schema = uniqueName('plans');
  try {
    await migrateSchema(pool, inventoryMigrationFor(schema));
    const fillMs = await fill(pool, schema);
    console.error(`[plans] ${TARGETS} targets in ${fillMs} ms (schema ${schema})`);
    for (const filter of filters) {
      const { where, params } = compileRolloutTargetFilter(filter, schema);
      const n = params.length;
      const cutoff = `t.created_at <= to_timestamp($${n + 1} / 1000.0)`;
      // Creation's first page, as target-resolver.ts reads it: within the window of ids after the cursor.
      const window = await idWindow(pool, schema, 0, PAGE_SCAN_SPAN);
      const page = await explain(
        pool,
        `select t.id, t.controller_id from ${schema}.targets t
         where (${where}) and ${cutoff} and t.id > $${n + 2} and t.id <= $${n + 3}
         order by t.id limit ${PAGE}`,
        [...params, Date.now(), 0, window?.upTo ?? 0],
      );
      const count = await explain(pool, `select count(*) from ${schema}.targets t where (${where}) and ${cutoff}`, [
        ...params,
        Date.now(),
      ]);
      // target_tags is a handful of rows: only a sequential scan of the targets counts.
      const seqScan = [...page.scans, ...count.scans].includes('Seq Scan on targets');
      console.log(
        JSON.stringify({
          bench: 'filter-plans',
          targets: TARGETS,
          filter,
          pageScans: page.scans,
          pageMs: page.ms,
          countScans: count.scans,
          countMs: count.ms,
          seqScan,
        }),
      );
      console.error(`\n[plans] ${filter}\n-- first page of ${PAGE}:\n${page.text}\n-- count:\n${count.text}`);
    }
  } finally {
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
