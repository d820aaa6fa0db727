import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { HawkbitHttpError } from '@fleetwave/platform';
import { notFound } from '../../shared/application-error';
import {
  mismatchedHash,
  providedFilename,
  requestedRange,
  MAX_FILENAME_LENGTH,
  type ByteRange,
} from './domain/artifact-rules';
import { ARTIFACT_SETTINGS, type ArtifactSettings } from './artifact-settings';
import { ArtifactStore } from './artifact.store';
import { ArtifactRepository } from './artifact.repository';
import { checksumMismatch, fileSizeExceeded, rangeNotSatisfiable, uploadFailed } from './artifact-errors';
import type { ArtifactRow } from './artifact.views';

/** Room for the multipart framing around a file of the largest allowed size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** hawkBit's upload parameters (query string or form fields). */
export interface UploadParameters {
  filename?: string;
  md5sum?: string;
  sha1sum?: string;
  sha256sum?: string;
}

/** An upload as it arrives: who sends what to which module, then the file's bytes. */
export interface ArtifactUpload {
  user: string;
  moduleId: number;
  /** The length the whole request body announced, if it did. */
  announcedBytes?: number;
  /** The file name the multipart part carried. */
  partFilename?: string;
  /** The file's bytes, in order; read once the module is known to take them. */
  bytes: AsyncIterable<Buffer>;
  /** The parameters; asked once the bytes have ended (form fields may follow the file). */
  parameters: () => UploadParameters;
}

/**
 * What a download sends: the artifact with the range served (none: the whole file) and its bytes,
 * or the artifact with the refusal of a range it does not have (416: the answer tells the size).
 */
export type ArtifactDownload =
  { row: ArtifactRow; range?: ByteRange; open(): Readable } | { row: ArtifactRow; refused: HawkbitHttpError };

/** The bytes of `source`, failing with hawkBit's 413 as soon as they pass `maxBytes`. */
async function* limited(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > maxBytes) throw fileSizeExceeded(maxBytes);
    yield chunk;
  }
}

/**
 * Artifacts of software modules: the one handler of each of their commands and queries, for the
 * internal gRPC API. An upload is staged on disk while it is hashed (never held in memory), checked
 * against the checksums given, recorded, and moved to its content address; a download reads the
 * bytes from disk, whole or one range of them.
 */
@Injectable()
export class Artifacts {
  constructor(
    @Inject(ArtifactRepository) private readonly artifacts: ArtifactRepository,
    @Inject(ArtifactStore) private readonly store: ArtifactStore,
    @Inject(ARTIFACT_SETTINGS) private readonly settings: ArtifactSettings,
  ) {}

  /**
   * A module that cannot take the upload (unknown, deleted, locked), or a body announced plainly
   * larger than the size limit, is refused before any byte is read. Nothing is left on disk
   * unless the artifact was recorded, whichever way the upload ends.
   */
  async upload(upload: ArtifactUpload): Promise<ArtifactRow> {
    const max = this.settings.maxArtifactBytes;
    await this.artifacts.assertWritable(upload.moduleId);
    if ((upload.announcedBytes ?? 0) > max + MULTIPART_OVERHEAD_BYTES) throw fileSizeExceeded(max);
    const staged = await this.store.stage(Readable.from(limited(upload.bytes, max)));
    let kept = false;
    try {
      if (staged.size === 0) throw uploadFailed('the uploaded file is empty');
      const given = upload.parameters();
      const mismatch = mismatchedHash(
        { md5: given.md5sum, sha1: given.sha1sum, sha256: given.sha256sum },
        staged.hashes,
      );
      if (mismatch) throw checksumMismatch(mismatch);
      const filename = providedFilename(given.filename, upload.partFilename);
      if (!filename) {
        throw uploadFailed(
          `a file name of 1 to ${MAX_FILENAME_LENGTH} characters without control characters is needed`,
        );
      }
      const artifact = { moduleId: upload.moduleId, filename, staged, user: upload.user };
      return await this.artifacts.record(artifact, this.settings, async () => {
        await this.store.keep(staged);
        kept = true;
      });
    } finally {
      if (!kept) await this.store.discard(staged);
    }
  }

  list(moduleId: number): Promise<ArtifactRow[]> {
    return this.artifacts.list(moduleId);
  }

  get(moduleId: number, artifactId: number): Promise<ArtifactRow> {
    return this.artifacts.get(moduleId, artifactId);
  }

  /** Deletes the artifact, and its bytes once no other artifact has them. */
  async delete(moduleId: number, artifactId: number): Promise<void> {
    await this.artifacts.delete(moduleId, artifactId, (sha256) => this.store.remove(sha256));
  }

  /** The artifact's bytes for a `Range` header (a single range is served, as devices resume downloads). */
  async download(moduleId: number, artifactId: number, rangeHeader?: string): Promise<ArtifactDownload> {
    const row = await this.artifacts.get(moduleId, artifactId);
    if (!(await this.store.has(row.sha256))) throw notFound('Artifact binary', row.id);
    const size = Number(row.size);
    const range = requestedRange(rangeHeader, size);
    if (range === 'unsatisfiable') return { row, refused: rangeNotSatisfiable(size) };
    return { row, range, open: () => this.store.open(row.sha256, range) };
  }
}
