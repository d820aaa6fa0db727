import type { DynamicGroupTemplate, RolloutGroupDefinition } from '@fleetwave/contracts';
import type { RolloutQuotas, QuotaViolation } from './rollout-quotas';
import type { RolloutStatus } from './rollout.state';

/**
 * The rules of dynamic rollouts, framework-free: how a create body's dynamic part is checked,
 * how dynamic groups are named and defined, and what one intake step may do.
 */

/** What the create command needs to know of a body's dynamic part. */
export interface DynamicRequest {
  dynamic?: boolean;
  dynamicGroupTemplate?: { nameSuffix?: string; targetCount?: number };
}

/** Why a dynamic body is refused: a 400 (`invalid`) or a quota (429). */
export type DynamicViolation = { kind: 'invalid'; message: string } | { kind: 'quota'; violation: QuotaViolation };

/**
 * The template of a dynamic rollout, or undefined for a static one. `dynamic: true` needs a
 * template with a `targetCount` of at least 1 and at most the per-group quota; a template sent
 * without `dynamic: true` is ignored, as hawkBit does.
 */
export function dynamicTemplateOf(
  body: DynamicRequest,
  quotas: RolloutQuotas,
): { template?: DynamicGroupTemplate; violation?: DynamicViolation } {
  if (body.dynamic !== true) return {};
  const template = body.dynamicGroupTemplate;
  if (!template) {
    return { violation: { kind: 'invalid', message: 'a dynamic rollout needs a dynamicGroupTemplate' } };
  }
  const { targetCount } = template;
  if (targetCount === undefined || !Number.isSafeInteger(targetCount) || targetCount < 1) {
    return {
      violation: { kind: 'invalid', message: 'dynamicGroupTemplate.targetCount must be an integer of at least 1' },
    };
  }
  const nameSuffix = template.nameSuffix ?? '';
  if (targetCount > quotas.maxTargetsPerGroup) {
    return {
      violation: {
        kind: 'quota',
        violation: {
          entity: 'Target',
          parent: 'RolloutGroup',
          parentName: dynamicGroupName(nameSuffix, 1),
          requested: targetCount,
          max: quotas.maxTargetsPerGroup,
        },
      },
    };
  }
  return { template: { nameSuffix, targetCount } };
}

/** The name of the n-th dynamic group (1-based): `<nameSuffix>-<n>`, `dynamic-<n>` without a suffix. */
export function dynamicGroupName(nameSuffix: string, n: number): string {
  const base = nameSuffix.trim().length > 0 ? nameSuffix : 'dynamic';
  return `${base}-${n}`;
}

/** A group's definition before its ids are allocated. */
export type DynamicGroupDraft = Omit<RolloutGroupDefinition, 'groupId' | 'index'>;

/**
 * The first dynamic group: the rollout's own filter, confirmation and conditions (`policy`), and
 * the template's capacity. Later ones copy it (see {@link nextDynamicGroup}).
 */
export function firstDynamicGroup(
  template: DynamicGroupTemplate,
  targetFilterQuery: string,
  policy: Pick<
    RolloutGroupDefinition,
    'confirmationRequired' | 'successCondition' | 'successAction' | 'errorCondition' | 'errorAction'
  >,
): DynamicGroupDraft {
  return {
    name: dynamicGroupName(template.nameSuffix, 1),
    targetFilterQuery,
    targetPercentage: 100,
    ...policy,
    dynamic: { capacity: template.targetCount },
  };
}

/** The dynamic group after `previous` (the n-th, 1-based, with its ids): same policy and capacity. */
export function nextDynamicGroup(
  previous: RolloutGroupDefinition,
  template: DynamicGroupTemplate,
  n: number,
  ids: { groupId: number; index: number },
): RolloutGroupDefinition {
  return {
    ...previous,
    ...ids,
    name: dynamicGroupName(template.nameSuffix, n),
    dynamic: { capacity: template.targetCount },
  };
}

/** Where a dynamic rollout's intake stands, as one step sees it. */
export interface IntakeSituation {
  status: RolloutStatus | 'removed' | 'absent';
  /** The capacity of the group now filling and how many it holds. */
  capacity: number;
  members: number;
  /** Groups the rollout has, and how many it may have. */
  groupCount: number;
  maxGroups: number;
}

/**
 * What an intake step does: stop for good, wait (not running), add the next group first (the
 * current one is full), or take up to `room` targets.
 */
export type IntakeDecision =
  { kind: 'end'; reason: string } | { kind: 'wait' } | { kind: 'grow' } | { kind: 'take'; room: number };

const finalStatuses: ReadonlySet<IntakeSituation['status']> = new Set([
  'absent',
  'removed',
  'approval_denied',
  'stopping',
  'stopped',
  'deleting',
  'deleted',
  'finished',
]);

/**
 * Only a running rollout takes targets in: a paused one (or one not started yet) waits, and one
 * that is ending or gone never takes any again. A full group with no room for another (the
 * group quota) ends the intake.
 */
export function decideIntake(s: IntakeSituation): IntakeDecision {
  if (finalStatuses.has(s.status)) return { kind: 'end', reason: `rollout is ${s.status}` };
  if (s.status !== 'running') return { kind: 'wait' };
  const room = Math.max(0, s.capacity - s.members);
  if (room === 0) {
    return s.groupCount < s.maxGroups
      ? { kind: 'grow' }
      : { kind: 'end', reason: `the last group is full and the rollout has ${s.groupCount} groups (the most)` };
  }
  return { kind: 'take', room };
}

/**
 * After `taken` targets joined the group: how many it holds and whether the next dynamic group
 * is due (the group is full and the quota leaves room for one more).
 */
export function afterIntake(
  s: Pick<IntakeSituation, 'capacity' | 'members' | 'groupCount' | 'maxGroups'>,
  taken: number,
): { members: number; full: boolean; addGroup: boolean } {
  const members = Math.min(s.capacity, s.members + taken);
  const full = members >= s.capacity;
  return { members, full, addGroup: full && s.groupCount < s.maxGroups };
}
