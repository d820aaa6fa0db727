import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';
import { auditSortable, auditView } from '../inventory/inventory.views';

/** A target row, as the target reads select it. */
export interface TargetRow {
  id: string;
  controller_id: string;
  name: string;
  description: string | null;
  update_status: string;
  attributes: Record<string, string>;
  /** Tag names, where the query selected them. */
  tags?: string[];
  target_type_id: string | null;
  /** The type's name, where the query joined `target_types`. */
  target_type_name?: string | null;
  created_at: Date;
  created_by: string;
  last_modified_at: Date;
  last_modified_by: string;
  last_controller_request_at: Date | null;
}

const columns = [
  'id',
  'controller_id',
  'name',
  'description',
  'update_status',
  'attributes',
  'target_type_id',
  'created_at',
  'created_by',
  'last_modified_at',
  'last_modified_by',
  'last_controller_request_at',
];

/** The columns of {@link TargetRow}, unqualified (for `returning`). */
export const targetColumns = columns.join(', ');

/** Targets with their type's name, for reads: `t` is the target, `tt` its type. */
export const targetsWithType = `${INVENTORY_SCHEMA}.targets t left join ${INVENTORY_SCHEMA}.target_types tt on tt.id = t.target_type_id`;
export const targetWithTypeColumns = `${columns.map((c) => `t.${c}`).join(', ')}, tt.name as target_type_name`;

/**
 * Sort fields of target lists (hawkBit's TargetFields, lower case; `id` is the controllerId
 * there too), each served by an index where rollouts and operators sort large fleets.
 */
export const targetSortable: Record<string, string> = {
  id: 't.controller_id',
  controllerid: 't.controller_id',
  name: 't.name',
  description: 't.description',
  updatestatus: 't.update_status',
  lastcontrollerrequestat: 't.last_controller_request_at',
  ...auditSortable('t'),
};

/** A target as the internal API tells it (`TargetView` of targets.proto); times in ms since the epoch. */
export interface TargetView {
  id: number;
  controllerId: string;
  name: string;
  description?: string;
  updateStatus: string;
  lastControllerRequestAt?: number;
  targetType?: number;
  targetTypeName?: string;
  audit: ReturnType<typeof auditView>;
}

/** The internal view of a target row: what the inventory stores, no REST defaults or links. */
export const targetViewOf = (row: TargetRow): TargetView => ({
  id: Number(row.id),
  controllerId: row.controller_id,
  name: row.name,
  description: row.description ?? undefined,
  updateStatus: row.update_status,
  lastControllerRequestAt: row.last_controller_request_at?.getTime(),
  targetType: row.target_type_id === null ? undefined : Number(row.target_type_id),
  targetTypeName: row.target_type_name ?? undefined,
  audit: auditView(row),
});
