import { AuditRow, auditSortable, auditView } from '../../inventory/inventory.views';
import { entityFields } from '../../inventory/entity-fields';

/** A software module type, distribution set type or target type row. */
export interface TypeRow extends AuditRow {
  id: string;
  key: string;
  name: string;
  description: string | null;
  colour: string | null;
  max_assignments?: number;
  min_artifacts?: number;
}

const typeView = (row: TypeRow) => ({
  id: Number(row.id),
  key: row.key,
  name: row.name,
  description: row.description ?? undefined,
  colour: row.colour ?? undefined,
  audit: auditView(row),
});

/** The internal view of a module type (`SoftwareModuleTypeView` in repository.proto). */
export const toModuleTypeView = (row: TypeRow) => ({
  ...typeView(row),
  maxAssignments: row.max_assignments ?? 1,
  minArtifacts: row.min_artifacts ?? 0,
});

export type ModuleTypeView = ReturnType<typeof toModuleTypeView>;

/** The internal view of a set type (`DistributionSetTypeView` in repository.proto). */
export const toSetTypeView = typeView;

export type SetTypeView = ReturnType<typeof toSetTypeView>;

/** Sort and `q` fields of types (hawkBit's SoftwareModuleTypeFields and kin). */
export const typeSortable = (alias: string): Record<string, string> => ({
  id: `${alias}.id`,
  key: `${alias}.key`,
  name: `${alias}.name`,
  description: `${alias}.description`,
  colour: `${alias}.colour`,
  ...auditSortable(alias),
});

export const typeFields = (entity: string, alias: string) =>
  entityFields(entity, {
    id: ['text', `${alias}.id::text`],
    key: ['text', `${alias}.key`],
    name: ['text', `${alias}.name`],
    description: ['text', `${alias}.description`],
    colour: ['text', `${alias}.colour`],
    createdat: ['timestamp', `${alias}.created_at`],
    lastmodifiedat: ['timestamp', `${alias}.last_modified_at`],
  });
