import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtifactHashes, ByteRange } from './domain/artifact-rules';

/** An upload written to a temp file, with what was computed on the way. */
export interface StagedArtifact {
  tempPath: string;
  size: number;
  hashes: ArtifactHashes;
}

/** Counts and hashes the bytes passing through, holding none of them. */
class HashingCounter extends Transform {
  size = 0;
  private readonly hashes: Record<keyof ArtifactHashes, Hash> = {
    sha1: createHash('sha1'),
    md5: createHash('md5'),
    sha256: createHash('sha256'),
  };

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    for (const hash of Object.values(this.hashes)) hash.update(chunk);
    done(null, chunk);
  }

  digests(): ArtifactHashes {
    return {
      sha1: this.hashes.sha1.digest('hex'),
      md5: this.hashes.md5.digest('hex'),
      sha256: this.hashes.sha256.digest('hex'),
    };
  }
}

/**
 * Artifact bytes on disk, content-addressed: `<dir>/<first two hex of sha256>/<sha256>`. An
 * upload streams into `<dir>/.tmp/` (same file system) and is renamed into place, atomically, once
 * its metadata is being recorded; equal content is stored once.
 */
export class ArtifactStore {
  private readonly tempDirectory: string;

  constructor(private readonly directory: string) {
    this.tempDirectory = join(directory, '.tmp');
  }

  /** Streams `source` to a temp file, hashing and counting; the temp file is gone if this fails. */
  async stage(source: Readable): Promise<StagedArtifact> {
    await mkdir(this.tempDirectory, { recursive: true });
    const tempPath = join(this.tempDirectory, randomUUID());
    const counter = new HashingCounter();
    try {
      await pipeline(source, counter, createWriteStream(tempPath, { flags: 'wx' }));
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
    return { tempPath, size: counter.size, hashes: counter.digests() };
  }

  /** Moves a staged file to its content address (replacing an equal file is harmless). */
  async keep(staged: StagedArtifact): Promise<void> {
    const target = this.pathOf(staged.hashes.sha256);
    await mkdir(dirname(target), { recursive: true });
    await rename(staged.tempPath, target);
  }

  /** Drops a staged file that will not be kept. */
  async discard(staged: StagedArtifact): Promise<void> {
    await rm(staged.tempPath, { force: true });
  }

  /** Whether the bytes of `sha256` are stored. */
  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** The stored bytes of `sha256`, whole or one range of them. */
  open(sha256: string, range?: ByteRange): ReadStream {
    return createReadStream(this.pathOf(sha256), range ? { start: range.start, end: range.end } : {});
  }

  /** Removes the bytes of `sha256` (no error when already gone). */
  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  /** Removes temp files of uploads untouched for `olderThanMs` (left by a crash); answers how many. */
  async removeStaleUploads(olderThanMs: number, now = Date.now()): Promise<number> {
    const names = await readdir(this.tempDirectory).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const path = join(this.tempDirectory, name);
      const modified = await stat(path).then(
        (s) => s.mtimeMs,
        () => now,
      );
      if (now - modified < olderThanMs) continue;
      await rm(path, { force: true });
      removed += 1;
    }
    return removed;
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 digest: ${sha256}`);
    return join(this.directory, sha256.slice(0, 2), sha256);
  }
}
