import { finalActionStatuses, type ActionStatusChangedV1 } from '@fleetwave/contracts';

/**
 * How action status changes move a target's update status, assigned and installed distribution
 * set (hawkBit's rules): an active action makes the target pending and assigns the action's set;
 * a finished one makes it in_sync with that set installed; a failed one makes it error; a
 * cancelled one gives it back its installed set (in_sync), or, with nothing installed, the status
 * of a device that has (registered) or has not (unknown) contacted the server. A download-only
 * action ends with `downloaded`: in_sync, the set assigned but not installed.
 *
 * Events of one rollout arrive in order, but those of different rollouts for the same target
 * interleave, so the result must not depend on the order in which partitions are read:
 * - The update status and the assigned set follow one action at a time, the target's current
 *   action. An action becomes current when it is activated (leaves `scheduled` for anything but
 *   `canceled`) later than the current one was, by (event time, action id); a target without a
 *   current action takes the first action it hears of. Events of other actions leave status and
 *   assigned set alone (an older rollout's cancellation after a newer one took over, say). An
 *   action taken without its activation (heard of first by a later event) holds no time: any
 *   activation takes over from it.
 * - Once the current action is final (its status no longer pending), later events of it change
 *   nothing: final statuses stay final.
 * - The installed set moves only forward by (event time, action id) of `finished` events, of any
 *   action: a device that finished an action being cancelled did install its set.
 * Pure: no I/O; the consumer reads the targets, folds the batch with these rules and writes back.
 */

export interface TargetStatus {
  targetId: number;
  updateStatus: string;
  assignedDsId: number | null;
  installedDsId: number | null;
  /** The current action and the time it became current: the key a newer activation must exceed. */
  statusActionId: number | null;
  statusActionAt: number | null;
  /** The `finished` event the installed set came from, by the same key. */
  installedActionId: number | null;
  installedActionAt: number | null;
  /** Whether the device ever contacted the server (where a cancel leads a target with nothing installed). */
  contacted: boolean;
}

/** What the rules need of a rollout: its distribution set, and whether it only downloads. */
export interface RolloutFacts {
  distributionSetId: number;
  downloadOnly: boolean;
}

/** A rollout's facts, undefined when it is not known (the rollout is gone). */
export type RolloutSetLookup = (rolloutId: number) => RolloutFacts | undefined;

const finals: readonly string[] = finalActionStatuses;

/** Whether key (at, id) comes strictly after (otherAt, otherId); a missing other key is before everything. */
const later = (at: number, id: number, otherAt: number | null, otherId: number | null): boolean =>
  otherAt === null || otherId === null || at > otherAt || (at === otherAt && id > otherId);

/** Whether the change is an activation: the action leaves `scheduled` for work (or closes at once). */
export const isActivation = (change: ActionStatusChangedV1): boolean =>
  change.from === 'scheduled' && change.to !== 'canceled' && change.to !== 'scheduled';

/** One change applied to one target; returns the target as it is afterwards (the same object if unchanged). */
export function applyActionChange(
  target: TargetStatus,
  change: ActionStatusChangedV1,
  setOf: RolloutSetLookup,
): TargetStatus {
  const { actionId, at } = change;
  const facts = setOf(change.rolloutId);
  const set = facts?.distributionSetId;
  // A download-only action ends with the download (nothing is installed): the target is in sync again.
  const to = facts?.downloadOnly && change.to === 'downloaded' ? 'downloaded-only' : change.to;
  let next = target;
  if (
    to === 'finished' &&
    set !== undefined &&
    later(at, actionId, target.installedActionAt, target.installedActionId)
  ) {
    next = { ...next, installedDsId: set, installedActionId: actionId, installedActionAt: at };
  }
  const current = target.statusActionId === actionId;
  if (current && target.updateStatus !== 'pending') return next;
  const takesOver =
    !current &&
    (target.statusActionId === null || isActivation(change)) &&
    later(at, actionId, target.statusActionAt, target.statusActionId);
  if (!current && !takesOver) return next;
  if (takesOver) {
    // Heard of only after its activation (the consumer came later): followed, but any activation outranks it.
    const keyAt = isActivation(change) ? at : null;
    next = { ...next, statusActionId: actionId, statusActionAt: keyAt, assignedDsId: set ?? next.assignedDsId };
  }
  if (to === 'canceled') {
    const updateStatus = next.installedDsId !== null ? 'in_sync' : next.contacted ? 'registered' : 'unknown';
    return { ...next, updateStatus, assignedDsId: next.installedDsId };
  }
  if (to === 'finished') return { ...next, updateStatus: 'in_sync', assignedDsId: set ?? next.assignedDsId };
  if (to === 'error') return { ...next, updateStatus: 'error' };
  if (to === 'downloaded-only') return { ...next, updateStatus: 'in_sync' };
  if (to === 'scheduled' || finals.includes(to)) return next;
  return { ...next, updateStatus: 'pending' };
}

/**
 * A batch's changes (in Kafka order) folded into the targets they touch; returns the targets
 * that changed. Changes for targets not given (no longer in the inventory) are skipped.
 */
export function foldTargetStatuses(
  targets: readonly TargetStatus[],
  changes: readonly ActionStatusChangedV1[],
  setOf: RolloutSetLookup,
): TargetStatus[] {
  const original = new Map(targets.map((t) => [t.targetId, t]));
  const byId = new Map(original);
  for (const change of changes) {
    const before = byId.get(change.targetId);
    if (before) byId.set(change.targetId, applyActionChange(before, change, setOf));
  }
  return [...byId.values()].filter((after) => !sameStatus(after, original.get(after.targetId) as TargetStatus));
}

function sameStatus(a: TargetStatus, b: TargetStatus): boolean {
  return (Object.keys(a) as (keyof TargetStatus)[]).every((key) => a[key] === b[key]);
}

/** Whether a change moves an action into a final status (once per action: final statuses stay final). */
export const isSettling = (change: ActionStatusChangedV1): boolean =>
  finals.includes(change.to) && !finals.includes(change.from);
