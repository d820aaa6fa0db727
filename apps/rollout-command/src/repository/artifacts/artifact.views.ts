import type { ArtifactRef } from '@fleetwave/contracts';
import { auditView, type AuditRow } from '../../inventory/inventory.views';

/** A row of `software_module_artifacts`. */
export interface ArtifactRow extends AuditRow {
  id: string;
  software_module_id: string;
  provided_filename: string;
  size: string;
  sha1: string;
  md5: string;
  sha256: string;
}

/** The Management API path of an artifact's bytes (the gateway serves it). */
export const downloadPath = (row: Pick<ArtifactRow, 'id' | 'software_module_id'>): string =>
  `/rest/v1/softwaremodules/${row.software_module_id}/artifacts/${row.id}/download`;

/** The internal `ArtifactView` (artifacts.proto). */
export const toArtifactMessage = (row: ArtifactRow) => ({
  id: Number(row.id),
  moduleId: Number(row.software_module_id),
  providedFilename: row.provided_filename,
  size: Number(row.size),
  hashes: { sha1: row.sha1, md5: row.md5, sha256: row.sha256 },
  audit: auditView(row),
});

/** The artifact as device instructions carry it: downloaded through the gateway at `baseUrl`. */
export const toArtifactRef = (row: ArtifactRow, baseUrl: string): ArtifactRef => ({
  filename: row.provided_filename,
  size: Number(row.size),
  hashes: { sha1: row.sha1, md5: row.md5, sha256: row.sha256 },
  downloadUrl: `${baseUrl}${downloadPath(row)}`,
});
