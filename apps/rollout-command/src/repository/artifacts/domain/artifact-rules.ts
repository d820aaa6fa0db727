/** Rules of an artifact upload, free of I/O: checksums, file names, quotas. */

export type HashName = 'sha1' | 'md5' | 'sha256';

/** Hex digests of an artifact's bytes, as computed while it streamed in. */
export interface ArtifactHashes {
  sha1: string;
  md5: string;
  sha256: string;
}

/** What the uploader says the hashes are (hawkBit's `sha1sum`, `md5sum`, `sha256sum`). */
export type ExpectedHashes = Partial<Record<HashName, string>>;

/** hawkBit's limit on a provided file name. */
export const MAX_FILENAME_LENGTH = 256;

const order: HashName[] = ['md5', 'sha1', 'sha256'];

/** The first hash the uploader gave that differs from the bytes' (hex compared case-insensitively), if any. */
export function mismatchedHash(expected: ExpectedHashes, actual: ArtifactHashes): HashName | undefined {
  return order.find((name) => {
    const given = expected[name]?.trim();
    return given !== undefined && given !== '' && given.toLowerCase() !== actual[name];
  });
}

/**
 * The file name an artifact is known by: the explicit `filename` parameter, else the name the
 * multipart part carried. Undefined when neither is usable (empty, too long, control characters).
 */
export function providedFilename(explicit: string | undefined, fromPart: string | undefined): string | undefined {
  const name = (explicit ?? '').trim() || (fromPart ?? '').trim();
  if (name === '' || name.length > MAX_FILENAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) return undefined;
  return name;
}

/** Why an upload breaks a size quota, if it does: the file alone, or the storage with it added. */
export function quotaBreach(
  size: number,
  storedBytes: number,
  quota: { maxArtifactBytes: number; maxStorageBytes: number },
): 'file' | 'storage' | undefined {
  if (size > quota.maxArtifactBytes) return 'file';
  if (storedBytes + size > quota.maxStorageBytes) return 'storage';
  return undefined;
}

/** A byte range of a download (`Range: bytes=…`), inclusive; undefined for the whole file. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads a single-range `Range` header against a file size: the range, `undefined` for the whole
 * file (no header, or one this server ignores, as multi-range), or 'unsatisfiable' (416).
 */
export function requestedRange(header: string | undefined, size: number): ByteRange | undefined | 'unsatisfiable' {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
