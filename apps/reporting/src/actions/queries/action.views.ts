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

const actionPath = (controllerId: string, id: number) =>
  `/rest/v1/targets/${encodeURIComponent(controllerId)}/actions/${id}`;

/** hawkBit's MgmtAction: `status` is pending/finished, `detailStatus` the action's own status. */
export function toActionView(row: ActionViewRow) {
  const id = Number(row.id);
  const rolloutId = Number(row.rollout_id);
  const self = actionPath(row.controller_id, id);
  const known = row.rollout_name !== null;
  return {
    id,
    type: row.type,
    status: row.active ? 'pending' : 'finished',
    detailStatus: row.status,
    active: row.active,
    // hawkBit 1.1.0 names the action type `forceType`, later versions `actionType`: both carry it.
    forceType: row.action_type ?? undefined,
    actionType: row.action_type ?? undefined,
    forceTime: row.action_type === 'timeforced' && row.force_time !== null ? Number(row.force_time) : undefined,
    weight: row.weight ?? undefined,
    rollout: rolloutId,
    rolloutName: row.rollout_name ?? undefined,
    lastStatusCode: row.last_status_code ?? undefined,
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
    lastModifiedAt: Number(row.last_modified_at),
    lastModifiedBy: row.created_by,
    _links: {
      self: { href: self },
      target: { href: `/rest/v1/targets/${encodeURIComponent(row.controller_id)}`, name: row.controller_id },
      ...(row.distribution_set_id !== null && {
        distributionset: {
          href: `/rest/v1/distributionsets/${row.distribution_set_id}`,
          name: `${row.distribution_set_name}:${row.distribution_set_version}`,
        },
      }),
      status: { href: `${self}/status?offset=0&limit=50&sort=id%3ADESC` },
      rollout: { href: `/rest/v1/rollouts/${rolloutId}`, ...(known && { name: row.rollout_name }) },
    },
  };
}

/** hawkBit's MgmtActionStatus: `reportedAt` when it was recorded, `timestamp` when it happened. */
export function toStatusView(row: ActionStatusRow) {
  return {
    id: statusEntryId(Number(row.action_id), row.seq),
    type: row.status,
    messages: row.messages,
    reportedAt: Number(row.reported_at),
    timestamp: Number(row.occurred_at),
    code: row.code ?? undefined,
  };
}
