import { AuditRow, auditView } from '../../inventory/inventory.views';

/** A target tag row. */
export interface TagRow extends AuditRow {
  id: string;
  name: string;
  description: string | null;
  colour: string | null;
}

/** A target tag as the internal API tells it (`fleetwave.internal.v1.TargetTagView`). */
export interface TargetTagView {
  id: number;
  name: string;
  description?: string;
  colour?: string;
  audit: ReturnType<typeof auditView>;
}

export const targetTagView = (row: TagRow): TargetTagView => ({
  id: Number(row.id),
  name: row.name,
  description: row.description ?? undefined,
  colour: row.colour ?? undefined,
  audit: auditView(row),
});
