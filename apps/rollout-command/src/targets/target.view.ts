/** A target row as the REST API shows it (hawkBit's MgmtTarget shape). */
export interface TargetRow {
  id: string;
  controller_id: string;
  name: string;
  description: string | null;
  update_status: string;
  attributes: Record<string, string>;
  target_type: string | null;
  created_at: Date;
  created_by: string;
  last_modified_at: Date;
  last_modified_by: string;
  last_controller_request_at: Date | null;
}

export const targetColumns = `id, controller_id, name, description, update_status, attributes, target_type,
  created_at, created_by, last_modified_at, last_modified_by, last_controller_request_at`;

export function toTargetView(row: TargetRow) {
  return {
    id: Number(row.id),
    controllerId: row.controller_id,
    name: row.name,
    description: row.description ?? '',
    updateStatus: row.update_status,
    targetType: row.target_type ?? undefined,
    requestAttributes: true,
    createdAt: row.created_at.getTime(),
    createdBy: row.created_by,
    lastModifiedAt: row.last_modified_at.getTime(),
    lastModifiedBy: row.last_modified_by,
    lastControllerRequestAt: row.last_controller_request_at?.getTime(),
    _links: { self: { href: `/rest/v1/targets/${encodeURIComponent(row.controller_id)}` } },
  };
}
