import type { CheckResult } from '@fleetwave/testing';
import type { Recovery } from './faults';

/** What a case found: its checks, the recoveries it measured, anything else worth printing. */
export interface CaseOutcome {
  checks: CheckResult[];
  recoveries?: Recovery[];
  error?: string;
  rolloutId?: number;
  devices?: number;
}

/** The outcome of one chaos case: passes only when every check passed and nothing threw. */
export interface CaseResult extends CaseOutcome {
  case: string;
  pass: boolean;
  durationMs: number;
}

export interface ChaosCase {
  name: string;
  /** Part of the `--quick` subset that `npm test` runs. */
  quick: boolean;
  run(): Promise<CaseOutcome>;
}

/** Runs a case and never throws: a failure is reported with its error, and the suite goes on. */
export async function runCase(chaosCase: ChaosCase): Promise<CaseResult> {
  const started = Date.now();
  try {
    const outcome = await chaosCase.run();
    const pass = outcome.checks.length > 0 && outcome.checks.every((c) => c.pass) && !outcome.error;
    return { case: chaosCase.name, pass, durationMs: Date.now() - started, ...outcome };
  } catch (error) {
    return {
      case: chaosCase.name,
      pass: false,
      durationMs: Date.now() - started,
      checks: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** A seeded generator, so a failing run's kill points can be replayed with `--seed`. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

/** Turns a throwing check into a failed one, so one broken check does not hide the others. */
export async function guarded(check: string, work: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  try {
    return await work();
  } catch (error) {
    return [{ check, pass: false, detail: error instanceof Error ? error.message : String(error) }];
  }
}
