/**
 * Rules of an explicit `groups[]` split. Groups are filled in order; each takes its
 * `targetPercentage` of the targets that match its own filter and the rollout's and that no
 * earlier group took, lowest ids first. So a group is fully described by its filter and the
 * highest id it takes (its cut): a target belongs to the first group whose filter it matches and
 * whose cut it is within. That lets the split be planned with counts alone and the members be
 * streamed later in one pass over the rollout's targets, without a table of who went where.
 */

/** Where a group ends once planned. */
export interface GroupCut {
  /** Targets the group takes. */
  size: number;
  /** The highest target id it takes; null: every remaining match (no bound needed), 0: none. */
  lastTargetId: number | null;
}

/**
 * How many of `remaining` targets a group of `targetPercentage` takes: rounded half up, as
 * hawkBit rounds (Java's Math.round), and never more than there are.
 */
export function groupShare(targetPercentage: number, remaining: number): number {
  return Math.min(remaining, Math.floor((targetPercentage * remaining) / 100 + 0.5));
}

/** The targets still available to a group, given the cuts of the groups before it (the planning port). */
export interface RemainingTargets {
  /** Targets matching group `index`'s filter and the rollout's that no earlier group takes. */
  count(index: number, earlier: readonly GroupCut[]): Promise<number>;
  /** The id of the `position`-th (1-based) of those targets in id order. */
  idAt(index: number, earlier: readonly GroupCut[], position: number): Promise<number>;
}

/** Plans every group's cut in order; one count (and for a partial group one positioned read) per group. */
export async function planExplicitGroups(
  percentages: readonly number[],
  remaining: RemainingTargets,
): Promise<GroupCut[]> {
  const cuts: GroupCut[] = [];
  for (const [index, percentage] of percentages.entries()) {
    const available = await remaining.count(index, cuts);
    const size = groupShare(percentage, available);
    const lastTargetId = size === 0 ? 0 : size === available ? null : await remaining.idAt(index, cuts, size);
    cuts.push({ size, lastTargetId });
  }
  return cuts;
}

/** Whether a target matching group `index`'s filter is within that group's cut. */
export const withinCut = (targetId: number, cut: GroupCut): boolean =>
  cut.lastTargetId === null || targetId <= cut.lastTargetId;

/**
 * The group a target of the rollout falls in (0-based), or undefined when none takes it.
 * `matches[i]`: whether the target matches group i's own filter.
 */
export function groupOfTarget(
  targetId: number,
  matches: readonly boolean[],
  cuts: readonly GroupCut[],
): number | undefined {
  const index = cuts.findIndex((cut, i) => matches[i] && withinCut(targetId, cut));
  return index < 0 ? undefined : index;
}

/** Targets of the rollout that no group takes (creation refuses the split when there are any). */
export const uncoveredTargets = (totalTargets: number, cuts: readonly GroupCut[]): number =>
  totalTargets - cuts.reduce((sum, cut) => sum + cut.size, 0);
