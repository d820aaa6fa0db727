import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '@fleetwave/platform';
import type { SqlExecutor } from '@fleetwave/event-store';
import { notFound } from '../../shared/application-error';
import { alreadyExists } from '../../inventory/inventory-errors';
import { quotaBreach } from './domain/artifact-rules';
import type { StagedArtifact } from './artifact.store';
import { fileSizeExceeded, moduleLocked, storageExceeded } from './artifact-errors';
import type { ArtifactRow } from './artifact.views';

/**
 * Serializes what changes which files are referenced (an upload's record and rename, a delete
 * and its unlink) and the storage quota's sum, in short transactions. Without it a delete could
 * unlink a file an upload of equal content had just renamed into place.
 */
const ARTIFACT_LOCK = `select pg_advisory_xact_lock(hashtextextended('fleetwave.software-module-artifacts', 0))`;

export interface NewArtifact {
  moduleId: number;
  filename: string;
  staged: StagedArtifact;
  user: string;
}

/** Artifact metadata in the inventory schema. */
export class ArtifactRepository {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** Fails as hawkBit does when the module's artifacts cannot change: unknown or deleted (404), locked (423). */
  async assertWritable(moduleId: number, db: SqlExecutor = this.pool): Promise<void> {
    const { rows } = await db.query<{ locked: boolean; deleted: boolean }>(
      `select locked, deleted from ${this.schema}.software_modules where id = $1`,
      [moduleId],
    );
    if (rows.length === 0 || rows[0].deleted) throw notFound('SoftwareModule', moduleId);
    if (rows[0].locked) throw moduleLocked(moduleId);
  }

  /** Whether the module exists (deleted ones keep their artifacts readable). */
  async moduleExists(moduleId: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`select 1 from ${this.schema}.software_modules where id = $1`, [
      moduleId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * Records an uploaded artifact and, in the same short transaction, moves its bytes into place
   * (`keep`), so a row never points at missing bytes: 409 for a file name the module already has,
   * 413 past the size quotas.
   */
  async record(
    artifact: NewArtifact,
    quota: { maxArtifactBytes: number; maxStorageBytes: number },
    keep: () => Promise<void>,
  ): Promise<ArtifactRow> {
    return withTransaction(this.pool, async (tx) => {
      await tx.query(ARTIFACT_LOCK);
      await this.assertWritable(artifact.moduleId, tx);
      const used = await tx.query<{ bytes: string }>(
        `select coalesce(sum(size), 0)::text as bytes from ${this.schema}.software_module_artifacts`,
      );
      const breach = quotaBreach(artifact.staged.size, Number(used.rows[0].bytes), quota);
      if (breach === 'file') throw fileSizeExceeded(quota.maxArtifactBytes);
      if (breach === 'storage') throw storageExceeded(quota.maxStorageBytes);
      const { rows } = await tx.query<ArtifactRow>(
        `insert into ${this.schema}.software_module_artifacts
           (software_module_id, provided_filename, size, sha1, md5, sha256, created_by, last_modified_by)
         values ($1, $2, $3, $4, $5, $6, $7, $7)
         on conflict (software_module_id, provided_filename) do nothing
         returning *`,
        [
          artifact.moduleId,
          artifact.filename,
          artifact.staged.size,
          artifact.staged.hashes.sha1,
          artifact.staged.hashes.md5,
          artifact.staged.hashes.sha256,
          artifact.user,
        ],
      );
      if (rows.length === 0)
        throw alreadyExists(`artifact "${artifact.filename}" of software module ${artifact.moduleId}`);
      await keep();
      return rows[0];
    });
  }

  /** A module's artifacts in upload order; 404 for an unknown module. */
  async list(moduleId: number): Promise<ArtifactRow[]> {
    if (!(await this.moduleExists(moduleId))) throw notFound('SoftwareModule', moduleId);
    const { rows } = await this.pool.query<ArtifactRow>(
      `select * from ${this.schema}.software_module_artifacts where software_module_id = $1 order by id`,
      [moduleId],
    );
    return rows;
  }

  /** One artifact of a module; 404 when the module or the artifact (of that module) is unknown. */
  async get(moduleId: number, artifactId: number): Promise<ArtifactRow> {
    const { rows } = await this.pool.query<ArtifactRow>(
      `select * from ${this.schema}.software_module_artifacts where software_module_id = $1 and id = $2`,
      [moduleId, artifactId],
    );
    if (rows.length > 0) return rows[0];
    if (!(await this.moduleExists(moduleId))) throw notFound('SoftwareModule', moduleId);
    throw notFound('Artifact', artifactId);
  }

  /**
   * Deletes an artifact and, in the same transaction, the bytes no artifact references any more
   * (under the artifact lock, so no upload of equal content interleaves).
   */
  async delete(moduleId: number, artifactId: number, unlink: (sha256: string) => Promise<void>): Promise<void> {
    await withTransaction(this.pool, async (tx: PoolClient) => {
      await tx.query(ARTIFACT_LOCK);
      await this.get(moduleId, artifactId);
      await this.assertWritable(moduleId, tx);
      const { rowCount } = await tx.query(
        `delete from ${this.schema}.software_module_artifacts where software_module_id = $1 and id = $2`,
        [moduleId, artifactId],
      );
      if (!rowCount) throw notFound('Artifact', artifactId);
      await this.collectGarbage(tx, unlink);
    });
  }

  /**
   * Removes the files of digests whose rows were deleted (recorded by a trigger, also when a module
   * was deleted with its artifacts) and that no row references now; answers how many.
   */
  async removeUnreferenced(unlink: (sha256: string) => Promise<void>): Promise<number> {
    return withTransaction(this.pool, async (tx) => {
      await tx.query(ARTIFACT_LOCK);
      return this.collectGarbage(tx, unlink);
    });
  }

  private async collectGarbage(tx: PoolClient, unlink: (sha256: string) => Promise<void>): Promise<number> {
    const { rows } = await tx.query<{ sha256: string; referenced: boolean }>(
      `delete from ${this.schema}.artifact_file_garbage g
       returning g.sha256, exists (select 1 from ${this.schema}.software_module_artifacts a where a.sha256 = g.sha256) as referenced`,
    );
    const unreferenced = rows.filter((r) => !r.referenced);
    for (const { sha256 } of unreferenced) await unlink(sha256);
    return unreferenced.length;
  }
}

/** Artifacts of the given modules, by module id, in upload order: one query for all of them. */
export async function artifactsOfModules(
  db: SqlExecutor,
  schema: string,
  moduleIds: number[],
): Promise<Map<number, ArtifactRow[]>> {
  const byModule = new Map<number, ArtifactRow[]>();
  if (moduleIds.length === 0) return byModule;
  const { rows } = await db.query<ArtifactRow>(
    `select * from ${schema}.software_module_artifacts where software_module_id = any($1::bigint[]) order by id`,
    [moduleIds],
  );
  for (const row of rows) {
    const id = Number(row.software_module_id);
    byModule.set(id, [...(byModule.get(id) ?? []), row]);
  }
  return byModule;
}
