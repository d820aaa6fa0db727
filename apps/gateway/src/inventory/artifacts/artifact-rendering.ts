import { renderAudit } from '../inventory-rendering';

type Json = Record<string, unknown>;

/** The Management API path of an artifact of a module. */
export const artifactPath = (moduleId: number, artifactId: number): string =>
  `/rest/v1/softwaremodules/${moduleId}/artifacts/${artifactId}`;

/** hawkBit's MgmtArtifact, from the internal `ArtifactView`: with links to itself and to its bytes. */
export function renderArtifact(view: Json) {
  const id = Number(view.id ?? 0);
  const path = artifactPath(Number(view.moduleId ?? 0), id);
  const hashes = (view.hashes ?? {}) as Json;
  return {
    id,
    hashes: { sha1: String(hashes.sha1 ?? ''), md5: String(hashes.md5 ?? ''), sha256: String(hashes.sha256 ?? '') },
    providedFilename: String(view.providedFilename ?? ''),
    size: Number(view.size ?? 0),
    ...renderAudit(view.audit),
    _links: { self: { href: path }, download: { href: `${path}/download` } },
  };
}
