import { createHash } from 'node:crypto';
import { mismatchedHash, providedFilename, quotaBreach, requestedRange, type ArtifactHashes } from './artifact-rules';

const bytes = Buffer.from('firmware image 1.0');
const actual: ArtifactHashes = {
  sha1: createHash('sha1').update(bytes).digest('hex'),
  md5: createHash('md5').update(bytes).digest('hex'),
  sha256: createHash('sha256').update(bytes).digest('hex'),
};

describe('artifact rules', () => {
  it('accepts given hashes equal to the bytes’ in any case, and no hash at all', () => {
    expect(mismatchedHash({}, actual)).toBeUndefined();
    expect(
      mismatchedHash({ sha1: actual.sha1.toUpperCase(), md5: actual.md5, sha256: ` ${actual.sha256} ` }, actual),
    ).toBeUndefined();
    expect(mismatchedHash({ sha1: '', md5: '  ' }, actual)).toBeUndefined();
  });

  it('names the hash that differs', () => {
    expect(mismatchedHash({ sha1: actual.sha1, sha256: actual.md5 }, actual)).toBe('sha256');
    expect(mismatchedHash({ md5: actual.sha1 }, actual)).toBe('md5');
    expect(mismatchedHash({ sha1: '0'.repeat(40) }, actual)).toBe('sha1');
  });

  it('prefers the explicit file name, falls back on the part’s, refuses unusable names', () => {
    expect(providedFilename('app.bin', 'upload.bin')).toBe('app.bin');
    expect(providedFilename(undefined, 'upload.bin')).toBe('upload.bin');
    expect(providedFilename('  ', 'upload.bin')).toBe('upload.bin');
    expect(providedFilename(undefined, undefined)).toBeUndefined();
    expect(providedFilename('a'.repeat(257), undefined)).toBeUndefined();
    expect(providedFilename('bad\nname', undefined)).toBeUndefined();
  });

  it('tells which size quota an upload breaks', () => {
    const quota = { maxArtifactBytes: 100, maxStorageBytes: 1_000 };
    expect(quotaBreach(100, 900, quota)).toBeUndefined();
    expect(quotaBreach(101, 0, quota)).toBe('file');
    expect(quotaBreach(100, 901, quota)).toBe('storage');
  });

  it('reads single byte ranges and ignores what it does not serve', () => {
    expect(requestedRange(undefined, 10)).toBeUndefined();
    expect(requestedRange('bytes=0-0,5-6', 10)).toBeUndefined();
    expect(requestedRange('bytes=2-4', 10)).toEqual({ start: 2, end: 4 });
    expect(requestedRange('bytes=7-', 10)).toEqual({ start: 7, end: 9 });
    expect(requestedRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(requestedRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(requestedRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(requestedRange('bytes=4-2', 10)).toBe('unsatisfiable');
    expect(requestedRange('bytes=-0', 10)).toBe('unsatisfiable');
  });
});
