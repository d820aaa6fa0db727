/** Rows of the reporting read model and their hawkBit-shaped REST views. */
export interface CountsRow {
  total_targets: number;
  scheduled: number;
  running: number;
  finished: number;
  error: number;
  cancelled: number;
}

export interface RolloutRow extends CountsRow {
  id: string;
  name: string;
  description: string | null;
  status: string;
  target_filter_query: string;
  distribution_set_id: string;
  action_type: string;
  weight: number;
  start_at: string | null;
  force_time: string | null;
  total_groups: number;
  created_at: string;
  created_by: string;
  last_modified_at: string;
  last_modified_by: string;
}

export interface GroupRow extends CountsRow {
  id: string;
  rollout_id: string;
  index: number;
  name: string;
  description: string | null;
  status: string;
  target_percentage: number;
  success_condition: unknown;
  success_action: unknown;
  error_condition: unknown;
  error_action: unknown;
  created_at: string;
  last_modified_at: string;
}

/** `totalTargetsPerStatus`: notstarted = total − actions. */
export function perStatus(row: CountsRow) {
  const counts = {
    running: Number(row.running),
    scheduled: Number(row.scheduled),
    finished: Number(row.finished),
    error: Number(row.error),
    cancelled: Number(row.cancelled),
  };
  const actions = Object.values(counts).reduce((a, b) => a + b, 0);
  return { ...counts, notstarted: Math.max(0, Number(row.total_targets) - actions) };
}

export const toRolloutView = (row: RolloutRow) => ({
  id: Number(row.id),
  name: row.name,
  description: row.description ?? '',
  status: row.status,
  targetFilterQuery: row.target_filter_query,
  distributionSetId: Number(row.distribution_set_id),
  type: row.action_type,
  weight: row.weight,
  startAt: row.start_at === null ? undefined : Number(row.start_at),
  forcetime: row.force_time === null ? undefined : Number(row.force_time),
  totalGroups: row.total_groups,
  totalTargets: Number(row.total_targets),
  totalTargetsPerStatus: perStatus(row),
  createdAt: Number(row.created_at),
  createdBy: row.created_by,
  lastModifiedAt: Number(row.last_modified_at),
  lastModifiedBy: row.last_modified_by,
  _links: {
    self: { href: `/rest/v1/rollouts/${row.id}` },
    groups: { href: `/rest/v1/rollouts/${row.id}/deploygroups` },
  },
});

export const toGroupView = (row: GroupRow) => ({
  id: Number(row.id),
  name: row.name,
  description: row.description ?? '',
  status: row.status,
  targetPercentage: row.target_percentage,
  successCondition: row.success_condition,
  successAction: row.success_action,
  errorCondition: row.error_condition,
  errorAction: row.error_action,
  totalTargets: Number(row.total_targets),
  totalTargetsPerStatus: perStatus(row),
  createdAt: Number(row.created_at),
  lastModifiedAt: Number(row.last_modified_at),
  _links: { self: { href: `/rest/v1/rollouts/${row.rollout_id}/deploygroups/${row.id}` } },
});
