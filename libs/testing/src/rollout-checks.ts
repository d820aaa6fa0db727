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

/** No duplicate action per (rollout, target), and one action per target. Answers the action ids too. */
export async function checkActions(
  pool: Pool,
  rolloutId: number,
  total: number,
): Promise<{ results: CheckResult[]; actionIds: Set<number> }> {
  const { rows } = await pool.query<{ id: string; target_id: string; status: string }>(
    `select id, target_id, status from ${ACTIONS_TABLE} where rollout_id = $1`,
    [rolloutId],
  );
  const perTarget = new Map<string, number>();
  for (const row of rows) perTarget.set(row.target_id, (perTarget.get(row.target_id) ?? 0) + 1);
  const duplicates = [...perTarget].filter(([, n]) => n > 1);
  const notFinished = rows.filter((r) => r.status !== 'finished');
  return {
    actionIds: new Set(rows.map((r) => Number(r.id))),
    results: [
      { check: 'one action per target', pass: rows.length === total, detail: { actions: rows.length, total } },
      {
        check: 'no duplicate action per (rollout, target)',
        pass: duplicates.length === 0,
        detail: duplicates.slice(0, 5),
      },
      {
        check: 'every action finished',
        pass: notFinished.length === 0,
        detail: notFinished.slice(0, 5).map((r) => `${r.id}:${r.status}`),
      },
    ],
  };
}

/**
 * Exactly one instruction (one DeviceMessageRequested event, one `ce_id`) on device.outbound.v1
 * per action of the rollout, and none for anything else. Delivery is at least once: a relay
 * killed between publishing and checkpointing sends the same event again, which connectors
 * recognise by its `ce_id`; such re-sends are counted, but only a second event for the same
 * action is a second instruction.
 */
export function checkInstructions(outbound: TopicRecord[], rolloutId: number, actionIds: Set<number>): CheckResult[] {
  const perAction = new Map<number, number>();
  const eventIds = new Map<number, Set<string>>();
  for (const record of outbound) {
    const message = parseJson<{ rolloutId?: number; actionId?: number; type?: string }>(record.value);
    if (message?.rolloutId !== rolloutId || typeof message.actionId !== 'number') continue;
    if (message.type === 'CANCEL_DOWNLOAD') continue;
    perAction.set(message.actionId, (perAction.get(message.actionId) ?? 0) + 1);
    const ids = eventIds.get(message.actionId) ?? new Set<string>();
    ids.add(record.headers.ce_id ?? `${record.partition}:${record.offset}`);
    eventIds.set(message.actionId, ids);
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
