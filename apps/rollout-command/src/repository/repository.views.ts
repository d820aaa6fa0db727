import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';
import { AuditRow, auditSortable, auditView } from '../inventory/inventory.views';

const S = INVENTORY_SCHEMA;

/** Rows and internal views of software modules and distribution sets. */
export interface SoftwareModuleRow extends AuditRow {
  id: string;
  name: string;
  version: string;
  type: string;
  type_name?: string | null;
  vendor: string | null;
  description: string | null;
  locked?: boolean;
  deleted?: boolean;
  artifacts: { filename: string; size: number; hashes: { sha1?: string; md5?: string; sha256?: string } }[];
}

export interface DistributionSetRow extends AuditRow {
  id: string;
  name: string;
  version: string;
  type: string;
  type_name?: string | null;
  description: string | null;
  module_ids: string[];
  locked?: boolean;
  deleted?: boolean;
  required_migration_step?: boolean;
  /** Computed by {@link distributionSetColumns}: every mandatory module type of the set's type present. */
  complete?: boolean;
}

/** Modules with their type's name: `sm` the module, `smt` its type. */
export const modulesWithType = `${S}.software_modules sm left join ${S}.software_module_types smt on smt.key = sm.type`;
export const moduleColumns = 'sm.*, smt.name as type_name';

/**
 * Whether a set holds a module of every mandatory module type of its set type; a set of a type
 * the catalogue does not know is complete once it holds any module.
 */
export const completeExpression = `(case when dt.id is null then cardinality(d.module_ids) > 0 else not exists (
    select 1 from ${S}.distribution_set_type_modules m join ${S}.software_module_types st on st.id = m.sm_type_id
    where m.ds_type_id = dt.id and m.mandatory and not exists (
      select 1 from ${S}.software_modules x where x.id = any(d.module_ids) and x.type = st.key)) end)`;

/** Sets with their type: `d` the set, `dt` its type. */
export const setsWithType = `${S}.distribution_sets d left join ${S}.distribution_set_types dt on dt.key = d.type`;
export const distributionSetColumns = `d.*, dt.name as type_name, ${completeExpression} as complete`;

export const moduleSortable: Record<string, string> = {
  id: 'sm.id',
  name: 'sm.name',
  version: 'sm.version',
  type: 'sm.type',
  vendor: 'sm.vendor',
  description: 'sm.description',
  ...auditSortable('sm'),
};

export const setSortable: Record<string, string> = {
  id: 'd.id',
  name: 'd.name',
  version: 'd.version',
  type: 'd.type',
  description: 'd.description',
  locked: 'd.locked',
  complete: completeExpression,
  ...auditSortable('d'),
};

/** The internal view of a module (`SoftwareModuleView` in repository.proto). */
export const toSoftwareModuleView = (row: SoftwareModuleRow) => ({
  id: Number(row.id),
  name: row.name,
  version: row.version,
  type: row.type,
  typeName: row.type_name ?? undefined,
  vendor: row.vendor ?? undefined,
  description: row.description ?? undefined,
  locked: row.locked ?? false,
  deleted: row.deleted ?? false,
  audit: auditView(row),
});

export type SoftwareModuleView = ReturnType<typeof toSoftwareModuleView>;

/** The internal view of a set with its modules (`DistributionSetView` in repository.proto). */
export const toDistributionSetView = (row: DistributionSetRow, modules: SoftwareModuleRow[]) => ({
  id: Number(row.id),
  name: row.name,
  version: row.version,
  type: row.type,
  typeName: row.type_name ?? undefined,
  description: row.description ?? undefined,
  complete: row.complete ?? modules.length > 0,
  locked: row.locked ?? false,
  deleted: row.deleted ?? false,
  requiredMigrationStep: row.required_migration_step ?? false,
  modules: modules.map(toSoftwareModuleView),
  audit: auditView(row),
});

export type DistributionSetView = ReturnType<typeof toDistributionSetView>;
