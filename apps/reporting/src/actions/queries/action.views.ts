import type { ActionStatusView, ActionView } from '@fleetwave/contracts';
/** A row of `action_views` as pg returns it (bigint columns as text). */
export interface ActionViewRow {
  id: string;
  rollout_id: string;
  group_id: string;
  controller_id: string;
  status: string;
  active: boolean;
  type: string;
  created_at: string;
  last_modified_at: string;
  last_status_code: number | null;
  rollout_name: string | null;
  action_type: string | null;
  weight: number | null;
  force_time: string | null;
  distribution_set_id: string | null;
  distribution_set_name: string | null;
  distribution_set_version: string | null;
  created_by: string;
}

/** A row of `action_status_history` as pg returns it. */
export interface ActionStatusRow {
  action_id: string;
  seq: number;
  status: string;
  messages: string[];
  code: number | null;
  reported_at: string;
  occurred_at: string;
}

/**
 * History entries kept per action: hawkBit's quota of status entries per action (1,000 by
 * default), which also leaves room for every entry's id below the next action's (see {@link statusEntryId}).
 */
export const STATUS_ENTRIES_PER_ACTION = 1_000;

/**
 * The public id of a history entry, derived from its action and number so that a rebuilt read
 * model gives each entry the id it had: ids grow with the history and never repeat across
 * actions, and stay exact JavaScript numbers for action ids below 9·10^12.
 */
export const statusEntryId = (actionId: number, seq: number): number => actionId * STATUS_ENTRIES_PER_ACTION + seq;

const optional = <T>(value: T | null): T | undefined => value ?? undefined;
const optionalNumber = (value: string | number | null): number | undefined =>
  value === null ? undefined : Number(value);

/** A row as the action's view (`renderAction` makes hawkBit's MgmtAction of it). */
export function toActionView(row: ActionViewRow): ActionView {
  return {
    id: Number(row.id),
    rolloutId: Number(row.rollout_id),
    groupId: Number(row.group_id),
    controllerId: row.controller_id,
    status: row.status,
    active: row.active,
    type: row.type,
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
    lastModifiedAt: Number(row.last_modified_at),
    lastStatusCode: optional(row.last_status_code),
    rolloutName: optional(row.rollout_name),
    actionType: optional(row.action_type),
    weight: optional(row.weight),
    forceTime: optionalNumber(row.force_time),
    distributionSetId: optionalNumber(row.distribution_set_id),
    distributionSetName: optional(row.distribution_set_name),
    distributionSetVersion: optional(row.distribution_set_version),
  };
}

/** A history row as hawkBit's MgmtActionStatus: `reportedAt` when it was recorded, `timestamp` when it happened. */
export function toStatusView(row: ActionStatusRow): ActionStatusView {
  return {
    id: statusEntryId(Number(row.action_id), row.seq),
    type: row.status,
    messages: row.messages,
    reportedAt: Number(row.reported_at),
    timestamp: Number(row.occurred_at),
    code: optional(row.code),
  };
}
