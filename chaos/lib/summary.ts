import type { CaseResult } from './case-report';

export interface SummaryOptions {
  seed: number;
  devices: number;
  groups: number;
  kills: number;
  quick: boolean;
}

const spread = (values: number[]) =>
  values.length === 0
    ? null
    : {
        n: values.length,
        min: Math.min(...values),
        max: Math.max(...values),
        values: [...values].sort((a, b) => a - b),
      };

/** The last line of a run: what passed and failed, and recovery times per fault. */
export function summarise(results: CaseResult[], options: SummaryOptions) {
  const recovery: Record<string, { readyMs: unknown; consumingMs: unknown; unrecovered: number }> = {};
  const byFault = new Map<string, { ready: number[]; consuming: number[]; unrecovered: number }>();
  for (const r of results.flatMap((result) => result.recoveries ?? [])) {
    const entry = byFault.get(r.fault) ?? { ready: [], consuming: [], unrecovered: 0 };
    // For an infrastructure fault the slowest service is the one that decides recovery.
    const ready = Object.values(r.readyMs);
    if (ready.some((ms) => ms === null || ms === undefined)) entry.unrecovered++;
    else entry.ready.push(Math.max(...(ready as number[])));
    if (r.consumingMs !== null) entry.consuming.push(r.consumingMs);
    byFault.set(r.fault, entry);
  }
  for (const [fault, e] of byFault)
    recovery[fault] = { readyMs: spread(e.ready), consumingMs: spread(e.consuming), unrecovered: e.unrecovered };
  return {
    chaos: 'summary',
    seed: options.seed,
    quick: options.quick,
    devices: options.devices,
    groups: options.groups,
    killsPerRollout: options.kills,
    passed: results.filter((r) => r.pass).length,
    failed: results.filter((r) => !r.pass).length,
    failedCases: results.filter((r) => !r.pass).map((r) => r.case),
    failedChecks: results.reduce((n, r) => n + r.checks.filter((c) => !c.pass).length, 0),
    recovery,
  };
}
