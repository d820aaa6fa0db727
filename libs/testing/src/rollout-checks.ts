import type { Pool } from 'pg';
import type { FleetwaveClient } from './fleetwave-client';
import { parseJson, type TopicRecord } from './topic-reader';

/** The outcome of one check: what was expected, and what was seen when it did not hold. */
export interface CheckResult {
  check: string;
  pass: boolean;
  detail?: unknown;
}

/** Where action-dispatch keeps its actions (one row per action). */
const ACTIONS_TABLE = 'action_dispatch.actions';

/**
 * The read model's final counts: the rollout `finished`, every target finished, nothing else,
 * and the groups' counts adding up to the same totals.
 */
export async function checkFinalCounts(
  client: FleetwaveClient,
  rolloutId: number,
  total: number,
): Promise<CheckResult[]> {
  const view = await client.rollout(rolloutId);
  const wanted = { running: 0, notstarted: 0, scheduled: 0, cancelled: 0, finished: total, error: 0 };
  const groups = await client.deployGroups(rolloutId);
  const groupSum = { ...wanted, finished: 0 };
  for (const group of groups)
    for (const key of Object.keys(groupSum) as (keyof typeof groupSum)[])
      groupSum[key] += group.totalTargetsPerStatus[key];
  const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
  return [
    { check: 'rollout finished', pass: view.status === 'finished', detail: view.status },
    { check: 'total targets', pass: view.totalTargets === total, detail: view.totalTargets },
    { check: 'exact final counts', pass: same(view.totalTargetsPerStatus, wanted), detail: view.totalTargetsPerStatus },
    { check: 'group counts add up', pass: same(groupSum, wanted), detail: groupSum },
    {
      check: 'every group finished',
      pass: groups.every((g) => g.status === 'finished'),
      detail: groups.filter((g) => g.status !== 'finished').map((g) => `${g.id}:${g.status}`),
    },
  ];
}

/**
 * No duplicate action per (rollout, target), and one action per target. Answers the action ids
 * too. Counted in SQL, so a million actions cost their ids only.
 */
export async function checkActions(
  pool: Pool,
  rolloutId: number,
  total: number,
): Promise<{ results: CheckResult[]; actionIds: Set<number> }> {
  const { rows: ids } = await pool.query<{ id: string }>(`select id from ${ACTIONS_TABLE} where rollout_id = $1`, [
    rolloutId,
  ]);
  const { rows: duplicates } = await pool.query<{ target_id: string; actions: number }>(
    `select target_id, count(*)::int as actions from ${ACTIONS_TABLE} where rollout_id = $1
     group by target_id having count(*) > 1 limit 5`,
    [rolloutId],
  );
  const { rows: notFinished } = await pool.query<{ id: string; status: string; n: number }>(
    `select id, status, count(*) over ()::int as n from ${ACTIONS_TABLE}
     where rollout_id = $1 and status <> 'finished' order by id limit 5`,
    [rolloutId],
  );
  return {
    actionIds: new Set(ids.map((r) => Number(r.id))),
    results: [
      { check: 'one action per target', pass: ids.length === total, detail: { actions: ids.length, total } },
      {
        check: 'no duplicate action per (rollout, target)',
        pass: duplicates.length === 0,
        detail: duplicates.map((d) => [d.target_id, d.actions]),
      },
      {
        check: 'every action finished',
        pass: notFinished.length === 0,
        detail: { count: notFinished[0]?.n ?? 0, first: notFinished.map((r) => `${r.id}:${r.status}`) },
      },
    ],
  };
}

/** An install instruction seen on device.outbound.v1: its action and its event id (`ce_id`). */
export interface SeenInstruction {
  actionId: number;
  eventId: string;
}

/**
 * The instruction a device.outbound.v1 record carries for `rolloutId`, if any (cancels and
 * requests to confirm are not instructions).
 */
export function instructionIn(record: TopicRecord, rolloutId: number): SeenInstruction | undefined {
  const message = parseJson<{ rolloutId?: number; actionId?: number; type?: string }>(record.value);
  if (message?.rolloutId !== rolloutId || typeof message.actionId !== 'number') return undefined;
  if (message.type === 'CANCEL_DOWNLOAD' || message.type === 'CONFIRM') return undefined;
  return { actionId: message.actionId, eventId: record.headers.ce_id ?? `${record.partition}:${record.offset}` };
}

/** {@link checkSeenInstructions} over the records of device.outbound.v1. */
export function checkInstructions(outbound: TopicRecord[], rolloutId: number, actionIds: Set<number>): CheckResult[] {
  const seen: SeenInstruction[] = [];
  for (const record of outbound) {
    const instruction = instructionIn(record, rolloutId);
    if (instruction) seen.push(instruction);
  }
  return checkSeenInstructions(seen, actionIds);
}

/**
 * Exactly one instruction (one DeviceMessageRequested event, one `ce_id`) on device.outbound.v1
 * per action of the rollout, and none for anything else. Delivery is at least once: a relay
 * killed between publishing and checkpointing sends the same event again, which connectors
 * recognise by its `ce_id`; such re-sends are counted, but only a second event for the same
 * action is a second instruction.
 */
export function checkSeenInstructions(seen: Iterable<SeenInstruction>, actionIds: Set<number>): CheckResult[] {
  const perAction = new Map<number, number>();
  const eventIds = new Map<number, Set<string>>();
  for (const { actionId, eventId } of seen) {
    perAction.set(actionId, (perAction.get(actionId) ?? 0) + 1);
    const ids = eventIds.get(actionId) ?? new Set<string>();
    ids.add(eventId);
    eventIds.set(actionId, ids);
  }
  const repeated = [...perAction].filter(([, n]) => n > 1);
  const instructedTwice = repeated.filter(([id]) => (eventIds.get(id)?.size ?? 0) > 1);
  const missing = [...actionIds].filter((id) => !perAction.has(id));
  const unknown = [...perAction.keys()].filter((id) => !actionIds.has(id));
  return [
    {
      check: 'exactly one instruction per action',
      pass: instructedTwice.length === 0 && missing.length === 0,
      detail: {
        instructed: perAction.size,
        actions: actionIds.size,
        // A repeat with one event id is a relay re-send; with several, the action was instructed twice.
        relayResends: repeated.length - instructedTwice.length,
        instructedTwice: instructedTwice.length,
        missing: missing.slice(0, 5),
      },
    },
    { check: 'no instruction for an unknown action', pass: unknown.length === 0, detail: unknown.slice(0, 5) },
  ];
}
