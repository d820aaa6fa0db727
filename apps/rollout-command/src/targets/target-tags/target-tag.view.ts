import { AuditRow, auditView, selfLink } from '../../inventory/inventory.views';

/** A target tag row and its REST view (hawkBit's MgmtTag). */
export interface TagRow extends AuditRow {
  id: string;
  name: string;
  description: string | null;
  colour: string | null;
}

export const toTagView = (row: TagRow) => ({
  id: Number(row.id),
  name: row.name,
  description: row.description ?? '',
  colour: row.colour ?? undefined,
  ...auditView(row),
  _links: selfLink('targettags', row.id),
});
