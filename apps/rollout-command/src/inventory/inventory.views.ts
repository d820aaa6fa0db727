/** Columns every inventory entity has, and their hawkBit names. */
export interface AuditRow {
  created_at: Date;
  created_by: string;
  last_modified_at: Date;
  last_modified_by: string;
}

export const auditView = (row: AuditRow) => ({
  createdBy: row.created_by,
  createdAt: row.created_at.getTime(),
  lastModifiedBy: row.last_modified_by,
  lastModifiedAt: row.last_modified_at.getTime(),
});

/** `_links.self` of an entity under `/rest/v1/<collection>/<id>`. */
export const selfLink = (collection: string, id: string | number) => ({
  self: { href: `/rest/v1/${collection}/${encodeURIComponent(String(id))}` },
});

/** The audit columns a sort may use, by hawkBit's field names. */
export const auditSortable = (alias: string): Record<string, string> => ({
  createdat: `${alias}.created_at`,
  createdby: `${alias}.created_by`,
  lastmodifiedat: `${alias}.last_modified_at`,
  lastmodifiedby: `${alias}.last_modified_by`,
});
