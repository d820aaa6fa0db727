/** Rows and REST views of software modules and distribution sets. */
export interface SoftwareModuleRow {
  id: string;
  name: string;
  version: string;
  type: string;
  vendor: string | null;
  description: string | null;
  artifacts: { filename: string; size: number; hashes: { sha1?: string; md5?: string; sha256?: string } }[];
  created_at: Date;
  created_by: string;
  last_modified_at: Date;
  last_modified_by: string;
}

export interface DistributionSetRow {
  id: string;
  name: string;
  version: string;
  type: string;
  description: string | null;
  module_ids: string[];
  created_at: Date;
  created_by: string;
  last_modified_at: Date;
  last_modified_by: string;
}

const audit = (row: { created_at: Date; created_by: string; last_modified_at: Date; last_modified_by: string }) => ({
  createdAt: row.created_at.getTime(),
  createdBy: row.created_by,
  lastModifiedAt: row.last_modified_at.getTime(),
  lastModifiedBy: row.last_modified_by,
});

export const toSoftwareModuleView = (row: SoftwareModuleRow) => ({
  id: Number(row.id),
  name: row.name,
  version: row.version,
  type: row.type,
  vendor: row.vendor ?? '',
  description: row.description ?? '',
  ...audit(row),
  _links: { self: { href: `/rest/v1/softwaremodules/${row.id}` } },
});

export const toDistributionSetView = (row: DistributionSetRow, modules: SoftwareModuleRow[]) => ({
  id: Number(row.id),
  name: row.name,
  version: row.version,
  type: row.type,
  description: row.description ?? '',
  complete: modules.length > 0,
  locked: false,
  valid: true,
  modules: modules.map(toSoftwareModuleView),
  ...audit(row),
  _links: { self: { href: `/rest/v1/distributionsets/${row.id}` } },
});
