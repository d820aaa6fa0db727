import type { Instruction, StatusChange, StatusReport } from './observations';
import type { RolloutRun } from './rollout-run';
import { perSecond } from './stats';

/** The figures a run yields, computed from Kafka timestamps and the read-model polls. */
export interface RolloutAnalysis {
  instructions: number;
  firstInstructionMs: number | undefined;
  group1Size: number;
  group1Instructions: number;
  group1InstructionsMs: number | undefined;
  statusUpdates: number;
  statusWindowMs: number;
  statusUpdatesPerSecond: number;
  cascadeMs: number[];
  /** The same boundaries split at the crossing change and the next group's start (where both were seen). */
  cascadeHops: CascadeHop[];
  reportingLagMs: number[];
}

/**
 * One group boundary by service: action-dispatch (the crossing report to its status change on
 * action.events), group-orchestrator (that change to the next group's RolloutGroupStarted) and
 * action-dispatch again (that start to the next group's first instruction).
 */
export interface CascadeHop {
  reportToChangeMs: number;
  changeToStartMs: number;
  startToInstructionMs: number;
}

const finalStatuses = new Set(['finished', 'error', 'canceled']);

export function analyse(run: RolloutRun): RolloutAnalysis {
  const { instructions, reports, changes, groupStarts } = run.observed;

  const group1 = run.groupViews[0];
  const group1Times = instructions.filter((i) => i.groupId === group1?.id).map((i) => i.at);
  const firstReport = minOf(reports.map((r) => r.at));
  const statusWindowMs = run.finishedVisibleAt - firstReport;
  return {
    instructions: instructions.length,
    firstInstructionMs: instructions.length ? minOf(instructions.map((i) => i.at)) - run.startedAt : undefined,
    group1Size: group1?.totalTargets ?? 0,
    group1Instructions: group1Times.length,
    group1InstructionsMs: group1Times.length ? maxOf(group1Times) - run.startedAt : undefined,
    statusUpdates: reports.length,
    statusWindowMs,
    statusUpdatesPerSecond: perSecond(reports.length, statusWindowMs),
    ...cascade(run, instructions, reports, changes, groupStarts),
    reportingLagMs: reportingLag(run, changes),
  };
}

/**
 * For each group but the last: from the device report that made the group cross its success
 * threshold (the k-th `finished` change, k = ⌈total × threshold⌉) to the next group's first
 * instruction, and the hops in between where the next group's start was seen.
 */
export function cascade(
  run: Pick<RolloutRun, 'groupViews' | 'threshold'>,
  instructions: Instruction[],
  reports: StatusReport[],
  changes: StatusChange[],
  groupStarts: { groupId: number; at: number }[],
): { cascadeMs: number[]; cascadeHops: CascadeHop[] } {
  const firstFinishedReport = new Map<number, number>();
  for (const r of reports)
    if (r.status === 'FINISHED' && !firstFinishedReport.has(r.actionId)) firstFinishedReport.set(r.actionId, r.at);
  const finishedByGroup = groupBy(
    changes.filter((c) => c.to === 'finished'),
    (c) => c.groupId,
  );
  const instructedByGroup = groupBy(instructions, (x) => x.groupId);
  const startedAt = new Map<number, number>();
  for (const s of groupStarts) if (!startedAt.has(s.groupId)) startedAt.set(s.groupId, s.at);
  const cascadeMs: number[] = [];
  const cascadeHops: CascadeHop[] = [];
  for (let i = 0; i + 1 < run.groupViews.length; i++) {
    const group = run.groupViews[i];
    const nextId = run.groupViews[i + 1].id;
    const k = Math.max(1, Math.ceil((group.totalTargets * run.threshold) / 100));
    const crossing = finishedByGroup.get(group.id)?.[k - 1];
    const reportedAt = crossing && firstFinishedReport.get(crossing.actionId);
    const next = instructedByGroup.get(nextId) ?? [];
    if (!crossing || reportedAt === undefined || next.length === 0) continue;
    const firstInstruction = minOf(next.map((x) => x.at));
    cascadeMs.push(firstInstruction - reportedAt);
    const started = startedAt.get(nextId);
    if (started !== undefined) {
      cascadeHops.push({
        reportToChangeMs: crossing.at - reportedAt,
        changeToStartMs: started - crossing.at,
        startToInstructionMs: firstInstruction - started,
      });
    }
  }
  return { cascadeMs, cascadeHops };
}

/**
 * For every final status change, from its Kafka timestamp on action.events to the first REST poll
 * whose settled count includes it (polls every 100 ms, so up to one interval is poll granularity).
 */
function reportingLag(run: RolloutRun, changes: StatusChange[]): number[] {
  const finals = changes.filter((c) => finalStatuses.has(c.to));
  const polls = [...run.polls].sort((a, b) => a.at - b.at);
  const samples: number[] = [];
  let p = 0;
  finals.forEach((change, index) => {
    while (p < polls.length && polls[p].settled < index + 1) p++;
    if (p < polls.length) samples.push(Math.max(0, polls[p].at - change.at));
  });
  return samples;
}

// Math.min(...values) overflows the call stack at a million values.
const minOf = (values: number[]) => values.reduce((m, v) => (v < m ? v : m), Infinity);
const maxOf = (values: number[]) => values.reduce((m, v) => (v > m ? v : m), -Infinity);

function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
