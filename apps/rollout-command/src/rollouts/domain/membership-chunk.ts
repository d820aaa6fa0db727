import type { GroupMember } from '@fleetwave/contracts';

/** Where membership assignment stands: the group being filled and how many it holds so far. */
export interface GroupCursor {
  groupIndex: number;
  takenInGroup: number;
}

/** Members for one group, small enough to travel as one membership event. */
export interface MemberSlice {
  groupIndex: number;
  members: GroupMember[];
}

export interface SliceLimits {
  /** Most members in one event. */
  maxMembers: number;
  /** Most (estimated) JSON bytes of the members of one event. */
  maxBytes: number;
}

/** 250–500 members of typical ids stay near 16–24 KB; long controller ids hit the byte bound first. */
export const defaultSliceLimits: SliceLimits = { maxMembers: 500, maxBytes: 24_000 };

// `{"targetId":…,"controllerId":…},` without the two values.
const memberOverhead = 32;

const memberBytes = (member: GroupMember): number =>
  memberOverhead + String(member.targetId).length + Buffer.byteLength(JSON.stringify(member.controllerId));

/**
 * Deals targets (in id order) into groups of the given sizes, continuing from `cursor`, and cuts
 * each group's share into event-sized slices. Targets beyond the last group's capacity are left
 * out. Returns the slices in order and the cursor to continue from in the next chunk.
 */
export function assignChunk(
  sizes: number[],
  cursor: GroupCursor,
  targets: GroupMember[],
  limits: SliceLimits = defaultSliceLimits,
): { slices: MemberSlice[]; cursor: GroupCursor; used: number } {
  let { groupIndex, takenInGroup } = cursor;
  const slices: MemberSlice[] = [];
  let open: MemberSlice | undefined;
  let openBytes = 0;
  let used = 0;
  for (const target of targets) {
    while (groupIndex < sizes.length && takenInGroup >= sizes[groupIndex]) {
      groupIndex++;
      takenInGroup = 0;
    }
    if (groupIndex >= sizes.length) break;
    const bytes = memberBytes(target);
    if (
      open === undefined ||
      open.groupIndex !== groupIndex ||
      open.members.length >= limits.maxMembers ||
      openBytes + bytes > limits.maxBytes
    ) {
      open = { groupIndex, members: [] };
      openBytes = 0;
      slices.push(open);
    }
    open.members.push(target);
    openBytes += bytes;
    takenInGroup++;
    used++;
  }
  return { slices, cursor: { groupIndex, takenInGroup }, used };
}

/** Per-group totals once assignment stopped at `cursor` (equal to `sizes` when every group filled). */
export function assignedGroupTotals(sizes: number[], cursor: GroupCursor): number[] {
  return sizes.map((size, i) =>
    i < cursor.groupIndex ? size : i === cursor.groupIndex ? Math.min(size, cursor.takenInGroup) : 0,
  );
}

/**
 * Cuts one chunk of an explicit split into event-sized slices: the targets come in id order with
 * the group each falls in (undefined: none), and leave grouped by group, in group order. Returns
 * also how many each group got, for the running totals.
 */
export function sliceByGroup(
  groupCount: number,
  targets: readonly { member: GroupMember; groupIndex: number | undefined }[],
  limits: SliceLimits = defaultSliceLimits,
): { slices: MemberSlice[]; perGroup: number[] } {
  const byGroup: GroupMember[][] = Array.from({ length: groupCount }, () => []);
  for (const { member, groupIndex } of targets) {
    if (groupIndex !== undefined) byGroup[groupIndex].push(member);
  }
  const slices: MemberSlice[] = [];
  for (const [groupIndex, members] of byGroup.entries()) {
    let open: MemberSlice | undefined;
    let openBytes = 0;
    for (const member of members) {
      const bytes = memberBytes(member);
      if (open === undefined || open.members.length >= limits.maxMembers || openBytes + bytes > limits.maxBytes) {
        open = { groupIndex, members: [] };
        openBytes = 0;
        slices.push(open);
      }
      open.members.push(member);
      openBytes += bytes;
    }
  }
  return { slices, perGroup: byGroup.map((members) => members.length) };
}
